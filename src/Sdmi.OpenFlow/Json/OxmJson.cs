using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Sdmi.OpenFlow.Matching;

namespace Sdmi.OpenFlow.Json;

/// <summary>
/// JSON form of one OXM field. A basic field of the right size is
/// <c>{"field": "eth_dst", "value": "02:00:00:00:00:01", "mask": null}</c>, with MAC addresses,
/// IPv4 and IPv6 addresses as text and all other values as numbers. Any other field (Nicira,
/// experimenter, or a basic field of an unexpected size) keeps its bytes as hex:
/// <c>{"class": 1, "field": 3, "value": "0000000a", "mask": null}</c>, plus <c>"has_mask"</c>
/// when the has-mask bit differs from the presence of a mask.
/// </summary>
internal static class OxmJson
{
    private static readonly Dictionary<string, OxmFieldId> FieldsByName =
        Enum.GetValues<OxmFieldId>().ToDictionary(id => JsonNames.ToSnakeLower(id.ToString()), StringComparer.Ordinal);

    private static readonly string[] TypedProperties = ["field", "value", "mask"];
    private static readonly string[] OpaqueProperties = ["class", "field", "value", "mask", "has_mask"];

    private enum ValueFormat
    {
        Integer,
        Mac,
        Ipv4,
        Ipv6,
    }

    public static void Write(Utf8JsonWriter writer, OxmField field)
    {
        writer.WriteStartObject();
        if (TryGetTyped(field, out OxmFieldId id, out ValueFormat format))
        {
            writer.WriteString("field", JsonNames.ToSnakeLower(id.ToString()));
            writer.WritePropertyName("value");
            WriteValue(writer, field.Value.AsSpan(), format);
            writer.WritePropertyName("mask");
            if (field.HasMask)
            {
                WriteValue(writer, field.Mask.AsSpan(), format);
            }
            else
            {
                writer.WriteNullValue();
            }
        }
        else
        {
            writer.WriteNumber("class", field.Class);
            writer.WriteNumber("field", field.Field);
            writer.WriteString("value", Convert.ToHexStringLower(field.Value.AsSpan()));
            if (field.Mask.IsEmpty)
            {
                writer.WriteNull("mask");
            }
            else
            {
                writer.WriteString("mask", Convert.ToHexStringLower(field.Mask.AsSpan()));
            }

            if (field.HasMask == field.Mask.IsEmpty)
            {
                writer.WriteBoolean("has_mask", field.HasMask);
            }
        }

        writer.WriteEndObject();
    }

    public static OxmField Read(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw JsonPrimitives.Invalid(
                element, path, "an OXM field object such as {\"field\": \"in_port\", \"value\": 1}");
        }

