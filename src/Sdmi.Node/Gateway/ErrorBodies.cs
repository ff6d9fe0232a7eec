using Akka.Event;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Sdmi.Node.Gateway;

/// <summary>
/// Writes the JSON body that the handlers use, {"error": "..."}, for the error responses that no
/// endpoint handler writes. These are requests that Kestrel rejects while a handler reads the body
/// (413 over the request body size limit, 400 for a malformed body), paths or methods that no route
/// matches (404, 405), and exceptions that a handler does not catch (500, also logged).
/// </summary>
public static class ErrorBodies
{
    /// <summary>
    /// Adds the middleware. Call it before any other middleware, so that it also handles their errors.
    /// </summary>
    public static void Use(WebApplication app, ILoggingAdapter log)
    {
        app.UseStatusCodePages(context => WriteForStatusAsync(context.HttpContext));
        app.Use(async (http, next) =>
        {
            try
            {
                await next(http);
            }
            catch (BadHttpRequestException e) when (!http.Response.HasStarted)
            {
                await WriteAsync(http, e.StatusCode, Rejected(http, e));
            }
            // A cancellation that the client did not cause (an Ask cancelled inside the node) is a failure like any other.
            catch (Exception e) when (!http.RequestAborted.IsCancellationRequested && !http.Response.HasStarted)
            {
                log.Error(e, "Control API request {0} {1} failed", http.Request.Method, http.Request.Path);
                await WriteAsync(
                    http,
                    StatusCodes.Status500InternalServerError,
                    $"{Describe(http)} failed: {e.GetBaseException().Message.TrimEnd('.')}. "
                        + "Check the node log, then send the request again.");
            }
        });
    }

    private static string Rejected(HttpContext http, BadHttpRequestException e)
    {
        if (e.StatusCode != StatusCodes.Status413PayloadTooLarge)
        {
            return $"{Describe(http)}: the request is malformed: {e.Message.TrimEnd('.')}. "
                + "Send it again with a valid body.";
        }

        var declared = http.Request.ContentLength is { } length ? $" of {length} bytes" : "";
        var problem = $"{Describe(http)}: the request body{declared} is larger than the limit";
        var limit = http.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
        return limit is { } max
            ? $"{problem}. Send a body of at most {max} bytes."
            : $"{problem} ({e.Message.TrimEnd('.')}). Send a smaller body.";
    }

    private static Task WriteForStatusAsync(HttpContext http)
    {
        var method = http.Request.Method;
        var path = http.Request.Path.ToString();
        var status = http.Response.StatusCode;
        var message = status switch
        {
            StatusCodes.Status404NotFound => RouteMiss.NotFound(method, path, Routes(http)),
            StatusCodes.Status405MethodNotAllowed => RouteMiss.MethodNotAllowed(
                method, path, http.Response.Headers.Allow.ToString(), Routes(http)),
            _ => $"{Describe(http)} failed with HTTP {status} {ReasonPhrases.GetReasonPhrase(status)}.",
        };
        return WriteAsync(http, status, message);
    }

    private static List<ApiRoute> Routes(HttpContext http) =>
        http.RequestServices.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"])
                .Select(m => new ApiRoute(m, e.RoutePattern.RawText ?? "")))
            .ToList();

    private static string Describe(HttpContext http) => $"{http.Request.Method} {http.Request.Path}";

    private static Task WriteAsync(HttpContext http, int status, string message)
    {
        http.Response.StatusCode = status;
        return http.Response.WriteAsJsonAsync(new { error = message }, ControlApi.Json, http.RequestAborted);
    }
}
