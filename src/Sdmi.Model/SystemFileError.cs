namespace Sdmi.Model;

/// <summary>One problem in a system file.</summary>
/// <param name="Path">Location of the value, such as "services[2].dependsOn[0]" or
/// "networks.datacenter.children.domain02.subnet"; empty for the whole document.</param>
/// <param name="Line">1-based line, when known.</param>
/// <param name="Column">1-based column in bytes, when known.</param>
public sealed record SystemFileError(string Path, string Message, long? Line = null, long? Column = null)
{
    public override string ToString()
    {
        var position = Line is null ? string.Empty : $"line {Line}, column {Column}";
        var location = (Path.Length, position.Length) switch
        {
            (0, _) => position,
            (_, 0) => Path,
            _ => $"{Path} ({position})",
        };
        return location.Length == 0 ? Message : $"{location}: {Message}";
    }
}
