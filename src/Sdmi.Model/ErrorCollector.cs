namespace Sdmi.Model;

/// <summary>
/// Errors found so far, plus the paths of values that failed to read. The validator skips checks on those
/// paths, so one bad value produces one error instead of a cascade.
/// </summary>
internal sealed class ErrorCollector
{
    private readonly List<SystemFileError> _errors = [];
    private readonly HashSet<string> _invalidPaths = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _jsonPaths = new(StringComparer.Ordinal);

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

    /// <summary>
    /// Records that the value at error path <paramref name="errorPath"/> sits at <paramref name="jsonPath"/> in the
    /// source text. Error paths name networks ("networks.edge.children.x"), while the text nests them by position
    /// ("networks[0].networks[1]").
    /// </summary>
    public void MapToJsonPath(string errorPath, string jsonPath) => _jsonPaths[errorPath] = jsonPath;

    /// <summary>Returns the source text path for an error path, using the longest mapped prefix.</summary>
    public string ToJsonPath(string errorPath)
    {
        var best = string.Empty;
        foreach (var prefix in _jsonPaths.Keys)
        {
            var isPrefix = errorPath == prefix
                || (errorPath.StartsWith(prefix, StringComparison.Ordinal)
                    && errorPath.Length > prefix.Length
                    && errorPath[prefix.Length] is '.' or '[');
            if (isPrefix && prefix.Length > best.Length)
            {
                best = prefix;
            }
        }

        return best.Length == 0 ? errorPath : _jsonPaths[best] + errorPath[best.Length..];
    }
}
