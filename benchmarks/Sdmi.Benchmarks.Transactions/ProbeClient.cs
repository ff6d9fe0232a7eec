using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Sdmi.Benchmarks.Transactions;

/// <summary>Outcome of one probe request as the client saw it.</summary>
/// <param name="Latency">From just before sending the request until the whole response body was read.</param>
/// <param name="NodeElapsedMs">The node's own "elapsedMs" (from its Begin to the outcome), or null on failure.</param>
/// <param name="Error">Why the probe did not commit, or null when it did.</param>
internal sealed record ProbeResult(TimeSpan Latency, double? NodeElapsedMs, string? Error)
{
    public bool Committed => Error is null;
}

/// <summary>Sends POST /v1/transactions/probe with a fixed participant list, one HttpClient for every gateway.</summary>
internal sealed class ProbeClient : IDisposable
{
    private const string ProbePath = "v1/transactions/probe";
    private readonly HttpClient http;
    private readonly IReadOnlyList<Uri> probeUris;
    private readonly byte[] body;

    public ProbeClient(IReadOnlyList<Uri> gateways, IReadOnlyList<string> participants)
    {
        // No per-request timeout here: the load run's deadline cancels what is still in flight.
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            UseProxy = false,
        };
        http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        probeUris = [.. gateways.Select(gateway => new Uri(gateway, ProbePath))];
        body = JsonSerializer.SerializeToUtf8Bytes(new { participants });
    }

    /// <summary>Sends probe number <paramref name="index"/> to gateway index mod the gateway count.</summary>
    public async Task<ProbeResult> SendAsync(int index, CancellationToken cancellation)
    {
        Uri uri = probeUris[index % probeUris.Count];
        using var request = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Content = new ByteArrayContent(body) { Headers = { { "Content-Type", "application/json" } } },
        };
        long start = Stopwatch.GetTimestamp();
        try
        {
            using HttpResponseMessage response = await http.SendAsync(request, cancellation);
            byte[] content = await response.Content.ReadAsByteArrayAsync(cancellation);
            TimeSpan latency = Stopwatch.GetElapsedTime(start);
            return Interpret(uri, response.StatusCode, content, latency);
        }
        catch (HttpRequestException e)
        {
            return new ProbeResult(Stopwatch.GetElapsedTime(start), null, $"{uri}: request failed: {e.Message}");
        }
    }

    public void Dispose() => http.Dispose();

    private static ProbeResult Interpret(Uri uri, HttpStatusCode status, byte[] content, TimeSpan latency)
    {
        string text = Encoding.UTF8.GetString(content);
        if (status != HttpStatusCode.OK)
        {
            return new ProbeResult(latency, null, $"{uri}: HTTP {(int)status}: {text}");
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(content);
            JsonElement root = document.RootElement;
            string? decision = root.GetProperty("decision").GetString();
            if (decision != "commit")
            {
                return new ProbeResult(latency, null, $"{uri}: decision '{decision}': {text}");
            }

            return new ProbeResult(latency, root.GetProperty("elapsedMs").GetDouble(), null);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return new ProbeResult(latency, null, $"{uri}: invalid response body ({e.Message}): {text}");
        }
    }
}
