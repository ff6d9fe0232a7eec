using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Sdmi.ClusterTests;

/// <summary>Client of POST /v1/transactions/probe and GET /v1/transactions/{id} on one node's gateway.</summary>
internal static class TransactionProbe
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(90) };

    public static readonly string[] HostAndSwitch = ["host:local", "switch:" + LocalCluster.Bridge];

    /// <param name="Decision">"commit" or "abort"; null when the node replied with an error.</param>
    public sealed record Result(int Node, int Status, string? TransactionId, string? Decision, string? Error, TimeSpan Elapsed, DateTime At);

    public static async Task<Result> RunAsync(int node, IReadOnlyList<string> participants)
    {
        var body = JsonSerializer.Serialize(new { participants });
        var clock = Stopwatch.StartNew();
        var at = DateTime.UtcNow;
        try
        {
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            using var response = await Http.PostAsync($"{LocalCluster.Gateway(node)}/v1/transactions/probe", content);
            var text = await response.Content.ReadAsStringAsync();
            using var document = JsonDocument.Parse(text.Length == 0 ? "{}" : text);
            var root = document.RootElement;
            return new Result(
                node,
                (int)response.StatusCode,
                root.TryGetProperty("transactionId", out var id) ? id.GetString() : null,
                root.TryGetProperty("decision", out var decision) ? decision.GetString() : null,
                root.TryGetProperty("error", out var error) ? error.GetString() : null,
                clock.Elapsed,
                at);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            return new Result(node, 0, null, null, e.Message, clock.Elapsed, at);
        }
    }

    /// <summary>The phase and decision a node reports for a transaction, or the error text.</summary>
    public static async Task<(string? Phase, string? Decision, string Text)> StateAsync(int node, string transactionId)
    {
        var text = await Http.GetStringAsync($"{LocalCluster.Gateway(node)}/v1/transactions/{transactionId}");
        using var document = JsonDocument.Parse(text);
        var root = document.RootElement;
        return (
            root.TryGetProperty("phase", out var phase) ? phase.GetString() : null,
            root.TryGetProperty("decision", out var decision) ? decision.GetString() : null,
            text);
    }
}
