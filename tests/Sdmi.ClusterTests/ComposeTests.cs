using System.Diagnostics;
using System.Text.Json;
using Xunit.Abstractions;

namespace Sdmi.ClusterTests;

/// <summary>
/// The cluster of docker-compose.test.yml on real containers: three nodes with the control and
/// gateway roles, journaling to PostgreSQL in a fourth container. The nodes carry no host role, so
/// a deployment is journaled but never creates a container. The test therefore checks the journal,
/// not the deployment's end.
/// </summary>
public sealed class ComposeTests(ITestOutputHelper output)
{
    private const string SystemName = "composetest";

    /// <summary>A system whose addresses exist nowhere: no node of this cluster creates containers or ports.</summary>
    private const string SystemJson = """
        {
          "system": "composetest",
          "hosts": [ { "name": "local", "bridge": "sdmicmp0" } ],
          "networks": [ { "name": "cmpnet", "subnet": "172.30.77.0/24", "gateway": "172.30.77.254" } ],
          "services": [
            { "name": "web", "image": "sdmi/app:1", "network": "cmpnet", "replicas": 2, "ports": [ { "port": 8080 } ] }
          ]
        }
        """;

    /// <summary>The journal manifest of SystemActor's declaration event: type name, then assembly.</summary>
    private const string DeclaredManifest = "Sdmi.Node.Systems.SystemEvents+SystemDeclared";

    private static readonly TimeSpan FormTimeout = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan JournalTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan FailoverTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task KillOneNode_SurvivorsAgree_DeclarationKept()
    {
        using var cluster = ComposeCluster.Start();
        var clock = Stopwatch.StartNew();
        int[] all = [0, 1, 2];
        var allAddresses = all.Select(ComposeCluster.Address).ToList();

        var formed = await WaitForMembersAsync(cluster, all, allAddresses, FormTimeout);
        output.WriteLine($"three members Up on every node after {clock.Elapsed.TotalSeconds:F1} s");
        var tables = await ComposeCluster.WaitForAsync("the journal tables", JournalTimeout, async () =>
        {
            var names = await ComposeCluster.JournalTablesAsync();
            return (names.Contains("journal") && names.Contains("snapshot"), names, string.Join(", ", names));
        });
        using var deployStop = new CancellationTokenSource();
        var deploy = cluster.DeployAsync(1, SystemJson, deployStop.Token);
        var declared = await WaitForDeclarationAsync(cluster, 2, deploy);
        var manifests = await ComposeCluster.JournalManifestsAsync("system-" + SystemName);
        // The deployment waits up to 2 minutes for a host actor that no member runs, so the request
        // is still open here and the cancellation ends it.
        await deployStop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => deploy);

        foreach (var view in formed)
        {
            foreach (var member in view.GetProperty("members").EnumerateArray())
            {
                var roles = member.GetProperty("roles").EnumerateArray().Select(r => r.GetString());
                Assert.Equal(["control", "gateway"], roles);
            }
        }

        Assert.Contains("journal", tables);
        Assert.Contains("snapshot", tables);
        Assert.Equal(1, declared.GetProperty("change").GetInt64());
        Assert.Equal(["web"], ServiceNames(declared));
        Assert.Contains(manifests, m => m.StartsWith(DeclaredManifest, StringComparison.Ordinal));

        // NOTE: node 0 is the first seed, which forms the cluster, so it is normally the oldest member
        // and runs the systems registry singleton. The test does not check which node runs it.
        ComposeCluster.Kill(0);
        var failover = Stopwatch.StartNew();
        int[] survivors = [1, 2];
        var survivorAddresses = survivors.Select(ComposeCluster.Address).ToList();
        var after = await WaitForMembersAsync(cluster, survivors, survivorAddresses, FailoverTimeout);
        output.WriteLine($"survivors agree on two members {failover.Elapsed.TotalSeconds:F1} s after docker kill");
        var recovered = await ComposeCluster.WaitForAsync(
            "the system registry on a survivor", FailoverTimeout, () => FindListedSystemAsync(cluster, 2));
        output.WriteLine($"system listed by a survivor {failover.Elapsed.TotalSeconds:F1} s after docker kill");
        var killedView = await cluster.ClusterViewAsync(0);

