namespace Sdmi.Node.Gateway;

/// <summary>A route of the control API: its HTTP method and its template, such as "/v1/systems/{name}".</summary>
public sealed record ApiRoute(string Method, string Template)
{
    public override string ToString() => $"{Method} {Template}";
}

/// <summary>Error messages for a request that no route matches (HTTP 404 and 405).</summary>
public static class RouteMiss
{
    /// <summary>
    /// Describes a request that no route matches. When a route of the same method would match if its
    /// empty segments held values (GET /v1/transactions/ for GET /v1/transactions/{id}), the message
    /// names the empty parameter. Otherwise it lists every route.
    /// </summary>
    public static string NotFound(string method, string path, IReadOnlyList<ApiRoute> routes)
    {
        if (EmptyParameterMessage(method, path, routes) is { } message)
        {
            return message;
        }

        var known = string.Join(
            ", ",
            routes.OrderBy(r => r.Template, StringComparer.Ordinal).ThenBy(r => r.Method, StringComparer.Ordinal));
        return $"No route matches {method} {path}. The control API serves {known}.";
    }

    /// <summary>
    /// Describes a request whose path a route of another method matches. The empty parameter is
    /// named as in <see cref="NotFound"/>: DELETE /v1/systems/ matches POST /v1/systems, but it is
    /// meant for DELETE /v1/systems/{name}.
    /// </summary>
    /// <param name="allowed">The methods the path accepts, from the response's Allow header, or empty.</param>
    public static string MethodNotAllowed(string method, string path, string allowed, IReadOnlyList<ApiRoute> routes)
    {
        if (EmptyParameterMessage(method, path, routes) is { } message)
        {
            return message;
        }

        return string.IsNullOrWhiteSpace(allowed)
            ? $"{method} {path}: the method is not allowed on this path. Send another method."
            : $"{method} {path}: the method is not allowed on this path. Send {allowed} instead.";
    }

    private static string? EmptyParameterMessage(string method, string path, IReadOnlyList<ApiRoute> routes)
    {
        foreach (var route in routes.Where(r => string.Equals(r.Method, method, StringComparison.OrdinalIgnoreCase)))
        {
            if (EmptyParameter(route.Template, path) is { } parameter)
            {
                return $"No route matches {method} {path}: its {{{parameter}}} segment is empty. "
                    + $"Send {route} with a value for {parameter}.";
            }
        }

        return null;
    }

    /// <summary>
    /// Returns the name of the first parameter that is empty in <paramref name="path"/>, when the
    /// path has the template's segments and matches its literal segments. Returns null otherwise.
    /// </summary>
    private static string? EmptyParameter(string template, string path)
    {
        var templateSegments = template.Trim('/').Split('/');
        var pathSegments = path.TrimStart('/').Split('/');
        if (templateSegments.Length != pathSegments.Length)
        {
            return null;
        }

        string? empty = null;
        for (var i = 0; i < templateSegments.Length; i++)
        {
            var segment = templateSegments[i];
            if (segment.StartsWith('{') && segment.EndsWith('}'))
            {
                empty ??= pathSegments[i].Length == 0 ? segment[1..^1] : null;
            }
            else if (!string.Equals(segment, pathSegments[i], StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }
        }

        return empty;
    }
}
