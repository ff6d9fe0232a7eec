using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Sdmi.ClusterTests;

/// <summary>
/// A three-node cluster on real processes, PostgreSQL, Docker and Open vSwitch is stopped as a
/// whole with `sdmi cluster down` and started again on the same journal. The restarted nodes must
/// recover the test system without any command, adopt its running containers instead of
/// restarting or recreating them, leave its flows as they were, report the same status, recover the
/// service and network entities' state from the journal, and accept a command that changes nothing. The case appends its times to artifacts/cluster-restart.tsv.
/// </summary>
public sealed partial class RestartTests(ITestOutputHelper output)
{
    private const string Schema = "sdmi_clustertest_restart";
    private const string RecoveredLine = $"System {LocalCluster.SystemName}: recovered change";
    private static readonly TimeSpan StepLimit = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task RestartWholeCluster_AdoptsContainersAndFlows()
    {
        using var cluster = LocalCluster.Start(Schema, null);
        var deployed = await LocalCluster.DeployAsync(1, TimeSpan.FromMinutes(5));
        Assert.True(deployed.GetProperty("succeeded").GetBoolean(), $"deployment failed: {deployed}");
        await Waits.UntilRolesSettledAsync(Stopwatch.StartNew());
        var containers = Containers();
        var status = await StatusAsync(1);
        var flows = Flows();
        var entities = await EntitiesAsync(1);
        var generation = Assert.Single(cluster.Status().GetProperty("switches").EnumerateArray().ToList())
            .GetProperty("generationId").GetUInt64();

        var stopStarts = Enumerable.Range(0, LocalCluster.NodeCount).Select(LocalCluster.LogLength).ToList();
        cluster.Stop();
        var logStarts = Enumerable.Range(0, LocalCluster.NodeCount).Select(LocalCluster.LogLength).ToList();
        var stopLogs = Enumerable.Range(0, LocalCluster.NodeCount).Select(n => LocalCluster.ReadLog(n, stopStarts[n])).ToList();
        var flowsWhileDown = Flows();
        var clock = Stopwatch.StartNew();
        cluster.StartAgain();
        var upTime = clock.Elapsed;

        // No request reaches the system before this point, so the recovery below is the cluster's own.
        var recoveredTime = await Waits.UntilAsync(
            () => Enumerable.Range(0, LocalCluster.NodeCount)
                .Any(n => LocalCluster.ReadLog(n, logStarts[n]).Contains(RecoveredLine, StringComparison.Ordinal)),
            clock,
            StepLimit,
            $"a node logs \"{RecoveredLine}\" without any command");
        var masterTime = await Waits.UntilAsync(
            () => LocalCluster.ControllerRoles().Values.Any(r => r == "master"), clock, StepLimit, "a node is MASTER in ovs-vsctl");
        var statusAfter = "";
        var upPhaseTime = await Waits.UntilAsync(
            async () => (statusAfter = await StatusAsync(0)) == status, clock, StepLimit, "the status equals the status before the restart");
        var containersAfter = Containers();
        var flowsAfter = Flows();
        var entitiesAfter = await EntitiesAsync(2);
        var again = await LocalCluster.DeployAsync(2, TimeSpan.FromMinutes(3));
        var commandTime = clock.Elapsed;
        var containersFinal = Containers();
        var flowsFinal = Flows();
        var generationAfter = Assert.Single(cluster.Status().GetProperty("switches").EnumerateArray().ToList())
            .GetProperty("generationId").GetUInt64();
        var removed = await LocalCluster.RemoveAsync(0, TimeSpan.FromMinutes(3));

        Record(upTime, recoveredTime, masterTime, upPhaseTime, commandTime, containers.Count, flows.Count, generation, generationAfter);
        Assert.All(stopLogs, log => Assert.Contains("Node stopping", log, StringComparison.Ordinal));
        Assert.All(stopLogs, log => Assert.DoesNotContain("removed from the cluster (downed)", log, StringComparison.Ordinal));
        Assert.NotEmpty(containers);
        Assert.NotEmpty(flows);
        Assert.Equal(flows, flowsWhileDown);
        Assert.Equal(containers, containersAfter);
        Assert.Equal(flows, flowsAfter);
        Assert.Equal(status, statusAfter);
        Assert.Contains("\"leases\":[{", entities, StringComparison.Ordinal);
        Assert.Equal(entities, entitiesAfter);
        Assert.True(again.GetProperty("succeeded").GetBoolean(), $"the deployment after the restart failed: {again}");
        Assert.False(again.GetProperty("changed").GetBoolean(), $"the unchanged system changed something: {again}");
        Assert.Equal(containers, containersFinal);
        Assert.Equal(flows, flowsFinal);
        Assert.True(generationAfter > generation, $"generation_id {generationAfter} after the restart is not above {generation}");
        Assert.True(removed.GetProperty("succeeded").GetBoolean(), $"removal failed: {removed}");
    }

