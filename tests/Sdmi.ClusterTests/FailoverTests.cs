using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Xunit.Abstractions;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Sdmi.ClusterTests;

/// <summary>
/// A three-node cluster on real processes, PostgreSQL, Docker and Open vSwitch: the node that is
/// MASTER of the test bridge is killed with SIGKILL while one container opens TCP connections to
/// another through the switch. Each case runs the whole scenario once with one set of
/// failure-detector and split-brain-resolver settings and appends its times to
/// artifacts/cluster-failover.tsv.
/// </summary>
public sealed class FailoverTests(ITestOutputHelper output)
{
    /// <summary>Connections the loop opens, 100 ms apart: about 90 s, longer than a failover with Akka's defaults.</summary>
    private const int Connections = 900;

    private static readonly TimeSpan FailoverLimit = TimeSpan.FromSeconds(180);

    [Theory]
    [InlineData("tuned", null)]
    [InlineData("akka-defaults", "cluster-config/akka-defaults.hocon")]
    public async Task KillMaster_AnotherNodeTakesOver_NoConnectionLost(string settings, string? overlay)
    {
        var overlayPath = overlay is null ? null : Path.Combine(Commands.RepositoryRoot, overlay);
        using var cluster = LocalCluster.Start("sdmi_clustertest_" + settings.Replace('-', '_'), overlayPath);

        var members = cluster.Status().GetProperty("members").EnumerateArray().ToList();
        Assert.Equal(LocalCluster.NodeCount, members.Count(m => m.GetProperty("status").GetString() == "Up"));

        var deployed = await LocalCluster.DeployAsync(1, TimeSpan.FromMinutes(5));
        Assert.True(deployed.GetProperty("succeeded").GetBoolean(), $"deployment failed: {deployed}");

        var before = Assert.Single(cluster.Status().GetProperty("switches").EnumerateArray().ToList());
        var master = before.GetProperty("master").GetProperty("index").GetInt32();
        var generation = before.GetProperty("generationId").GetUInt64();
        // ovs-vswitchd writes the role column a few seconds after a role change.
        await WaitForAsync(
            () => LocalCluster.ControllerRoles().Values.Count(r => r is "master" or "slave") == LocalCluster.NodeCount,
            TimeSpan.FromSeconds(30));
        var roles = LocalCluster.ControllerRoles();
        Assert.Equal("master", roles[LocalCluster.ControllerTarget(master)]);
        Assert.Equal(LocalCluster.NodeCount - 1, roles.Values.Count(r => r == "slave"));

        using var loop = await ConnectLoop.StartAsync(Connections);
        var pid = cluster.Pid(master);
        var clock = Stopwatch.StartNew();
        LocalCluster.KillHard(pid);

        var survivor = master == 0 ? 1 : 0;
        var confirmed = WaitForConfirmedMasterAsync(master, clock);
        var newMaster = WaitForNewMasterAsync(master, clock);
        var firstCommand = WaitForAcceptedCommandAsync(survivor, clock);
        var confirmedTime = await confirmed;
        var masterTime = await newMaster;
        var commandTime = await firstCommand;
        var counts = loop.Finish();

        var after = Assert.Single(cluster.Status().GetProperty("switches").EnumerateArray().ToList());
        var afterMaster = after.GetProperty("master").GetProperty("index").GetInt32();
        var afterGeneration = after.GetProperty("generationId").GetUInt64();
        var afterRoles = LocalCluster.ControllerRoles();
        var removed = await LocalCluster.RemoveAsync(survivor, TimeSpan.FromMinutes(3));

        Record(settings, confirmedTime, masterTime, commandTime, counts, generation, afterGeneration);
        Assert.NotEqual(master, afterMaster);
        Assert.True(afterGeneration > generation, $"generation_id {afterGeneration} after the failover is not above {generation}");
        Assert.Equal("master", afterRoles[LocalCluster.ControllerTarget(afterMaster)]);
        Assert.Equal(Connections, counts.Attempted);
        Assert.True(counts.Failed == 0, $"{counts.Failed} of {counts.Attempted} connections failed: {counts.Text}");
        Assert.True(removed.GetProperty("succeeded").GetBoolean(), $"removal failed: {removed}");
    }

    private static async Task<TimeSpan> WaitForNewMasterAsync(int killed, Stopwatch clock)
    {
        var killedTarget = LocalCluster.ControllerTarget(killed);
        while (clock.Elapsed < FailoverLimit)
        {
            var roles = LocalCluster.ControllerRoles();
            if (roles.Any(r => r.Value == "master" && r.Key != killedTarget))
            {
                return clock.Elapsed;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }

        throw new TimeoutException($"No node other than {killed} became MASTER within {FailoverLimit.TotalSeconds} s of the kill.");
    }

    /// <summary>
    /// Polls the surviving nodes' GET /v1/cluster until one reports that the switch confirmed its
    /// connection as MASTER (its ROLE_REPLY); Open vSwitch shows the new role in its database later.
    /// </summary>
    private static async Task<TimeSpan> WaitForConfirmedMasterAsync(int killed, Stopwatch clock)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var survivors = Enumerable.Range(0, LocalCluster.NodeCount).Where(n => n != killed).ToList();
        while (clock.Elapsed < FailoverLimit)
        {
            foreach (var node in survivors)
            {
                try
                {
                    using var view = JsonDocument.Parse(await http.GetStringAsync(LocalCluster.Gateway(node) + "/v1/cluster"));
                    if (view.RootElement.GetProperty("switches").EnumerateArray()
                        .Any(s => s.GetProperty("connected").GetBoolean() && s.GetProperty("role").GetString() == "master"))
                    {
                        return clock.Elapsed;
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    // The node is busy or restarting its API; ask again.
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }

        throw new TimeoutException($"No surviving node reported MASTER within {FailoverLimit.TotalSeconds} s of the kill.");
    }

    /// <summary>Sends the unchanged system again until a node accepts it and reports success.</summary>
    private static async Task<TimeSpan> WaitForAcceptedCommandAsync(int node, Stopwatch clock)
    {
        var last = "";
        while (clock.Elapsed < FailoverLimit)
        {
            try
            {
                var result = await LocalCluster.DeployAsync(node, TimeSpan.FromSeconds(60));
                if (result.GetProperty("succeeded").GetBoolean())
                {
                    return clock.Elapsed;
                }

                last = result.ToString();
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException)
            {
                last = e.Message;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }

        throw new TimeoutException($"Node {node} accepted no command within {FailoverLimit.TotalSeconds} s of the kill; last: {last}");
    }

    private static async Task WaitForAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"condition not met within {timeout.TotalSeconds} s");
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }

    private void Record(
        string settings, TimeSpan confirmed, TimeSpan master, TimeSpan command, ConnectLoop.Counts counts, ulong before, ulong after)
    {
        var line = string.Join('\t',
            DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            settings,
            confirmed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture),
            master.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture),
            command.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture),
            $"{counts.Attempted - counts.Failed}/{counts.Attempted}",
            $"{before}->{after}");
        output.WriteLine(
            "time, settings, kill->ROLE_REPLY MASTER (s), kill->MASTER in ovs-vsctl (s), kill->command (s), connections, "
            + $"generation_id: {line}");
        var file = Path.Combine(Commands.RepositoryRoot, "artifacts", "cluster-failover.tsv");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.AppendAllText(file, line + "\n");
    }
}
