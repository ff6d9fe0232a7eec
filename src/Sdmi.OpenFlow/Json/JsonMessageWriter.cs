using System.Collections;
using System.Text.Json;
using Sdmi.OpenFlow.Actions;
using Sdmi.OpenFlow.Instructions;
using Sdmi.OpenFlow.Matching;
using Sdmi.OpenFlow.Messages;

namespace Sdmi.OpenFlow.Json;

/// <summary>Writes messages in the JSON form that <see cref="OpenFlowJson"/> documents.</summary>
internal static class JsonMessageWriter
{
    public static void WriteMessage(Utf8JsonWriter writer, OpenFlowMessage message)
    {
        writer.WriteStartObject();
        writer.WriteString("type", JsonMessageTypes.NameOf(message));
        MultipartType? multipartType = message switch
        {
            MultipartRequest request => request.MultipartType,
            MultipartReply reply => reply.MultipartType,
            _ => null,
        };
        if (multipartType is { } type)
        {
            writer.WritePropertyName("multipart_type");
            WriteEnum(writer, type);
        }

        WriteProperties(writer, message);
        writer.WriteEndObject();
    }

    private static void WriteVariant(Utf8JsonWriter writer, object value)
    {
        writer.WriteStartObject();
        writer.WriteString("type", JsonVariants.NameOf(value));
        switch (value)
        {
            case SimpleAction:
                break;
            case EtherTypeAction action:
                writer.WriteNumber("ether_type", action.EtherType);
                break;
            case ActionsInstruction instruction:
                if (instruction.Type != OfpInstructionType.ClearActions || !instruction.Actions.IsEmpty)
                {
                    writer.WritePropertyName("actions");
                    WriteValue(writer, instruction.Actions, typeof(EquatableArray<OfpAction>));
                }

                break;
            default:
                WriteProperties(writer, value);
                break;
        }

        writer.WriteEndObject();
    }

    private static void WriteProperties(Utf8JsonWriter writer, object value)
    {
        foreach (JsonShapeProperty property in JsonShape.For(value.GetType()).Properties)
        {
            writer.WritePropertyName(property.Name);
            WriteValue(writer, property.Info.GetValue(value), property.Info.PropertyType);
        }
    }

    private static void WriteValue(Utf8JsonWriter writer, object? value, Type declaredType)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                return;
            case OpenFlowMessage message:
                WriteMessage(writer, message);
                return;
            case Match match:
                writer.WriteStartArray();
                foreach (OxmField field in match.Fields)
                {
                    OxmJson.Write(writer, field);
                }

                writer.WriteEndArray();
                return;
            case OxmField field:
                OxmJson.Write(writer, field);
                return;
            case MacAddress address:
                writer.WriteStringValue(address.ToString());
                return;
            case EquatableArray<byte> bytes:
                writer.WriteStringValue(Convert.ToHexStringLower(bytes.AsSpan()));
                return;
            case Enum enumValue:
                WriteEnum(writer, enumValue);
                return;
            case string text:
                writer.WriteStringValue(text);
                return;
            case bool flag:
                writer.WriteBooleanValue(flag);
                return;
            case byte or ushort or uint or ulong or int:
                writer.WriteNumberValue(Convert.ToUInt64(value, System.Globalization.CultureInfo.InvariantCulture));
                return;
        }

        if (JsonVariants.For(declaredType) is not null)
        {
            WriteVariant(writer, value);
        }
        else if (declaredType.IsGenericType && declaredType.GetGenericTypeDefinition() == typeof(EquatableArray<>))
        {
            Type elementType = declaredType.GetGenericArguments()[0];
            writer.WriteStartArray();
            foreach (object? item in (IEnumerable)value)
            {
                WriteValue(writer, item, elementType);
            }

            writer.WriteEndArray();
        }
        else
        {
            writer.WriteStartObject();
            WriteProperties(writer, value);
            writer.WriteEndObject();
        }
    }

    /// <summary>
    /// Writes a member name in SNAKE_CASE, or the number for a value without a name. A [Flags] value
    /// becomes an array of the single-bit member names it contains, plus a number for any bits
    /// that have no name.
    /// </summary>
    private static void WriteEnum(Utf8JsonWriter writer, Enum value)
    {
        Type enumType = value.GetType();
        ulong number = Convert.ToUInt64(value, System.Globalization.CultureInfo.InvariantCulture);
        if (!enumType.IsDefined(typeof(FlagsAttribute), false))
        {
            string? name = Enum.GetName(enumType, value);
            if (name is null)
            {
                writer.WriteNumberValue(number);
            }
            else
            {
                writer.WriteStringValue(JsonNames.ToSnakeUpper(name));
            }

            return;
        }

        writer.WriteStartArray();
        ulong unnamed = number;
        foreach (Enum member in Enum.GetValues(enumType))
        {
            ulong bit = Convert.ToUInt64(member, System.Globalization.CultureInfo.InvariantCulture);
            if (ulong.IsPow2(bit) && (number & bit) == bit)
            {
                writer.WriteStringValue(JsonNames.ToSnakeUpper(member.ToString()));
                unnamed &= ~bit;
            }
        }

        if (unnamed != 0)
        {
            writer.WriteNumberValue(unnamed);
        }

        writer.WriteEndArray();
    }
}
