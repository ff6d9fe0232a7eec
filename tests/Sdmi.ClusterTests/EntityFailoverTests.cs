using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Sdmi.ClusterTests;

/// <summary>
/// SIGKILL of the node that runs a service entity, on a three-node cluster with real processes,
/// PostgreSQL, Docker and Open vSwitch. Remember-entities must start the entity again on a
/// survivor without any request, and the entity must recover the same declared and observed state
/// from the journal: the same replicas, containers and addresses, and the same network leases.
/// </summary>
public sealed partial class EntityFailoverTests(ITestOutputHelper output)
{
    private const string Entity = $"{LocalCluster.SystemName}.app";
    private static readonly TimeSpan RecoveryLimit = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task KillServiceEntityNode_StateRecoveredOnSurvivor()
    {
        using var cluster = LocalCluster.Start("sdmi_clustertest_entities", null);
        var logStarts = LogLengths();
        var deployed = await LocalCluster.DeployAsync(1, TimeSpan.FromMinutes(5));
        Assert.True(deployed.GetProperty("succeeded").GetBoolean(), $"deployment failed: {deployed}");
        var node = LastStart(logStarts);
        var survivor = node == 0 ? 1 : 0;
        var service = await GetAsync(survivor, "services/app");
        var network = await GetAsync(survivor, "networks/ctfront");
        output.WriteLine($"entity {Entity} runs on node {node}; killing it");

        var afterKill = LogLengths();
        var clock = Stopwatch.StartNew();
        LocalCluster.KillHard(cluster.Pid(node));
        await WaitForAsync(
            () => Enumerable.Range(0, LocalCluster.NodeCount).Where(n => n != node)
                .Any(n => StartedLine().IsMatch(LocalCluster.ReadLog(n, afterKill[n]))),
            RecoveryLimit,
            $"a survivor logs that entity {Entity} started");
        output.WriteLine($"entity {Entity} started on a survivor {clock.Elapsed.TotalSeconds:F1} s after the kill");
        var serviceAfter = await GetAsync(survivor, "services/app");
        var networkAfter = await GetAsync(survivor, "networks/ctfront");

        using var document = JsonDocument.Parse(service);
        Assert.True(document.RootElement.GetProperty("declared").GetBoolean(), service);
        Assert.NotEqual(0, document.RootElement.GetProperty("observed").GetArrayLength());
        Assert.Equal(Field(service, "observed"), Field(serviceAfter, "observed"));
        Assert.Equal(Field(service, "replicas"), Field(serviceAfter, "replicas"));
        Assert.Equal(Field(network, "leases"), Field(networkAfter, "leases"));
        Assert.Equal(Field(network, "subnet"), Field(networkAfter, "subnet"));
        var again = await LocalCluster.DeployAsync(survivor, TimeSpan.FromMinutes(5));
        Assert.True(again.GetProperty("succeeded").GetBoolean(), $"deployment after the failover failed: {again}");
        var removed = await LocalCluster.RemoveAsync(survivor, TimeSpan.FromMinutes(3));
        Assert.True(removed.GetProperty("succeeded").GetBoolean(), $"removal failed: {removed}");
    }

    /// <summary>The entity's state as a node's control API returns it, compact.</summary>
    private static async Task<string> GetAsync(int node, string path)
    {
        using var http = new HttpClient { BaseAddress = new Uri(LocalCluster.Gateway(node)), Timeout = TimeSpan.FromSeconds(30) };
        var body = await http.GetStringAsync($"/v1/systems/{LocalCluster.SystemName}/{path}");
        using var document = JsonDocument.Parse(body);
        return JsonSerializer.Serialize(document.RootElement);
    }

    /// <summary>The node that logged the entity's start last: shards can move while the cluster forms.</summary>
    private static int LastStart(long[] from)
    {
        var starts = Enumerable.Range(0, LocalCluster.NodeCount)
            .SelectMany(n => StartedLine().Matches(LocalCluster.ReadLog(n, from[n])).Select(m => (Node: n, At: m.Groups["at"].Value)))
            .OrderBy(s => s.At, StringComparer.Ordinal)
            .ToList();
        Assert.NotEmpty(starts);
        return starts[^1].Node;
    }

    private static string Field(string json, string name)
    {
        using var document = JsonDocument.Parse(json);
        return JsonSerializer.Serialize(document.RootElement.GetProperty(name));
    }

    private static long[] LogLengths() => Enumerable.Range(0, LocalCluster.NodeCount).Select(LocalCluster.LogLength).ToArray();

    private static async Task WaitForAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out after {timeout.TotalSeconds} s waiting until {what}");
            await Task.Delay(500);
        }
    }

    /// <summary>Akka's log line of the entity's start, with its timestamp ("[INFO][12/04/2026 21:34:18.538Z]...").</summary>
    [GeneratedRegex(@"\[INFO\]\[(?<at>[0-9/]+ [0-9:.]+Z)\][^\n]*Service clustertest\.app: started, recovered \d+ events")]
    private static partial Regex StartedLine();
}
