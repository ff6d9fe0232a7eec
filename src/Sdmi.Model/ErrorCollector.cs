namespace Sdmi.Model;

/// <summary>
/// Errors found so far, plus the paths of values that failed to read. The validator skips checks on those
/// paths, so one bad value produces one error instead of a cascade.
/// </summary>
internal sealed class ErrorCollector
{
    private readonly List<SystemFileError> _errors = [];
    private readonly HashSet<string> _invalidPaths = new(StringComparer.Ordinal);

    public IReadOnlyList<SystemFileError> Errors => _errors;

    public bool HasErrors => _errors.Count > 0;

    public void Add(string path, string message, long? line = null, long? column = null)
    {
        _errors.Add(new SystemFileError(path, message, line, column));
        _invalidPaths.Add(path);
    }

    /// <summary>Marks a value as unusable without reporting a second error for it.</summary>
    public void MarkInvalid(string path) => _invalidPaths.Add(path);

    public bool IsInvalid(string path) => _invalidPaths.Contains(path);
}
