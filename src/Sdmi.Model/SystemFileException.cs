namespace Sdmi.Model;

/// <summary>Raised when a system file is invalid; <see cref="Errors"/> lists every problem found.</summary>
public sealed class SystemFileException : Exception
{
    public SystemFileException(string sourceName, IReadOnlyList<SystemFileError> errors)
        : base(FormatMessage(sourceName, errors))
    {
        SourceName = sourceName;
        Errors = errors;
    }

    /// <summary>File path or other label of the input, as given to the loader.</summary>
    public string SourceName { get; }

    public IReadOnlyList<SystemFileError> Errors { get; }

    private static string FormatMessage(string sourceName, IReadOnlyList<SystemFileError> errors)
    {
        var noun = errors.Count == 1 ? "error" : "errors";
        var lines = errors.Select(error => $"  {error}");
        return $"{sourceName}: {errors.Count} {noun}:{Environment.NewLine}"
            + string.Join(Environment.NewLine, lines);
    }
}
