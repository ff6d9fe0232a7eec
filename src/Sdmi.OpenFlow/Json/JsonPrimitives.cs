using System.Globalization;
using System.Text.Json;

namespace Sdmi.OpenFlow.Json;

/// <summary>
/// Reads the scalar JSON values of the OpenFlow JSON form and raises
/// <see cref="OpenFlowJsonException"/> with the path for anything else.
/// </summary>
internal static class JsonPrimitives
{
    /// <summary>
    /// Reads a non-negative integer no larger than <paramref name="maximum"/>: a JSON number, or a
    /// string with a decimal or 0x-prefixed hexadecimal number.
    /// </summary>
    public static ulong ReadUnsigned(JsonElement element, string path, ulong maximum, string expected)
    {
        ulong value;
        bool parsed = element.ValueKind switch
        {
            JsonValueKind.Number => element.TryGetUInt64(out value),
            JsonValueKind.String => TryParseUnsigned(element.GetString()!, out value),
            _ => Fail(out value),
        };
        if (!parsed || value > maximum)
        {
            throw Invalid(element, path, expected);
        }

        return value;
    }

    /// <summary>Reads a string of hexadecimal digits, ignoring colons and whitespace between bytes.</summary>
    public static byte[] ReadHex(JsonElement element, string path)
    {
        const string expected = "a string of hexadecimal byte values such as \"0a1b\"";
        if (element.ValueKind != JsonValueKind.String || !TryParseHex(element.GetString()!, out byte[] bytes))
        {
            throw Invalid(element, path, expected);
        }

        return bytes;
    }

    public static string ReadString(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.String)
        {
            throw Invalid(element, path, "a string");
        }

        return element.GetString()!;
    }

    public static bool ReadBoolean(JsonElement element, string path) => element.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw Invalid(element, path, "true or false"),
    };

    /// <summary>
    /// Reads an enum value: the member name in SNAKE_CASE (as written) or the number. A [Flags]
    /// enum also accepts an array of such names and numbers, which are combined.
    /// </summary>
    public static object ReadEnum(JsonElement element, string path, Type enumType)
    {
        Type underlying = Enum.GetUnderlyingType(enumType);
        ulong maximum = MaxOf(underlying);
        bool isFlags = enumType.IsDefined(typeof(FlagsAttribute), false);
        string expected = DescribeEnum(enumType, isFlags);
        ulong value;
        if (isFlags && element.ValueKind == JsonValueKind.Array)
        {
            value = 0;
            int index = 0;
            foreach (JsonElement item in element.EnumerateArray())
            {
                value |= ReadEnumScalar(item, $"{path}[{index++}]", enumType, maximum, expected);
            }
        }
        else
        {
            value = ReadEnumScalar(element, path, enumType, maximum, expected);
        }

        return Enum.ToObject(enumType, value);
    }

    /// <summary>Builds the error for <paramref name="element"/> at <paramref name="path"/>.</summary>
    public static OpenFlowJsonException Invalid(
        JsonElement element, string path, string expected, Exception? innerException = null) =>
        new(path, Abbreviate(element.GetRawText()), expected, innerException);

    public static ulong MaxOf(Type integerType) => Type.GetTypeCode(integerType) switch
    {
        TypeCode.Byte => byte.MaxValue,
        TypeCode.UInt16 => ushort.MaxValue,
        TypeCode.UInt32 => uint.MaxValue,
        TypeCode.UInt64 => ulong.MaxValue,
        TypeCode.Int32 => int.MaxValue,
        _ => throw new ArgumentException($"{integerType.Name} is not an integer type of the OpenFlow JSON form."),
    };

    /// <summary>Describes an integer type for error messages, for example "an unsigned 16-bit integer".</summary>
    public static string DescribeInteger(Type integerType) => Type.GetTypeCode(integerType) switch
    {
        TypeCode.Byte => "an unsigned 8-bit integer (0-255)",
        TypeCode.UInt16 => "an unsigned 16-bit integer (0-65535)",
        TypeCode.UInt32 => "an unsigned 32-bit integer (0-4294967295)",
        TypeCode.UInt64 => "an unsigned 64-bit integer",
        _ => "a non-negative integer",
    };

    public static bool TryParseHex(string text, out byte[] bytes)
    {
        Span<char> digits = text.Length <= 1024 ? stackalloc char[text.Length] : new char[text.Length];
        int count = 0;
        foreach (char c in text)
        {
            if (c == ':' || char.IsWhiteSpace(c))
            {
                continue;
            }

            if (!char.IsAsciiHexDigit(c))
            {
                bytes = [];
                return false;
            }

            digits[count++] = c;
        }

        if (count % 2 != 0)
        {
            bytes = [];
            return false;
        }

        bytes = Convert.FromHexString(digits[..count]);
        return true;
    }

    private static ulong ReadEnumScalar(JsonElement element, string path, Type enumType, ulong maximum, string expected)
    {
        if (element.ValueKind == JsonValueKind.String)
        {
            string text = element.GetString()!;
            foreach (string name in Enum.GetNames(enumType))
            {
                if (string.Equals(JsonNames.ToSnakeUpper(name), text, StringComparison.OrdinalIgnoreCase))
                {
                    return Convert.ToUInt64(Enum.Parse(enumType, name), CultureInfo.InvariantCulture);
                }
            }

            if (!TryParseUnsigned(text, out _))
            {
                throw Invalid(element, path, expected);
            }
        }

        return ReadUnsigned(element, path, maximum, expected);
    }

    private static string DescribeEnum(Type enumType, bool isFlags)
    {
        string names = string.Join(", ", Enum.GetNames(enumType).Select(JsonNames.ToSnakeUpper));
        return isFlags
            ? $"an array of {enumType.Name} names ({names}) or a number"
            : $"a {enumType.Name} name ({names}) or a number";
    }

    private static bool TryParseUnsigned(string text, out ulong value)
    {
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            return ulong.TryParse(
                text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
        }

        return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    private static bool Fail(out ulong value)
    {
        value = 0;
        return false;
    }

    private static string Abbreviate(string rawText) => rawText.Length <= 80 ? rawText : rawText[..77] + "...";
}
