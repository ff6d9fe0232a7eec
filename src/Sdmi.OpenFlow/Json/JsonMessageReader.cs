using System.Reflection;
using System.Text.Json;
using Sdmi.OpenFlow.Actions;
using Sdmi.OpenFlow.Instructions;
using Sdmi.OpenFlow.Matching;
using Sdmi.OpenFlow.Messages;

namespace Sdmi.OpenFlow.Json;

/// <summary>
/// Builds messages from the JSON form that <see cref="OpenFlowJson"/> documents. Properties that a
/// record gives a default may be left out, the others are required. Properties that the record
/// does not have are rejected.
/// </summary>
internal static class JsonMessageReader
{
    public static OpenFlowMessage ReadMessage(JsonElement element, string path)
    {
        RequireObject(element, path, "an OpenFlow message object such as {\"type\": \"BARRIER_REQUEST\"}");
        JsonObjectFields fields = JsonObjectFields.Of(element, path);
        JsonElement typeElement = fields.Required("type", "a message type such as \"FLOW_MOD\"");
        string name = typeElement.ValueKind == JsonValueKind.String ? typeElement.GetString()! : string.Empty;
        Type type;
        Dictionary<string, object>? implied = null;
        List<string> validNames = ["type"];
        if (name is JsonMessageTypes.MultipartRequestName or JsonMessageTypes.MultipartReplyName)
        {
            bool isRequest = name == JsonMessageTypes.MultipartRequestName;
            var multipartType = (MultipartType)JsonPrimitives.ReadEnum(
                fields.Required("multipart_type", "an OFPMP_* name such as \"FLOW\""),
                path + ".multipart_type",
                typeof(MultipartType));
            IReadOnlyDictionary<MultipartType, Type> table =
                isRequest ? JsonMessageTypes.Requests : JsonMessageTypes.Replies;
            if (!table.TryGetValue(multipartType, out type!))
            {
                throw new OpenFlowJsonException(
                    path + ".multipart_type",
                    ((ushort)multipartType).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    "a multipart type defined by OpenFlow 1.3");
            }

            // EmptyMultipartRequest and IdMultipartRequest take their multipart type as "Kind".
            implied = new Dictionary<string, object>(StringComparer.Ordinal) { ["Kind"] = multipartType };
            validNames.Add("multipart_type");
        }
        else if (!JsonMessageTypes.ByName.TryGetValue(name, out type!))
        {
            string names = string.Join(", ", JsonMessageTypes.ByName.Keys.Append(JsonMessageTypes.MultipartRequestName)
                .Append(JsonMessageTypes.MultipartReplyName));
            throw JsonPrimitives.Invalid(typeElement, path + ".type", $"a message type, one of {names}");
        }

        object message = ReadObject(fields, path, type, implied);
        fields.RejectUnread(validNames.Concat(JsonShape.For(type).Properties.Select(p => p.Name)));
        return (OpenFlowMessage)message;
    }

    private static object ReadObject(
        JsonObjectFields fields, string path, Type type, IReadOnlyDictionary<string, object>? implied)
    {
        JsonShape shape = JsonShape.For(type);
        ConstructorInfo constructor = shape.Constructor
            ?? throw new InvalidOperationException($"{type.Name} has no public constructor for JSON input.");
        ParameterInfo[] parameters = constructor.GetParameters();
        object?[] arguments = new object?[parameters.Length];
        var assigned = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < parameters.Length; i++)
        {
            ParameterInfo parameter = parameters[i];
            JsonShapeProperty? property = shape.FindByClrName(parameter.Name!);
            if (implied is not null && implied.TryGetValue(parameter.Name!, out object? impliedValue))
            {
                arguments[i] = impliedValue;
            }
            else if (property is not null && fields.Optional(property.Name) is { } element)
            {
                arguments[i] = ReadValue(element, $"{path}.{property.Name}", parameter.ParameterType);
            }
            else if (parameter.HasDefaultValue)
            {
                arguments[i] = parameter.DefaultValue ?? DefaultOf(parameter.ParameterType);
            }
            else
            {
                string name = property?.Name ?? JsonNames.ToSnakeLower(parameter.Name!);
                throw new OpenFlowJsonException($"{path}.{name}", null, Describe(parameter.ParameterType));
            }

            if (property is not null)
            {
                assigned.Add(property.Name);
            }
        }

        object instance = Invoke(() => constructor.Invoke(arguments), path);
        foreach (JsonShapeProperty property in shape.Properties)
        {
            if (!assigned.Contains(property.Name) && fields.Optional(property.Name) is { } element)
            {
                object? value = ReadValue(element, $"{path}.{property.Name}", property.Info.PropertyType);
                Invoke(() => property.Info.SetValue(instance, value), path);
            }
        }

