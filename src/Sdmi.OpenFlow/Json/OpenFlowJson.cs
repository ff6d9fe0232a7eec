using System.Text;
using System.Text.Json;
using Sdmi.OpenFlow.Messages;

namespace Sdmi.OpenFlow.Json;

/// <summary>
/// Converts OpenFlow messages to and from JSON, for debugging and for comparing with other
/// implementations. Every message the codec decodes has a JSON form, and
/// <c>Deserialize(Serialize(m))</c> equals <c>m</c>.
/// </summary>
/// <remarks>
/// The shape:
/// <list type="bullet">
/// <item>A message is an object whose "type" is the OFPT_* name without the prefix, followed by
/// "xid" and the message's fields: <c>{"type": "FLOW_MOD", "xid": 7, "cookie": 0, ...}</c>. Multipart
/// messages add "multipart_type" (the OFPMP_* name, such as "FLOW"). The ONF bundle messages, which
/// travel in OFPT_EXPERIMENTER, have the types "BUNDLE_CONTROL" and "BUNDLE_ADD_MESSAGE".</item>
/// <item>Field names are the snake_case names of the C# properties (<c>MissSendLength</c> is
/// "miss_send_length"). Integers are JSON numbers; input also accepts "0x"-prefixed strings.</item>
/// <item>Enum values are SNAKE_CASE member names ("ADD", "NO_MATCH"), or numbers for values without a
/// name. Flag sets are arrays of names (<c>["SEND_FLOW_REMOVED"]</c>), with a number for unnamed bits.</item>
/// <item>A match is a list of <c>{"field": "eth_dst", "value": "02:00:00:00:00:01", "mask": null}</c>.
/// MAC, IPv4 and IPv6 values are text, the others numbers. Fields of other OXM classes are
/// <c>{"class": 1, "field": 3, "value": "0000000a", "mask": null}</c> with hex bytes.</item>
/// <item>Actions, instructions, hello elements, meter bands and table feature properties are objects
/// with a "type" discriminator: "OUTPUT", "SET_FIELD", "NX_REG_MOVE", "APPLY_ACTIONS",
/// "GOTO_TABLE", "DROP", and so on. Unknown ones have the type "UNKNOWN" and keep their body.</item>
/// <item>MAC addresses such as a port's "hardware_address" are text, and opaque bytes (packet data,
/// experimenter data, unknown bodies) are lowercase hex strings.</item>
/// </list>
/// Input may leave out any field that has a default in the C# record (a FLOW_MOD needs only its
/// "type"). Unknown properties and invalid values raise <see cref="OpenFlowJsonException"/> with
/// the JSON path, the value and what was expected.
/// </remarks>
public static class OpenFlowJson
{
    private static readonly JsonWriterOptions CompactOptions = new() { Indented = false };
    private static readonly JsonWriterOptions IndentedOptions = new() { Indented = true };

    /// <summary>Returns the JSON form of <paramref name="message"/>, on one line unless indented.</summary>
    public static string Serialize(OpenFlowMessage message, bool indented = false)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, indented ? IndentedOptions : CompactOptions))
        {
            Serialize(writer, message);
        }

        return Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }

    /// <summary>Writes the JSON form of <paramref name="message"/> as one object.</summary>
    public static void Serialize(Utf8JsonWriter writer, OpenFlowMessage message)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(message);
        JsonMessageWriter.WriteMessage(writer, message);
    }

    /// <summary>
    /// Builds the message that <paramref name="json"/>, one JSON object, describes. Throws
    /// <see cref="OpenFlowJsonException"/> for malformed JSON and invalid content.
    /// </summary>
    public static OpenFlowMessage Deserialize(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using JsonDocument document = JsonDocument.Parse(json);
            return Deserialize(document.RootElement);
        }
        catch (JsonException exception)
        {
            throw new OpenFlowJsonException(
                $"$ (line {exception.LineNumber + 1}, byte {exception.BytePositionInLine + 1})",
                null,
                "well-formed JSON",
                exception);
        }
    }

    /// <summary>Builds the message that <paramref name="element"/> describes.</summary>
    public static OpenFlowMessage Deserialize(JsonElement element) => JsonMessageReader.ReadMessage(element, "$");
}
