using System.Text.Json;
using Sdmi.Node.Transactions;

namespace Sdmi.Node.Gateway;

/// <summary>
/// The body of POST /v1/transactions/probe: {"participants": ["host:NAME", "switch:BRIDGE", ...]}.
/// "participants" is the only field, and it is required when a body is sent.
/// </summary>
public static class ProbeRequest
{
    public const string ParticipantsField = "participants";

    private const int MaxQuotedValueLength = 80;

    private static readonly JsonDocumentOptions Options = new() { AllowDuplicateProperties = false };

    /// <summary>
    /// Parses the participants of a probe, without duplicates. An empty body probes the host
    /// <paramref name="host"/> alone.
    /// </summary>
    /// <exception cref="JsonException">The body is not JSON, or not an object of the accepted shape.</exception>
    public static IReadOnlyList<string> Parse(ReadOnlyMemory<byte> body, string host)
    {
        if (body.IsEmpty)
        {
            return [HostStep.ParticipantId(host)];
        }

        using var document = JsonDocument.Parse(body, Options);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException($"the body is {Quote(root)}, not an object");
        }

        var unknown = root.EnumerateObject().Select(p => p.Name).Where(n => n != ParticipantsField).ToList();
        if (unknown.Count > 0)
        {
            var names = string.Join(", ", unknown.Select(n => JsonSerializer.Serialize(n)));
            var noun = unknown.Count == 1 ? "field" : "fields";
            throw new JsonException($"unknown {noun} {names} (the only field is \"{ParticipantsField}\")");
        }

        if (!root.TryGetProperty(ParticipantsField, out var list))
        {
            throw new JsonException($"the field \"{ParticipantsField}\" is missing");
        }

        return Participants(list);
    }

    private static List<string> Participants(JsonElement list)
    {
        if (list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
        {
            throw new JsonException(
                $"\"{ParticipantsField}\" is {Quote(list)}, but it must be a non-empty array of participant ids");
        }

        var index = 0;
        foreach (var participant in list.EnumerateArray())
        {
            if (participant.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(participant.GetString()))
            {
                throw new JsonException($"\"{ParticipantsField}\"[{index}] is {Quote(participant)}, "
                    + "but a participant id is a non-empty string");
            }

            index++;
        }

        return list.EnumerateArray().Select(p => p.GetString()!).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>Returns the JSON text of a value for an error message, shortened when it is long.</summary>
    private static string Quote(JsonElement value)
    {
        var text = value.GetRawText();
        return text.Length <= MaxQuotedValueLength ? text : text[..MaxQuotedValueLength] + "...";
    }
}
