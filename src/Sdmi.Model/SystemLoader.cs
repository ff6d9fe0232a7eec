using System.Text.Json;

namespace Sdmi.Model;

/// <summary>
/// Loads a system file (JSON, camelCase) and validates it. Either the whole spec is returned or
/// <see cref="SystemFileException"/> is thrown with every problem found. Nothing partial is returned.
/// </summary>
public static class SystemLoader
{
    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
    };

    public static SystemSpec LoadFile(string path)
    {
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new SystemFileException(
                path, [new SystemFileError(string.Empty, $"cannot read the file: {exception.Message}")]);
        }

        return Parse(json, path);
    }

    /// <param name="sourceName">Label for messages, usually the file path.</param>
    public static SystemSpec Parse(string json, string sourceName = "<input>")
    {
        using var document = ParseDocument(json, sourceName);
        var errors = new ErrorCollector();
        var spec = new SystemFileReader(errors).Read(document.RootElement);
        SystemValidator.Validate(spec, errors);
        if (errors.HasErrors)
        {
            throw new SystemFileException(sourceName, AddPositions(errors, json));
        }

        return spec;
    }

    /// <summary>Fills in the line and column of each error from where its value sits in the text.</summary>
    internal static List<SystemFileError> AddPositions(ErrorCollector errors, string json)
    {
        var locator = JsonLocator.Build(json);
        var located = new List<SystemFileError>(errors.Errors.Count);
        foreach (var error in errors.Errors)
        {
            var position = locator.Find(errors.ToJsonPath(error.Path));
            located.Add(position is { } found ? error with { Line = found.Line, Column = found.Column } : error);
        }

        return located;
    }

    internal static JsonDocument ParseDocument(string json, string sourceName)
    {
        try
        {
            return JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException exception)
        {
            // System.Text.Json counts lines and byte positions from 0.
            var line = exception.LineNumber + 1;
            var column = exception.BytePositionInLine + 1;
            var message = $"malformed JSON: {CleanJsonMessage(exception.Message)}";
            var error = new SystemFileError(string.Empty, message, line, column);
            throw new SystemFileException(sourceName, [error]);
        }
    }

    /// <summary>
    /// Drops the "LineNumber: ... BytePositionInLine: ..." suffix, which the error reports separately, and the
    /// advice to change reader options, which a user of the file cannot act on.
    /// </summary>
    private static string CleanJsonMessage(string message)
    {
        var suffix = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        var text = suffix < 0 ? message : message[..suffix];
        return text.Replace(" Change the reader options.", string.Empty, StringComparison.Ordinal).Trim();
    }
}