        Assert.Null(killedView);
        Assert.Equal(after[0].GetProperty("leader").GetString(), after[1].GetProperty("leader").GetString());
        Assert.Contains(after[0].GetProperty("leader").GetString(), survivorAddresses);
        Assert.Equal(1, recovered.GetProperty("change").GetInt64());
        Assert.Equal(["web"], ServiceNames(recovered));
    }

    /// <summary>
    /// Waits until each of <paramref name="nodes"/> reports exactly <paramref name="expected"/> as
    /// members, every one Up and reachable, and returns their views in the order of <paramref name="nodes"/>.
    /// </summary>
    private static Task<List<JsonElement>> WaitForMembersAsync(
        ComposeCluster cluster, IReadOnlyList<int> nodes, IReadOnlyList<string> expected, TimeSpan timeout)
    {
        var what = $"members {string.Join(", ", expected)} Up on nodes {string.Join(", ", nodes)}";
        return ComposeCluster.WaitForAsync(what, timeout, async () =>
        {
            var views = new List<JsonElement>();
            var observed = new List<string>();
            foreach (var node in nodes)
            {
                var view = await cluster.ClusterViewAsync(node);
                if (view is null)
                {
                    observed.Add($"node {node}: no answer");
                    continue;
                }

                var members = view.Value.GetProperty("members").EnumerateArray()
                    .Select(m => $"{m.GetProperty("address").GetString()} {m.GetProperty("status").GetString()}"
                        + (m.GetProperty("reachable").GetBoolean() ? "" : " unreachable"))
                    .Order(StringComparer.Ordinal)
                    .ToList();
                observed.Add($"node {node}: {string.Join(", ", members)}");
                if (members.SequenceEqual(expected.Select(a => a + " Up").Order(StringComparer.Ordinal)))
                {
                    views.Add(view.Value);
                }
            }

            return (views.Count == nodes.Count, views, string.Join("; ", observed));
        });
    }

    /// <summary>
    /// Waits until <paramref name="node"/> reports the test system with change 1 and returns its status.
    /// Fails at once with the node's reply if the deployment request ends first (a rejected file, say).
    /// </summary>
    private static Task<JsonElement> WaitForDeclarationAsync(ComposeCluster cluster, int node, Task<string> deploy) =>
        ComposeCluster.WaitForAsync($"system {SystemName} declared on node {node}", JournalTimeout, async () =>
        {
            if (deploy.IsCompleted)
            {
                Assert.Fail($"POST /v1/systems ended before the declaration was seen: {await deploy}");
            }

            var (status, reply) = await cluster.StatusAsync(node, SystemName);
            var system = status?.GetProperty("systems")[0] ?? default;
            var found = system.ValueKind == JsonValueKind.Object && system.GetProperty("change").GetInt64() == 1;
            return (found, system, reply);
        });

    /// <summary>Finds the test system in the list of every system that <paramref name="node"/> reports.</summary>
    private static async Task<(bool Met, JsonElement Value, string Observed)> FindListedSystemAsync(
        ComposeCluster cluster, int node)
    {
        var (status, reply) = await cluster.StatusAsync(node, null);
        var system = status?.GetProperty("systems").EnumerateArray()
            .FirstOrDefault(s => s.GetProperty("name").GetString() == SystemName) ?? default;
        var found = system.ValueKind == JsonValueKind.Object && system.GetProperty("change").GetInt64() > 0;
        return (found, system, reply);
    }

    private static IEnumerable<string?> ServiceNames(JsonElement system) =>
        system.GetProperty("services").EnumerateArray().Select(s => s.GetProperty("name").GetString());
}
