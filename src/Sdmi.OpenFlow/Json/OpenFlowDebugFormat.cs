using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Sdmi.OpenFlow.Messages;

namespace Sdmi.OpenFlow.Json;

/// <summary>
/// The text conversions behind <c>sdmi ofp decode</c> and <c>sdmi ofp encode</c>: hex to JSON lines
/// and JSON to hex, with errors that point at the failing message and byte.
/// </summary>
public static class OpenFlowDebugFormat
{
    /// <summary>
    /// Parses hexadecimal text such as <c>04 0e 00 50</c>, <c>04:0e:00:50</c> or <c>040e0050</c>.
    /// Whitespace and colons may appear anywhere between digits. Throws
    /// <see cref="FormatException"/> naming the first invalid character and its position.
    /// </summary>
    public static byte[] ParseHex(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var digits = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsAsciiHexDigit(c))
            {
                digits.Append(c);
            }
            else if (c != ':' && !char.IsWhiteSpace(c))
            {
                throw new FormatException(
                    $"Invalid hex input: character '{c}' at position {i} is not a hexadecimal digit, colon or space.");
            }
        }

        if (digits.Length % 2 != 0)
        {
            throw new FormatException(
                $"Invalid hex input: {digits.Length} hexadecimal digits do not make whole bytes, so one is missing.");
        }

        return Convert.FromHexString(digits.ToString());
    }

    /// <summary>
    /// Decodes the messages in <paramref name="bytes"/>, one after another, into one JSON line each.
    /// Stops at the first malformed or incomplete message and returns it as
    /// <see cref="DecodeResult.Error"/> next to the lines decoded before it.
    /// </summary>
    public static DecodeResult DecodeToJsonLines(ReadOnlySpan<byte> bytes)
    {
        var lines = new List<string>();
        int start = 0;
        while (start < bytes.Length)
        {
            ReadOnlySpan<byte> rest = bytes[start..];
            try
            {
                OperationStatus status = OpenFlowCodec.TryDecode(rest, out OpenFlowMessage? message, out int consumed);
                if (status != OperationStatus.Done)
                {
                    return new DecodeResult(lines, Incomplete(rest), start);
                }

                lines.Add(OpenFlowJson.Serialize(message!));
                start += consumed;
            }
            catch (OpenFlowProtocolException exception)
            {
                return new DecodeResult(lines, exception, start);
            }
        }

        return new DecodeResult(lines, null, start);
    }

    /// <summary>
    /// Encodes the messages that <paramref name="json"/> describes and returns their bytes as
    /// lowercase hex. The input is one message object, an array of them, or several objects one
    /// after another (as <see cref="DecodeToJsonLines"/> writes them). Throws
    /// <see cref="OpenFlowJsonException"/> for invalid input, with paths <c>$[i]</c> for the i-th of
    /// several messages.
    /// </summary>
    public static string EncodeJsonToHex(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        List<JsonElement> elements = ParseValues(json);
        bool several = elements.Count > 1 || elements is [{ ValueKind: JsonValueKind.Array }];
        if (elements is [{ ValueKind: JsonValueKind.Array } array])
        {
            elements = [.. array.EnumerateArray()];
        }

        var hex = new StringBuilder();
        for (int i = 0; i < elements.Count; i++)
        {
            string path = several ? $"$[{i}]" : "$";
            OpenFlowMessage message = JsonMessageReader.ReadMessage(elements[i], path);
            if (message.Length > OfpHeader.MaxMessageLength)
            {
                throw new OpenFlowJsonException(
                    path,
                    null,
                    $"a message of at most {OfpHeader.MaxMessageLength} bytes, not {message.Length}");
            }

            hex.Append(Convert.ToHexStringLower(message.ToArray()));
        }

        return hex.ToString();
    }

    /// <summary>
    /// Describes a decoding failure with the OFPET type and code, the byte offset counted from the
    /// start of the input, and the reason.
    /// </summary>
    public static string FormatError(OpenFlowProtocolException exception, int messageOffset)
    {
        ArgumentNullException.ThrowIfNull(exception);
        string code = ErrorCodeNames.Describe(exception.ErrorType, exception.ErrorCode);
        string type = exception.MessageType?.ToString() ?? "unknown";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"invalid OpenFlow {type} message at byte {messageOffset}: error type {exception.ErrorType} " +
            $"({(ushort)exception.ErrorType}), code {code} ({exception.ErrorCode}), " +
            $"offset {messageOffset + exception.Offset}: {exception.Reason}");
    }

    private static OpenFlowProtocolException Incomplete(ReadOnlySpan<byte> rest)
    {
        string reason = rest.Length < OfpHeader.Size
            ? $"{rest.Length} bytes are left, too few for an OpenFlow header"
            : $"header length {(rest[2] << 8) | rest[3]} exceeds the {rest.Length} bytes left";
        OfpType? type = rest.Length >= 2 ? (OfpType)rest[1] : null;
        return new OpenFlowProtocolException(
            OfpErrorType.BadRequest, (ushort)BadRequestCode.BadLen, type, 0, 0, reason);
    }

    private static List<JsonElement> ParseValues(string json)
    {
        var values = new List<JsonElement>();
        byte[] utf8 = Encoding.UTF8.GetBytes(json);
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { AllowMultipleValues = true });
        try
        {
            while (reader.Read())
            {
                using JsonDocument document = JsonDocument.ParseValue(ref reader);
                values.Add(document.RootElement.Clone());
            }
        }
        catch (JsonException exception)
        {
            throw new OpenFlowJsonException(
                $"$ (line {exception.LineNumber + 1}, byte {exception.BytePositionInLine + 1})",
                null,
                "well-formed JSON",
                exception);
        }

        if (values.Count == 0)
        {
            throw new OpenFlowJsonException("$", null, "a message object such as {\"type\": \"BARRIER_REQUEST\"}");
        }

        return values;
    }
}

/// <summary>
/// Output of <see cref="OpenFlowDebugFormat.DecodeToJsonLines"/>: the JSON lines of the messages that
/// decoded, and the failure that stopped decoding, if any, with the byte offset of the failing
/// message in the input.
/// </summary>
public sealed record DecodeResult(
    IReadOnlyList<string> Lines,
    OpenFlowProtocolException? Error,
    int ErrorMessageOffset);