        return instance;
    }

    private static object? ReadValue(JsonElement element, string path, Type type)
    {
        if (type == typeof(OpenFlowMessage))
        {
            return ReadMessage(element, path);
        }

        if (JsonVariants.For(type) is { } variants)
        {
            return ReadVariant(element, path, type, variants);
        }

        if (type == typeof(Match))
        {
            return new Match(ReadArray<OxmField>(element, path));
        }

        if (type == typeof(OxmField))
        {
            return OxmJson.Read(element, path);
        }

        if (type == typeof(MacAddress))
        {
            try
            {
                return MacAddress.Parse(JsonPrimitives.ReadString(element, path));
            }
            catch (FormatException exception)
            {
                throw JsonPrimitives.Invalid(element, path, Describe(type), exception);
            }
        }

        if (type == typeof(EquatableArray<byte>))
        {
            return EquatableArray<byte>.FromOwned(JsonPrimitives.ReadHex(element, path));
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(EquatableArray<>))
        {
            MethodInfo readArray = typeof(JsonMessageReader)
                .GetMethod(nameof(ReadArray), BindingFlags.NonPublic | BindingFlags.Static)!
                .MakeGenericMethod(type.GetGenericArguments()[0]);
            return Invoke(() => readArray.Invoke(null, [element, path])!, path);
        }

        if (type.IsEnum)
        {
            return JsonPrimitives.ReadEnum(element, path, type);
        }

        if (type == typeof(string))
        {
            return JsonPrimitives.ReadString(element, path);
        }

        if (type == typeof(bool))
        {
            return JsonPrimitives.ReadBoolean(element, path);
        }

        if (type.IsPrimitive)
        {
            ulong value = JsonPrimitives.ReadUnsigned(element, path, JsonPrimitives.MaxOf(type), Describe(type));
            return Convert.ChangeType(value, type, System.Globalization.CultureInfo.InvariantCulture);
        }

        RequireObject(element, path, $"a {type.Name} object");
        JsonObjectFields fields = JsonObjectFields.Of(element, path);
        object result = ReadObject(fields, path, type, null);
        fields.RejectUnread(JsonShape.For(type).Properties.Select(p => p.Name));
        return result;
    }

    private static EquatableArray<T> ReadArray<T>(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            throw JsonPrimitives.Invalid(element, path, "an array");
        }

        var items = new T[element.GetArrayLength()];
        int index = 0;
        foreach (JsonElement item in element.EnumerateArray())
        {
            items[index] = (T)ReadValue(item, $"{path}[{index}]", typeof(T))!;
            index++;
        }

        return EquatableArray<T>.FromOwned(items);
    }

    private static object ReadVariant(
        JsonElement element, string path, Type baseType, IReadOnlyDictionary<string, Type> variants)
    {
        string expectedType = $"a {baseType.Name} type, one of {string.Join(", ", variants.Keys)}";
        RequireObject(element, path, $"a {baseType.Name} object with a \"type\"");
        JsonObjectFields fields = JsonObjectFields.Of(element, path);
        JsonElement typeElement = fields.Required("type", expectedType);
        string name = typeElement.ValueKind == JsonValueKind.String ? typeElement.GetString()! : string.Empty;
        if (!variants.TryGetValue(name, out Type? type))
        {
            throw JsonPrimitives.Invalid(typeElement, path + ".type", expectedType);
        }

        object result;
        string[] validNames;
        if (type == typeof(SimpleAction))
        {
            result = SimpleAction.For(ParseName<OfpActionType>(name));
            validNames = ["type"];
        }
        else if (type == typeof(EtherTypeAction))
        {
            ushort etherType = (ushort)JsonPrimitives.ReadUnsigned(
                fields.Required("ether_type", "an EtherType"),
                path + ".ether_type",
                ushort.MaxValue,
                Describe(typeof(ushort)));
            result = EtherTypeAction.For(ParseName<OfpActionType>(name), etherType);
            validNames = ["type", "ether_type"];
        }
        else if (type == typeof(ActionsInstruction))
        {
            EquatableArray<OfpAction> actions = fields.Optional("actions") is { } actionsElement
                ? ReadArray<OfpAction>(actionsElement, path + ".actions")
                : default;
            result = ActionsInstruction.For(ParseName<OfpInstructionType>(name), actions);
            validNames = ["type", "actions"];
        }
        else
        {
            result = ReadObject(fields, path, type, null);
            validNames = ["type", .. JsonShape.For(type).Properties.Select(p => p.Name)];
        }

        fields.RejectUnread(validNames);
        return result;
    }

    private static TEnum ParseName<TEnum>(string snakeUpperName)
        where TEnum : struct, Enum =>
        Enum.GetValues<TEnum>().First(value => JsonNames.ToSnakeUpper(value.ToString()) == snakeUpperName);

    private static void RequireObject(JsonElement element, string path, string expected)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw JsonPrimitives.Invalid(element, path, expected);
        }
    }

    /// <summary>
    /// Runs a reflection call and turns an argument check of the library into a JSON error at
    /// <paramref name="path"/>.
    /// </summary>
    private static T Invoke<T>(Func<T> call, string path)
    {
        try
        {
            return call();
        }
        catch (TargetInvocationException exception) when (exception.InnerException is OpenFlowJsonException inner)
        {
            throw inner;
        }
        catch (TargetInvocationException exception) when (exception.InnerException is ArgumentException inner)
        {
            throw new OpenFlowJsonException(path, null, $"values that the library accepts ({inner.Message})", inner);
        }
    }

    private static void Invoke(Action call, string path) => Invoke(() =>
    {
        call();
        return 0;
    }, path);

    private static object? DefaultOf(Type type) => type.IsValueType ? Activator.CreateInstance(type) : null;

    private static string Describe(Type type)
    {
        if (type == typeof(MacAddress))
        {
            return "a MAC address such as \"02:00:00:00:00:01\"";
        }

        if (type == typeof(EquatableArray<byte>))
        {
            return "a string of hexadecimal bytes";
        }

        if (type.IsPrimitive)
        {
            return JsonPrimitives.DescribeInteger(type);
        }

        return type.IsEnum ? $"a {type.Name} value" : $"a {type.Name}";
    }
}
