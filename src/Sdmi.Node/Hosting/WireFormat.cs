using System.Net;
using Akka.Actor.Setup;
using Akka.Serialization;
using Newtonsoft.Json;
using Sdmi.Model;

namespace Sdmi.Node.Hosting;

/// <summary>
/// How messages between nodes are serialized: Akka.NET's default JSON serializer (Newtonsoft.Json,
/// with type names), plus converters for the types it cannot write as plain properties. A system
/// declaration travels as its system-file JSON, because its annotations are System.Text.Json
/// elements. An IP address travels as its text form. A sequence travels as a plain array without
/// its type name, because C# collection expressions create compiler-generated list types that
/// Newtonsoft.Json cannot instantiate. It is read back as a List or an array.
/// </summary>
public static class WireFormat
{
    public static Setup Setup() => NewtonSoftJsonSerializerSetup.Create(settings =>
    {
        settings.Converters.Add(new IpAddressConverter());
        settings.Converters.Add(new SystemSpecConverter());
        settings.Converters.Add(new SequenceConverter());
    });

    private sealed class SequenceConverter : JsonConverter
    {
        public override bool CanConvert(Type objectType)
        {
            if (objectType == typeof(string) || IsDictionary(objectType) || ElementType(objectType) is null)
            {
                return false;
            }

            return objectType.IsArray
                || objectType.IsInterface
                || objectType.Name.StartsWith("<>", StringComparison.Ordinal)
                || (objectType.IsGenericType && objectType.GetGenericTypeDefinition() == typeof(List<>));
        }

        public override void WriteJson(JsonWriter writer, object? value, JsonSerializer serializer)
        {
            writer.WriteStartArray();
            foreach (var item in (System.Collections.IEnumerable)value!)
            {
                serializer.Serialize(writer, item);
            }

            writer.WriteEndArray();
        }

        public override object? ReadJson(JsonReader reader, Type objectType, object? existingValue, JsonSerializer serializer)
        {
            if (reader.TokenType == JsonToken.Null)
            {
                return null;
            }

            var elementType = ElementType(objectType)!;
            var list = (System.Collections.IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(elementType))!;
            if (reader.TokenType == JsonToken.StartObject)
            {
                // Newtonsoft.Json's typed form {"$type": ..., "$values": [...]}, which journals written
                // before this converter existed contain. The recorded type is ignored.
                while (reader.Read() && reader.TokenType == JsonToken.PropertyName)
                {
                    var name = (string)reader.Value!;
                    reader.Read();
                    if (name == "$values")
                    {
                        ReadItems(reader, elementType, list, serializer);
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
            }
            else
            {
                ReadItems(reader, elementType, list, serializer);
            }

            if (!objectType.IsArray)
            {
                return list;
            }

            var array = Array.CreateInstance(elementType, list.Count);
            list.CopyTo(array, 0);
            return array;
        }

        private static void ReadItems(JsonReader reader, Type elementType, System.Collections.IList list, JsonSerializer serializer)
        {
            while (reader.Read() && reader.TokenType != JsonToken.EndArray)
            {
                list.Add(serializer.Deserialize(reader, elementType));
            }
        }

        private static bool IsDictionary(Type type) =>
            typeof(System.Collections.IDictionary).IsAssignableFrom(type)
            || type.GetInterfaces().Append(type).Any(i => i.IsGenericType
                && (i.GetGenericTypeDefinition() == typeof(IDictionary<,>)
                    || i.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>)));

        private static Type? ElementType(Type type)
        {
            if (type.IsArray)
            {
                return type.GetElementType();
            }

            var enumerable = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IEnumerable<>)
                ? type
                : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>));
            return enumerable?.GetGenericArguments()[0];
        }
    }

    private sealed class IpAddressConverter : JsonConverter<IPAddress>
    {
        public override void WriteJson(JsonWriter writer, IPAddress? value, JsonSerializer serializer) =>
            writer.WriteValue(value?.ToString());

        public override IPAddress? ReadJson(
            JsonReader reader, Type objectType, IPAddress? existingValue, bool hasExistingValue, JsonSerializer serializer) =>
            reader.Value is string text ? IPAddress.Parse(text) : null;
    }

    private sealed class SystemSpecConverter : JsonConverter<SystemSpec>
    {
        public override void WriteJson(JsonWriter writer, SystemSpec? value, JsonSerializer serializer) =>
            writer.WriteValue(value is null ? null : SystemSpecJson.Write(value));

        public override SystemSpec? ReadJson(
            JsonReader reader, Type objectType, SystemSpec? existingValue, bool hasExistingValue, JsonSerializer serializer) =>
            reader.Value is string text ? SystemLoader.Parse(text, "a message from another node") : null;
    }
}