        JsonObjectFields fields = JsonObjectFields.Of(element, path);
        bool opaque = fields.Has("class");
        OxmField field = opaque ? ReadOpaque(fields, path) : ReadTyped(fields, path);
        fields.RejectUnread(opaque ? OpaqueProperties : TypedProperties);
        return field;
    }

    private static OxmField ReadTyped(JsonObjectFields fields, string path)
    {
        JsonElement nameElement = fields.Required("field", "an OXM field name such as \"eth_dst\"");
        string name = nameElement.ValueKind == JsonValueKind.String ? nameElement.GetString()! : string.Empty;
        if (!FieldsByName.TryGetValue(name, out OxmFieldId id))
        {
            throw JsonPrimitives.Invalid(
                nameElement, path + ".field", $"an OXM field name, one of {string.Join(", ", FieldsByName.Keys)}");
        }

        OxmFieldInfo info = OxmFieldTable.Get(id);
        ValueFormat format = FormatOf(id);
        JsonElement valueElement = fields.Required("value", Describe(format, info.Size));
        byte[] value = ReadValue(valueElement, path + ".value", format, info.Size);
        byte[]? mask = fields.Optional("mask") is { ValueKind: not JsonValueKind.Null } maskElement
            ? ReadValue(maskElement, path + ".mask", format, info.Size)
            : null;
        return new OxmField(
            OxmClass.OpenFlowBasic,
            (byte)id,
            mask is not null,
            EquatableArray<byte>.FromOwned(value),
            mask is null ? default : EquatableArray<byte>.FromOwned(mask));
    }

    private static OxmField ReadOpaque(JsonObjectFields fields, string path)
    {
        var oxmClass = (ushort)JsonPrimitives.ReadUnsigned(
            fields.Required("class", "an OXM class number"),
            path + ".class",
            ushort.MaxValue,
            "an OXM class (0-65535)");
        var number = (byte)JsonPrimitives.ReadUnsigned(
            fields.Required("field", "an OXM field number"), path + ".field", 0x7f, "an OXM field number (0-127)");
        byte[] value = JsonPrimitives.ReadHex(fields.Required("value", "hexadecimal bytes"), path + ".value");
        byte[] mask = fields.Optional("mask") is { ValueKind: not JsonValueKind.Null } maskElement
            ? JsonPrimitives.ReadHex(maskElement, path + ".mask")
            : [];
        bool hasMask = fields.Optional("has_mask") is { } hasMaskElement
            ? JsonPrimitives.ReadBoolean(hasMaskElement, path + ".has_mask")
            : mask.Length > 0;
        if (value.Length + mask.Length > byte.MaxValue)
        {
            throw new OpenFlowJsonException(
                path, null, "value and mask of at most 255 bytes together, the limit of the OXM length field");
        }

        return new OxmField(
            oxmClass, number, hasMask, EquatableArray<byte>.FromOwned(value), EquatableArray<byte>.FromOwned(mask));
    }

    private static bool TryGetTyped(OxmField field, out OxmFieldId id, out ValueFormat format)
    {
        id = default;
        format = default;
        if (field.Class != OxmClass.OpenFlowBasic || !OxmFieldTable.TryGet(field.Field, out OxmFieldInfo info))
        {
            return false;
        }

        bool maskFits = field.HasMask ? field.Mask.Count == info.Size : field.Mask.IsEmpty;
        if (field.Value.Count != info.Size || !maskFits)
        {
            return false;
        }

        id = info.Field;
        format = FormatOf(id);
        return true;
    }

    private static ValueFormat FormatOf(OxmFieldId id) => id switch
    {
        OxmFieldId.EthDst or OxmFieldId.EthSrc or OxmFieldId.ArpSha or OxmFieldId.ArpTha
            or OxmFieldId.Ipv6NdSll or OxmFieldId.Ipv6NdTll => ValueFormat.Mac,
        OxmFieldId.Ipv4Src or OxmFieldId.Ipv4Dst or OxmFieldId.ArpSpa or OxmFieldId.ArpTpa => ValueFormat.Ipv4,
        OxmFieldId.Ipv6Src or OxmFieldId.Ipv6Dst or OxmFieldId.Ipv6NdTarget => ValueFormat.Ipv6,
        _ => ValueFormat.Integer,
    };

    private static void WriteValue(Utf8JsonWriter writer, ReadOnlySpan<byte> bytes, ValueFormat format)
    {
        switch (format)
        {
            case ValueFormat.Mac:
                writer.WriteStringValue(MacAddress.Read(bytes).ToString());
                break;
            case ValueFormat.Ipv4 or ValueFormat.Ipv6:
                writer.WriteStringValue(new IPAddress(bytes).ToString());
                break;
            default:
                writer.WriteNumberValue(OxmField.ReadBigEndian(bytes));
                break;
        }
    }

    private static byte[] ReadValue(JsonElement element, string path, ValueFormat format, int size)
    {
        string expected = Describe(format, size);
        switch (format)
        {
            case ValueFormat.Mac:
                try
                {
                    return MacAddress.Parse(JsonPrimitives.ReadString(element, path)).ToArray();
                }
                catch (FormatException exception)
                {
                    throw JsonPrimitives.Invalid(element, path, expected, exception);
                }

            case ValueFormat.Ipv4 or ValueFormat.Ipv6:
                AddressFamily family =
                    format == ValueFormat.Ipv4 ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6;
                if (element.ValueKind != JsonValueKind.String
                    || !IPAddress.TryParse(element.GetString()!, out IPAddress? address)
                    || address.AddressFamily != family)
                {
                    throw JsonPrimitives.Invalid(element, path, expected);
                }

                return address.GetAddressBytes();
            default:
                ulong maximum = size >= 8 ? ulong.MaxValue : (1UL << (size * 8)) - 1;
                ulong value = JsonPrimitives.ReadUnsigned(element, path, maximum, expected);
                byte[] buffer = new byte[8];
                BinaryPrimitives.WriteUInt64BigEndian(buffer, value);
                return buffer[(8 - size)..];
        }
    }

    private static string Describe(ValueFormat format, int size) => format switch
    {
        ValueFormat.Mac => "a MAC address such as \"02:00:00:00:00:01\"",
        ValueFormat.Ipv4 => "an IPv4 address such as \"10.0.0.1\"",
        ValueFormat.Ipv6 => "an IPv6 address such as \"fe80::1\"",
        _ => $"an unsigned integer of at most {size * 8} bits",
    };
}
