using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Sdmi.Model;

/// <summary>
/// Reads the fields of one JSON object, reporting wrong types, missing required fields and unknown fields to an
/// <see cref="ErrorCollector"/>. Each getter returns null after reporting, so callers fall back to a placeholder.
/// </summary>
internal sealed class JsonObjectReader
{
    private readonly JsonElement _element;
    private readonly ErrorCollector _errors;

    private JsonObjectReader(JsonElement element, string path, ErrorCollector errors)
    {
        _element = element;
        Path = path;
        _errors = errors;
    }

    public string Path { get; }

    /// <summary>
    /// Returns a reader for <paramref name="element"/>, or null after reporting when it is not an object.
    /// Reports each field that is not in <paramref name="allowedFields"/> and each field given twice.
    /// </summary>
    public static JsonObjectReader? Open(
        JsonElement element, string path, ErrorCollector errors, IReadOnlyList<string> allowedFields)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add(path, $"expected an object but found {Describe(element)}");
            return null;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            var fieldPath = ModelPaths.Field(path, property.Name);
            if (!seen.Add(property.Name))
            {
                errors.Add(fieldPath, $"field '{property.Name}' appears more than once; keep one");
            }
            else if (!allowedFields.Contains(property.Name, StringComparer.Ordinal))
            {
                errors.Add(fieldPath, UnknownFieldMessage(property.Name, allowedFields));
            }
        }

        return new JsonObjectReader(element, path, errors);
    }

    public string FieldPath(string field) => ModelPaths.Field(Path, field);

    public bool Has(string field) => _element.TryGetProperty(field, out _);

    public JsonElement? Element(string field, bool required = false)
    {
        if (_element.TryGetProperty(field, out var value))
        {
            return value;
        }

        if (required)
        {
            _errors.Add(FieldPath(field), $"required field '{field}' is missing");
        }

        return null;
    }

    public string? String(string field, bool required = false)
    {
        var value = Element(field, required);
        return value is null ? null : ReadString(value.Value, FieldPath(field), _errors);
    }

    public int? Integer(string field, bool required = false)
    {
        var value = Element(field, required);
        if (value is null)
        {
            return null;
        }

        if (value.Value.ValueKind != JsonValueKind.Number || !value.Value.TryGetInt32(out var number))
        {
            var problem = value.Value.ValueKind == JsonValueKind.Number && value.Value.TryGetDecimal(out var whole)
                && decimal.Truncate(whole) == whole
                ? $"{value.Value.GetRawText()} is too large; expected a whole number from {int.MinValue} to {int.MaxValue}"
                : $"expected a whole number but found {Describe(value.Value)}";
            _errors.Add(FieldPath(field), problem);
            return null;
        }

        return number;
    }

    public double? Number(string field, bool required = false)
    {
        var value = Element(field, required);
        if (value is null)
        {
            return null;
        }

        if (value.Value.ValueKind != JsonValueKind.Number || !value.Value.TryGetDouble(out var number))
        {
            _errors.Add(FieldPath(field), $"expected a number but found {Describe(value.Value)}");
            return null;
        }

        return number;
    }

    public IPAddress? Address(string field, bool required = false)
    {
        var text = String(field, required);
        if (text is null)
        {
            return null;
        }

        if (!Ipv4.TryParse(text, out var address))
        {
            _errors.Add(FieldPath(field), $"'{text}' is not an IPv4 address in dotted-quad form such as 172.16.1.1");
            return null;
        }

        return address;
    }

    /// <summary>Returns the array's items, or null after reporting when the value is not an array.</summary>
    public IReadOnlyList<JsonElement>? Array(string field, bool required = false)
    {
        var value = Element(field, required);
        if (value is null)
        {
            return null;
        }

        if (value.Value.ValueKind != JsonValueKind.Array)
        {
            _errors.Add(FieldPath(field), $"expected an array but found {Describe(value.Value)}");
            return null;
        }

        return value.Value.EnumerateArray().ToList();
    }

    /// <summary>Returns an array of strings; items that are not strings are reported and left out.</summary>
    public IReadOnlyList<string>? StringArray(string field, bool required = false)
    {
        var items = Array(field, required);
        if (items is null)
        {
            return null;
        }

        var result = new List<string>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var text = ReadString(items[i], ModelPaths.Item(FieldPath(field), i), _errors);
            if (text is not null)
            {
                result.Add(text);
            }
        }

        return result;
    }

    public static string? ReadString(JsonElement value, string path, ErrorCollector errors)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(path, $"expected a string but found {Describe(value)}");
            return null;
        }

        return value.GetString();
    }

    public static string UnknownFieldMessage(string field, IReadOnlyList<string> allowedFields) =>
        $"unknown field '{field}'; allowed fields: {string.Join(", ", allowedFields)}";

    /// <summary>Returns a short description of a JSON value for messages, such as "a number (42)".</summary>
    public static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => $"a string (\"{Shorten(value.GetString() ?? string.Empty)}\")",
        JsonValueKind.Number => $"a number ({value.GetRawText()})",
        JsonValueKind.True or JsonValueKind.False => $"a boolean ({value.GetRawText()})",
        JsonValueKind.Null => "null",
        _ => value.ValueKind.ToString().ToLower(CultureInfo.InvariantCulture),
    };

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..37] + "...";
}
