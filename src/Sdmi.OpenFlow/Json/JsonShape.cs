using System.Collections.Concurrent;
using System.Reflection;
using Sdmi.OpenFlow.Messages;

namespace Sdmi.OpenFlow.Json;

/// <summary>
/// The JSON properties of one record type: every public property with a public <c>init</c> or
/// <c>set</c> accessor, base class first, named in snake_case. Positional record parameters and
/// <c>init</c> properties qualify, computed properties such as <c>Length</c> do not.
/// </summary>
internal sealed class JsonShape
{
    private static readonly ConcurrentDictionary<Type, JsonShape> Cache = new();

    // Properties whose value the discriminator already carries, or whose C# name would clash
    // with the "type" discriminator.
    private static readonly Dictionary<(Type Type, string Property), string?> Overrides = new()
    {
        [(typeof(EmptyMultipartRequest), nameof(EmptyMultipartRequest.Kind))] = null,
        [(typeof(IdMultipartRequest), nameof(IdMultipartRequest.Kind))] = null,
        [(typeof(UnknownHelloElement), nameof(UnknownHelloElement.Type))] = "element_type",
        [(typeof(UnknownTableProperty), nameof(UnknownTableProperty.Type))] = "property_type",
        [(typeof(UnknownTableProperty), nameof(UnknownTableProperty.PropertyType))] = null,
    };

    private JsonShape(Type type)
    {
        Type = type;
        var properties = new List<JsonShapeProperty>();
        foreach (Type level in BaseFirst(type))
        {
            foreach (PropertyInfo property in level.GetProperties(
                BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            {
                if (property.SetMethod is not { IsPublic: true } || properties.Any(p => p.Info.Name == property.Name))
                {
                    continue;
                }

                string? name = Overrides.TryGetValue((type, property.Name), out string? renamed)
                    ? renamed
                    : JsonNames.ToSnakeLower(property.Name);
                if (name is not null)
                {
                    properties.Add(new JsonShapeProperty(name, property));
                }
            }
        }

        Properties = properties;
        Constructor = type.GetConstructors(BindingFlags.Public | BindingFlags.Instance)
            .OrderByDescending(constructor => constructor.GetParameters().Length)
            .FirstOrDefault();
    }

    public Type Type { get; }

    public IReadOnlyList<JsonShapeProperty> Properties { get; }

    /// <summary>
    /// The public constructor with the most parameters, or null for types built by a factory only.
    /// </summary>
    public ConstructorInfo? Constructor { get; }

    public static JsonShape For(Type type) => Cache.GetOrAdd(type, static t => new JsonShape(t));

    /// <summary>Finds the property whose C# name equals <paramref name="name"/>, ignoring case.</summary>
    public JsonShapeProperty? FindByClrName(string name) =>
        Properties.FirstOrDefault(p => string.Equals(p.Info.Name, name, StringComparison.OrdinalIgnoreCase));

    private static IEnumerable<Type> BaseFirst(Type type)
    {
        var chain = new Stack<Type>();
        for (Type? level = type; level is not null && level != typeof(object); level = level.BaseType)
        {
            chain.Push(level);
        }

        return chain;
    }
}

/// <summary>One JSON property and the C# property behind it.</summary>
internal sealed record JsonShapeProperty(string Name, PropertyInfo Info);
