using System.Text.Json;

namespace Sdmi.OpenFlow.Json;

/// <summary>
/// The properties of one JSON object, with a record of which ones were read, so that a misspelled
/// or unexpected property raises an error instead of being ignored.
/// </summary>
internal sealed class JsonObjectFields
{
    private readonly Dictionary<string, JsonElement> _fields = new(StringComparer.Ordinal);
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);
    private readonly string _path;

    private JsonObjectFields(string path)
    {
        _path = path;
    }

    /// <summary>Collects the properties of <paramref name="element"/>, which must be an object.</summary>
    public static JsonObjectFields Of(JsonElement element, string path)
    {
        var fields = new JsonObjectFields(path);
        foreach (JsonProperty property in element.EnumerateObject())
        {
            if (!fields._fields.TryAdd(property.Name, property.Value))
            {
                throw JsonPrimitives.Invalid(property.Value, $"{path}.{property.Name}", "each property only once");
            }
        }

        return fields;
    }

    public bool Has(string name) => _fields.ContainsKey(name);

    public JsonElement Required(string name, string expected) =>
        Optional(name) ?? throw new OpenFlowJsonException($"{_path}.{name}", null, expected);

    public JsonElement? Optional(string name)
    {
        if (!_fields.TryGetValue(name, out JsonElement value))
        {
            return null;
        }

        _read.Add(name);
        return value;
    }

    /// <summary>Raises an error for the first property that no reader asked for.</summary>
    public void RejectUnread(IEnumerable<string> validNames)
    {
        foreach ((string name, JsonElement value) in _fields)
        {
            if (!_read.Contains(name))
            {
                throw JsonPrimitives.Invalid(
                    value,
                    $"{_path}.{name}",
                    $"no property \"{name}\" here; the valid properties are {string.Join(", ", validNames)}");
            }
        }
    }
}
