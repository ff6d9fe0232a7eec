using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Xunit.Abstractions;

namespace Sdmi.ClusterTests;

/// <summary>
/// A three-node cluster on real processes, PostgreSQL, Docker and Open vSwitch, with one node cut
/// off from the other two and from the switch by <see cref="LoopbackPartition"/>. The split-brain
/// resolver (keep-majority) must down the cut node, whose process then exits. Through the whole
/// partition a sampler reads the controller roles from Open vSwitch every 200 ms: at most one MASTER
/// at any sample, and the generation_id that the nodes report for a confirmed MASTER never goes
/// down. The two remaining nodes must keep a MASTER among them and accept a command, and
/// connections between the containers must keep working. Each case appends its times to
/// artifacts/cluster-partition.tsv.
/// </summary>
public sealed class PartitionTests(ITestOutputHelper output)
{
    /// <summary>About 45 s of connections, 100 ms apart: longer than the partition takes to settle.</summary>
    private const int Connections = 450;

    private static readonly TimeSpan StepLimit = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan PartitionLimit = TimeSpan.FromSeconds(150);
    private static readonly TimeSpan SampleInterval = TimeSpan.FromMilliseconds(200);

    [Theory]
    [InlineData("master")]
    [InlineData("slave")]
    public async Task PartitionOneNode_MinorityDowned_OneMaster(string cut)
    {
        LoopbackPartition.RemoveAll();
        var logStarts = Enumerable.Range(0, LocalCluster.NodeCount).Select(LocalCluster.LogLength).ToList();
        using var cluster = LocalCluster.Start("sdmi_clustertest_partition_" + cut, null);
        try
        {
            await RunAsync(cluster, cut, logStarts);
        }
        finally
        {
            LoopbackPartition.RemoveAll();
        }
    }

    private async Task RunAsync(LocalCluster cluster, string cut, IReadOnlyList<long> logStarts)
    {
        var deployed = await LocalCluster.DeployAsync(1, TimeSpan.FromMinutes(5));
        Assert.True(deployed.GetProperty("succeeded").GetBoolean(), $"deployment failed: {deployed}");
        await Waits.UntilRolesSettledAsync(Stopwatch.StartNew());
        var roles = LocalCluster.ControllerRoles();
        var master = Enumerable.Range(0, LocalCluster.NodeCount).Single(n => roles[LocalCluster.ControllerTarget(n)] == "master");
        var victim = cut == "master" ? master : Enumerable.Range(0, LocalCluster.NodeCount).First(n => n != master);
        var majority = Enumerable.Range(0, LocalCluster.NodeCount).Where(n => n != victim).ToList();
        var victimPid = cluster.Pid(victim);
        var generationBefore = Assert.Single(cluster.Status().GetProperty("switches").EnumerateArray().ToList())
            .GetProperty("generationId").GetUInt64();
        output.WriteLine($"MASTER node {master} (generation_id {generationBefore}); cutting node {victim} (pid {victimPid})");

        using var loop = await ConnectLoop.StartAsync(Connections);
        using var sampling = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();
        var sampler = SampleAsync(clock, sampling.Token);
        Timeline timeline;
        int cutConnections;
        using (var partition = LoopbackPartition.Cut(
            victimPid,
            [LocalCluster.ClusterPort(victim), LocalCluster.OpenFlowPort(victim)],
            majority.Select(LocalCluster.ClusterPort).ToList(),
            PartitionLimit))
        {
            timeline = await FollowPartitionAsync(victim, victimPid, majority, clock);
            cutConnections = partition.CutConnectionCount;
        }

        var counts = loop.Finish();
        await sampling.CancelAsync();
        var samples = await sampler;
        var finalRoles = LocalCluster.ControllerRoles();
        var after = Assert.Single(cluster.Status().GetProperty("switches").EnumerateArray().ToList());
        var victimLog = LocalCluster.ReadLog(victim, logStarts[victim]);
        var removed = await LocalCluster.RemoveAsync(majority[0], TimeSpan.FromMinutes(3));

        var generationAfter = after.GetProperty("generationId").GetUInt64();
        Record(cut, victim, timeline, counts, samples, generationBefore, generationAfter, cutConnections);
        Assert.False(LocalCluster.IsRunning(victimPid), $"node {victim} (pid {victimPid}) still runs after the partition");
        Assert.Contains("SBR took decision Akka.Cluster.SBR.DownReachable", victimLog, StringComparison.Ordinal);
        Assert.Contains("Node has been marked as DOWN. Shutting down myself", victimLog, StringComparison.Ordinal);
        Assert.Contains("this node was removed from the cluster (downed); exiting", victimLog, StringComparison.Ordinal);
        Assert.Contains("sdmi: This node was removed from the cluster", victimLog, StringComparison.Ordinal);
        Assert.All(samples, s => Assert.True(s.Masters <= 1, $"{s.Masters} MASTER connections in ovs-vsctl at {s.At}: {s.Roles}"));
        AssertNeverDecreases(samples);
        Assert.Contains(majority, n => finalRoles[LocalCluster.ControllerTarget(n)] == "master");
        Assert.NotEqual("master", finalRoles[LocalCluster.ControllerTarget(victim)]);
        if (victim == master)
        {
            Assert.True(generationAfter > generationBefore, $"generation_id {generationAfter} is not above {generationBefore}");
        }
        else
        {
            Assert.Equal("master", finalRoles[LocalCluster.ControllerTarget(master)]);
            Assert.Equal(generationBefore, generationAfter);
        }

        Assert.True(counts.Failed == 0, $"{counts.Failed} of {counts.Attempted} connections failed: {counts.Text}");
        Assert.True(removed.GetProperty("succeeded").GetBoolean(), $"removal failed: {removed}");
    }

