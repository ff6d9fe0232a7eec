namespace Sdmi.OpenFlow.Json;

/// <summary>
/// Invalid JSON input to <see cref="OpenFlowJson.Deserialize"/>: malformed JSON, an unknown or
/// missing property, or a value of the wrong kind or out of range.
/// </summary>
public sealed class OpenFlowJsonException : Exception
{
    public OpenFlowJsonException(string path, string? value, string expected, Exception? innerException = null)
        : base(FormatMessage(path, value, expected), innerException)
    {
        Path = path;
        Value = value;
        Expected = expected;
    }

    /// <summary>JSON path of the offending value, for example <c>$.match[0].value</c>.</summary>
    public string Path { get; }

    /// <summary>The offending value as JSON text, or null when the value is missing.</summary>
    public string? Value { get; }

    /// <summary>What the path requires, for example "an unsigned 16-bit integer".</summary>
    public string Expected { get; }

    private static string FormatMessage(string path, string? value, string expected) => value is null
        ? $"Invalid OpenFlow JSON at {path}: the value is missing; expected {expected}."
        : $"Invalid OpenFlow JSON at {path}: {value} is invalid; expected {expected}.";
}
