using System.Text;
using System.Text.Json;

namespace Sdmi.Model;

/// <summary>
/// Finds the line and column of a value in JSON text by its path ("services[2].dependsOn[0]"), so errors found
/// after parsing can still point into the file. Lines and columns are 1-based and columns count bytes, as in
/// System.Text.Json's own syntax errors.
/// </summary>
internal sealed class JsonLocator
{
    private readonly byte[] _utf8;
    private readonly Dictionary<string, long> _offsets = new(StringComparer.Ordinal);

    private JsonLocator(byte[] utf8)
    {
        _utf8 = utf8;
    }

    /// <summary>Indexes every property and array item of <paramref name="json"/>, which must be well-formed.</summary>
    public static JsonLocator Build(string json)
    {
        var locator = new JsonLocator(Encoding.UTF8.GetBytes(json));
        locator.Index();
        return locator;
    }

    /// <summary>
    /// Returns the position of <paramref name="path"/>, or of its nearest enclosing value when the path itself is
    /// not in the text (a missing field is reported at its object). Returns null for the empty path.
    /// </summary>
    public (long Line, long Column)? Find(string path)
    {
        var current = path;
        while (current.Length > 0)
        {
            if (_offsets.TryGetValue(current, out var offset))
            {
                return ToLineAndColumn(offset);
            }

            current = Parent(current);
        }

        return null;
    }

    private static string Parent(string path)
    {
        var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
        return cut <= 0 ? string.Empty : path[..cut];
    }

    private void Index()
    {
        var reader = new Utf8JsonReader(_utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });

        // Each open container has its path, and for arrays the index of the next item (-1 for objects).
        var containers = new Stack<(string Path, int NextIndex)>();
        string? pendingProperty = null;
        while (reader.Read())
        {
            var valuePath = ValuePath(containers, ref pendingProperty, reader);
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    var name = reader.GetString() ?? string.Empty;
                    var (objectPath, _) = containers.Peek();
                    pendingProperty = ModelPaths.Field(objectPath, name);
                    _offsets.TryAdd(pendingProperty, reader.TokenStartIndex);
                    break;
                case JsonTokenType.StartObject:
                    containers.Push((valuePath ?? string.Empty, -1));
                    break;
                case JsonTokenType.StartArray:
                    containers.Push((valuePath ?? string.Empty, 0));
                    break;
                case JsonTokenType.EndObject:
                case JsonTokenType.EndArray:
                    containers.Pop();
                    break;
            }
        }
    }

    /// <summary>
    /// Returns the path of the value token the reader is on, records array items, and clears the pending property
    /// name. Returns null for tokens that are not values.
    /// </summary>
    private string? ValuePath(
        Stack<(string Path, int NextIndex)> containers, ref string? pendingProperty, Utf8JsonReader reader)
    {
        if (reader.TokenType is JsonTokenType.PropertyName or JsonTokenType.EndObject or JsonTokenType.EndArray)
        {
            return null;
        }

        if (containers.Count == 0)
        {
            return string.Empty;
        }

        var (path, nextIndex) = containers.Peek();
        if (nextIndex < 0)
        {
            var propertyPath = pendingProperty;
            pendingProperty = null;
            return propertyPath;
        }

        containers.Pop();
        containers.Push((path, nextIndex + 1));
        var itemPath = ModelPaths.Item(path, nextIndex);
        _offsets.TryAdd(itemPath, reader.TokenStartIndex);
        return itemPath;
    }

    private (long Line, long Column) ToLineAndColumn(long offset)
    {
        long line = 1;
        long lineStart = 0;
        for (long i = 0; i < offset && i < _utf8.Length; i++)
        {
            if (_utf8[i] == (byte)'\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return (line, offset - lineStart + 1);
    }
}
