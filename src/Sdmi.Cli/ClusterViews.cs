using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sdmi.Cli;

/// <summary>
/// Reads every node's GET /v1/cluster and combines the views: members as the first answering node
/// sees them, and per switch the node whose connection the switch confirmed as MASTER.
/// </summary>
internal static class ClusterViews
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static async Task<IReadOnlyList<NodeView>> FetchAsync(ClusterNodes state)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        return await Task.WhenAll(state.Nodes.Select(async node =>
        {
            if (!ClusterNodes.IsRunning(node.Pid))
            {
                return new NodeView(node, false, null);
            }

            try
            {
                var body = await http.GetStringAsync(new Uri(new Uri(node.Gateway), "/v1/cluster"));
                using var document = JsonDocument.Parse(body);
                return new NodeView(node, true, document.RootElement.Clone());
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
            {
                return new NodeView(node, true, null);
            }
        }));
    }

    public static ClusterReport Report(IReadOnlyList<NodeView> views)
    {
        var nodes = views.Select(v => new NodeReport(
            v.Node.Index, v.Node.Pid, v.Running, v.View is not null, v.Node.Gateway, v.Node.Address, v.Node.ControllerTarget))
            .ToList();
        var members = views.Where(v => v.View is not null).Select(v => v.View!.Value).FirstOrDefault() is { ValueKind: JsonValueKind.Object } first
            ? first.GetProperty("members").EnumerateArray().Select(m => new MemberReport(
                m.GetProperty("address").GetString()!,
                m.GetProperty("status").GetString()!,
                m.GetProperty("roles").EnumerateArray().Select(r => r.GetString()!).ToList(),
                m.GetProperty("reachable").GetBoolean())).ToList()
            : [];

        var connections = views
            .Where(v => v.View is not null)
            .SelectMany(v => v.View!.Value.GetProperty("switches").EnumerateArray().Select(s => (
                Node: nodes[v.Node.Index],
                DatapathId: s.GetProperty("datapathId").GetString()!,
                Connected: s.GetProperty("connected").GetBoolean(),
                Role: s.GetProperty("role").GetString()!,
                Generation: s.GetProperty("generationId").GetUInt64())))
            .ToList();
        var switches = connections
            .GroupBy(c => c.DatapathId)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var master = g.Where(c => c.Connected && c.Role == "master").MaxBy(c => c.Generation);
                return new SwitchReport(
                    g.Key,
                    master.Node,
                    master.Node is null ? g.Max(c => c.Generation) : master.Generation,
                    g.Where(c => c.Connected && c.Role == "slave").Select(c => c.Node).ToList());
            })
            .ToList();
        return new ClusterReport(nodes, members, switches);
    }

    internal sealed record NodeView(ClusterNode Node, bool Running, JsonElement? View);

    internal sealed record ClusterReport(IReadOnlyList<NodeReport> Nodes, IReadOnlyList<MemberReport> Members, IReadOnlyList<SwitchReport> Switches);

    /// <param name="Answering">The node's control API answered GET /v1/cluster.</param>
    internal sealed record NodeReport(int Index, int Pid, bool Running, bool Answering, string Gateway, string? Address, string ControllerTarget);

    internal sealed record MemberReport(string Address, string Status, IReadOnlyList<string> Roles, bool Reachable);

    /// <param name="GenerationId">The MASTER's generation_id; without a MASTER, the highest any connection confirmed.</param>
    internal sealed record SwitchReport(string DatapathId, NodeReport? Master, ulong GenerationId, IReadOnlyList<NodeReport> Slaves);
}