    /// <summary>
    /// Every container of the test system: id, name, State.StartedAt and RestartCount, so a restarted
    /// or recreated container shows as a different entry.
    /// </summary>
    private static IReadOnlyList<string> Containers()
    {
        var ids = Commands.Run(
            "docker", ["ps", "-aq", "--no-trunc", "--filter", $"label=sdmi.system={LocalCluster.SystemName}"], CommandTimeout);
        Assert.True(ids.ExitCode == 0, $"docker ps failed: {ids}");
        var list = ids.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (list.Length == 0)
        {
            return [];
        }

        var inspect = Commands.Run(
            "docker",
            ["inspect", "--format", "{{.Id}} {{.Name}} {{.State.Status}} {{.State.StartedAt}} restarts={{.RestartCount}}", .. list],
            CommandTimeout);
        Assert.True(inspect.ExitCode == 0, $"docker inspect failed: {inspect}");
        return inspect.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The bridge's flows with an SDMI cookie (0x5d in the top byte), without counters and ages.</summary>
    private static IReadOnlyList<string> Flows()
    {
        var dump = Commands.Run("ovs-ofctl", ["-O", "OpenFlow13", "dump-flows", LocalCluster.Bridge], CommandTimeout);
        Assert.True(dump.ExitCode == 0, $"ovs-ofctl dump-flows {LocalCluster.Bridge} failed: {dump}");
        return dump.Output.Split('\n')
            .Where(l => l.TrimStart().StartsWith("cookie=0x5d", StringComparison.Ordinal))
            .Select(l => Counters().Replace(l, "").Trim())
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The node's GET /v1/status of the test system, as compact JSON.</summary>
    private static async Task<string> StatusAsync(int node)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            var body = await http.GetStringAsync($"{LocalCluster.Gateway(node)}/v1/status?system={LocalCluster.SystemName}");
            using var document = JsonDocument.Parse(body);
            return JsonSerializer.Serialize(document.RootElement);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return $"no status: {e.Message}";
        }
    }

    /// <summary>
    /// The declared and observed state of the test system's service and network entities, read
    /// through the node's control API: replicas with their containers and addresses, and leases.
    /// </summary>
    private static async Task<string> EntitiesAsync(int node)
    {
        using var http = new HttpClient { BaseAddress = new Uri(LocalCluster.Gateway(node)), Timeout = TimeSpan.FromSeconds(30) };
        var parts = new List<string>();
        foreach (var service in new[] { "db", "app" })
        {
            using var document = JsonDocument.Parse(await http.GetStringAsync($"/v1/systems/{LocalCluster.SystemName}/services/{service}"));
            var root = document.RootElement;
            var observed = root.GetProperty("observed").EnumerateArray()
                .Select(r => $"{r.GetProperty("name").GetString()} {r.GetProperty("containerId").GetString()} "
                    + $"{r.GetProperty("address").GetString()} port {r.GetProperty("port").GetUInt32()}");
            parts.Add($"{service}: {root.GetProperty("replicas").GetInt32()} of {root.GetProperty("image").GetString()}, {string.Join("; ", observed)}");
        }

        foreach (var network in new[] { "ctfront", "ctback" })
        {
            using var document = JsonDocument.Parse(await http.GetStringAsync($"/v1/systems/{LocalCluster.SystemName}/networks/{network}"));
            var root = document.RootElement;
            parts.Add($"{network}: {root.GetProperty("subnet").GetString()} {root.GetProperty("range").GetString()} "
                + $"\"leases\":{JsonSerializer.Serialize(root.GetProperty("leases"))}");
        }

        return string.Join('\n', parts);
    }

    private void Record(
        TimeSpan up, TimeSpan recovered, TimeSpan master, TimeSpan sameStatus, TimeSpan command,
        int containers, int flows, ulong before, ulong after)
    {
        static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture);
        var line = string.Join('\t',
            DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            Seconds(up),
            Seconds(recovered),
            Seconds(master),
            Seconds(sameStatus),
            Seconds(command),
            $"{containers}",
            $"{flows}",
            $"{before}->{after}");
        output.WriteLine(
            "time, up->all members Up (s), up->system recovered (s), up->MASTER in ovs-vsctl (s), up->same status (s), "
            + $"up->unchanged deployment done (s), containers, SDMI flows, generation_id: {line}");
        var file = Path.Combine(Commands.RepositoryRoot, "artifacts", "cluster-restart.tsv");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.AppendAllText(file, line + "\n");
    }

    [GeneratedRegex(@"\b(duration|n_packets|n_bytes|idle_age|hard_age)=[^,\s]*,?\s*")]
    private static partial Regex Counters();
}