    /// <summary>
    /// Waits for each step of the partition in order and returns the time of each. The steps: the
    /// majority marks the cut node unreachable, its process exits, the majority removes it from the
    /// membership, a majority node is MASTER in ovs-vsctl, and a majority node accepts a command.
    /// </summary>
    private static async Task<Timeline> FollowPartitionAsync(int victim, int victimPid, IReadOnlyList<int> majority, Stopwatch clock)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var address = LocalCluster.MemberAddress(victim);
        var unreachable = await Waits.UntilAsync(
            async () => await AllSeeAsync(http, majority, view => Member(view, address) is not { } m || !m.GetProperty("reachable").GetBoolean()),
            clock,
            StepLimit,
            $"both majority nodes see node {victim} unreachable");
        var exited = await Waits.UntilAsync(
            () => !LocalCluster.IsRunning(victimPid), clock, StepLimit, $"node {victim} (pid {victimPid}) exits");
        var removed = await Waits.UntilAsync(
            async () => await AllSeeAsync(http, majority, view => Member(view, address) is null),
            clock,
            StepLimit,
            $"both majority nodes remove node {victim} from the membership");
        var masterTargets = majority.Select(LocalCluster.ControllerTarget).ToHashSet();
        var master = await Waits.UntilAsync(
            () => LocalCluster.ControllerRoles().Any(r => r.Value == "master" && masterTargets.Contains(r.Key)),
            clock,
            StepLimit,
            "a majority node is MASTER in ovs-vsctl");
        var command = await Waits.UntilAsync(
            async () => await AcceptsCommandAsync(majority[0]), clock, StepLimit, $"node {majority[0]} accepts a deployment");
        return new Timeline(unreachable, exited, removed, master, command);
    }

    private static async Task<bool> AllSeeAsync(HttpClient http, IReadOnlyList<int> nodes, Func<JsonElement, bool> condition)
    {
        foreach (var node in nodes)
        {
            if (await LocalCluster.ViewAsync(http, node) is not { } view || !condition(view))
            {
                return false;
            }
        }

        return true;
    }

    private static JsonElement? Member(JsonElement view, string address) =>
        view.GetProperty("members").EnumerateArray().Where(m => m.GetProperty("address").GetString() == address)
            .Select(m => (JsonElement?)m).FirstOrDefault();

    private static async Task<bool> AcceptsCommandAsync(int node)
    {
        try
        {
            var result = await LocalCluster.DeployAsync(node, TimeSpan.FromSeconds(60));
            return result.GetProperty("succeeded").GetBoolean();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>
    /// Reads the controller roles from ovs-vsctl and every node's GET /v1/cluster every
    /// <see cref="SampleInterval"/> until cancelled.
    /// </summary>
    private static async Task<IReadOnlyList<Sample>> SampleAsync(Stopwatch clock, CancellationToken cancellation)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        var samples = new List<Sample>();
        while (!cancellation.IsCancellationRequested)
        {
            var roles = LocalCluster.ControllerRoles();
            var views = await Task.WhenAll(Enumerable.Range(0, LocalCluster.NodeCount).Select(n => LocalCluster.ViewAsync(http, n)));
            var claims = views.OfType<JsonElement>()
                .SelectMany(v => v.GetProperty("switches").EnumerateArray())
                .Where(s => s.GetProperty("connected").GetBoolean() && s.GetProperty("role").GetString() == "master")
                .Select(s => s.GetProperty("generationId").GetUInt64())
                .ToList();
            samples.Add(new Sample(
                clock.Elapsed,
                roles.Values.Count(r => r == "master"),
                string.Join(' ', roles.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key}={r.Value}")),
                claims.Count,
                claims.Count == 0 ? null : claims.Max()));
            try
            {
                await Task.Delay(SampleInterval, cancellation);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return samples;
    }

    private static void AssertNeverDecreases(IReadOnlyList<Sample> samples)
    {
        ulong highest = 0;
        foreach (var sample in samples.Where(s => s.Generation is not null))
        {
            Assert.True(
                sample.Generation >= highest,
                $"generation_id went down from {highest} to {sample.Generation} at {sample.At}");
            highest = sample.Generation!.Value;
        }
    }

    private void Record(
        string cut, int victim, Timeline timeline, ConnectLoop.Counts counts, IReadOnlyList<Sample> samples,
        ulong before, ulong after, int cutConnections)
    {
        static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture);
        var line = string.Join('\t',
            DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            cut,
            $"{victim}",
            Seconds(timeline.Unreachable),
            Seconds(timeline.Exited),
            Seconds(timeline.Removed),
            Seconds(timeline.Master),
            Seconds(timeline.Command),
            $"{counts.Attempted - counts.Failed}/{counts.Attempted}",
            $"{before}->{after}",
            $"{samples.Count}",
            $"{samples.Max(s => s.Masters)}",
            $"{samples.Max(s => s.Claims)}",
            $"{cutConnections}");
        output.WriteLine(
            "time, cut node's role, cut node, cut->unreachable (s), cut->process exit (s), cut->removed (s), "
            + "cut->majority MASTER in ovs-vsctl (s), cut->command (s), connections, generation_id, samples, "
            + $"max MASTERs in ovs-vsctl, max nodes claiming MASTER, own connections cut: {line}");
        foreach (var sample in samples.Where(s => s.Claims > 1 || s.Masters > 1))
        {
            output.WriteLine($"at {sample.At}: {sample.Masters} MASTERs in ovs-vsctl, {sample.Claims} nodes claim MASTER: {sample.Roles}");
        }

        var file = Path.Combine(Commands.RepositoryRoot, "artifacts", "cluster-partition.tsv");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.AppendAllText(file, line + "\n");
    }

    private sealed record Timeline(TimeSpan Unreachable, TimeSpan Exited, TimeSpan Removed, TimeSpan Master, TimeSpan Command);

    /// <param name="Masters">Controller connections that ovs-vsctl lists with role master.</param>
    /// <param name="Claims">Nodes that report a connected MASTER connection (the switch's ROLE_REPLY).</param>
    /// <param name="Generation">The highest generation_id among those claims.</param>
    private sealed record Sample(TimeSpan At, int Masters, string Roles, int Claims, ulong? Generation);
}
