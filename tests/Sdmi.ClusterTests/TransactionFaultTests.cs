using System.Globalization;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Sdmi.ClusterTests;

/// <summary>
/// Kills a node with SIGKILL at the two moments a two-phase commit is most exposed, on a three-node
/// cluster with real processes, PostgreSQL, Docker and Open vSwitch. One test kills the
/// transaction's coordinator after every participant prepared and before it decided, the other
/// the host's node in the middle of a commit. A configuration overlay opens each window (sdmi.transactions.decision-delay and
/// host-commit-pause). Afterwards every participant must hold all of the transaction's effects or
/// none: no staged container left, no container twice, and only one rule set of flows on the switch.
/// </summary>
public sealed partial class TransactionFaultTests(ITestOutputHelper output)
{
    private static readonly TimeSpan RecoveryLimit = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task KillCoordinatorAfterPrepare_AbortsEverywhere()
    {
        var overlay = Overlay("sdmi.transactions.decision-delay = 25 s");
        using var cluster = LocalCluster.Start("sdmi_clustertest_txcoord", overlay);
        var logStarts = LogLengths();

        var deploy = LocalCluster.DeployAsync(1, TimeSpan.FromMinutes(8));
        var (node, transaction) = await WaitForLogAsync(PreparedLine(), logStarts, TimeSpan.FromMinutes(3));
        output.WriteLine($"transaction {transaction} prepared; its coordinator runs on node {node}");
        Assert.NotEmpty(Staged(transaction));
        LocalCluster.KillHard(cluster.Pid(node));

        // Presumed abort: the coordinator starts again on a survivor, finds no decision and aborts.
        await WaitForAsync(() => Staged(transaction).Count == 0 && NoContainerTwice(), RecoveryLimit);
        await IgnoreFailureAsync(deploy);
        Assert.DoesNotContain(SdmiFlows(), f => Cookie(f) is { } c && (ushort)c == TransactionBits(transaction));

        var survivor = node == 0 ? 1 : 0;
        var redeployed = await LocalCluster.DeployAsync(survivor, TimeSpan.FromMinutes(5));
        Assert.True(redeployed.GetProperty("succeeded").GetBoolean(), $"deployment after the recovery failed: {redeployed}");
        AssertConsistent();
        await LocalCluster.RemoveAsync(survivor, TimeSpan.FromMinutes(3));
    }

    [Fact]
    public async Task KillHostDuringCommit_CommitCompletes()
    {
        var overlay = Overlay("sdmi.transactions.host-commit-pause = 25 s");
        using var cluster = LocalCluster.Start("sdmi_clustertest_txhost", overlay);
        var logStarts = LogLengths();

        var deploy = LocalCluster.DeployAsync(1, TimeSpan.FromMinutes(8));
        var (node, transaction) = await WaitForLogAsync(CommitPauseLine(), logStarts, TimeSpan.FromMinutes(3));
        output.WriteLine($"transaction {transaction} is committing on node {node}'s host actor");
        LocalCluster.KillHard(cluster.Pid(node));

        // The coordinator sends the commit again; the host actor's next node adopts what the dead one started.
        var survivor = node == 0 ? 1 : 0;
        await WaitForAsync(() => SurvivorLogged(node, logStarts, $"Transaction {transaction}: completed"), RecoveryLimit);
        await IgnoreFailureAsync(deploy);
        Assert.Empty(Staged(transaction));
        Assert.True(NoContainerTwice(), "a replica has two containers");

        var redeployed = await LocalCluster.DeployAsync(survivor, TimeSpan.FromMinutes(5));
        Assert.True(redeployed.GetProperty("succeeded").GetBoolean(), $"deployment after the recovery failed: {redeployed}");
        AssertConsistent();
        await LocalCluster.RemoveAsync(survivor, TimeSpan.FromMinutes(3));
    }

    [GeneratedRegex(@"Transaction (\S+): all \d+ participants prepared; deciding in")]
    private static partial Regex PreparedLine();

    [GeneratedRegex(@"Transaction (\S+): pausing \d+ ms after starting")]
    private static partial Regex CommitPauseLine();

    /// <summary>One container per replica name, none staged, and every SDMI flow of the system from one rule set.</summary>
    private static void AssertConsistent()
    {
        var names = ContainerNames();
        Assert.Equal(["clustertest-app-01", "clustertest-db-01"], names.Order(StringComparer.Ordinal));
        var ruleSets = SdmiFlows().Select(f => Cookie(f)!.Value & RuleSetMask).Distinct().ToList();
        Assert.True(ruleSets.Count == 1, $"flows of {ruleSets.Count} rule sets on {LocalCluster.Bridge}");
    }

    private const ulong RuleSetMask = ulong.MaxValue << 16;

    /// <summary>Mirrors FlowCookies.TransactionBits: the FNV-1a hash of the id, folded to 16 bits.</summary>
    private static ushort TransactionBits(string transaction)
    {
        var hash = 2166136261u;
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(transaction))
        {
            hash = (hash ^ b) * 16777619u;
        }

        return (ushort)(hash ^ (hash >> 16));
    }

    /// <summary>Where each node's log ends now: node logs are appended to across runs, so only what follows counts.</summary>
    private static long[] LogLengths() =>
        Enumerable.Range(0, LocalCluster.NodeCount).Select(n => new FileInfo(LogPath(n)) is { Exists: true } f ? f.Length : 0).ToArray();

    private static string LogPath(int node) => Path.Combine("/var/log/sdmi/cluster", $"node-{node}.log");

    private static async Task<(int Node, string Transaction)> WaitForLogAsync(Regex line, long[] from, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            for (var node = 0; node < LocalCluster.NodeCount; node++)
            {
                var match = line.Match(ReadLog(node, from[node]));
                if (match.Success)
                {
                    return (node, match.Groups[1].Value);
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }

        throw new TimeoutException($"no node logged /{line}/ within {timeout.TotalSeconds} s");
    }

    private static bool SurvivorLogged(int killed, long[] from, string text) =>
        Enumerable.Range(0, LocalCluster.NodeCount).Where(n => n != killed)
            .Any(n => ReadLog(n, from[n]).Contains(text, StringComparison.Ordinal));

    private static string ReadLog(int node, long from)
    {
        using var stream = new FileStream(LogPath(node), FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(Math.Min(from, stream.Length), SeekOrigin.Begin);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static IReadOnlyList<string> Staged(string transaction) =>
        Lines(Commands.Run("docker", ["ps", "-aq", "--filter", $"label=sdmi.transaction={transaction}"], TimeSpan.FromSeconds(30)).Output)
            .Where(id => ContainerName(id).Contains(".next-", StringComparison.Ordinal))
            .ToList();

    private static string ContainerName(string id) =>
        Commands.Run("docker", ["inspect", "--format", "{{.Name}}", id], TimeSpan.FromSeconds(30)).Output.Trim().TrimStart('/');

    private static IReadOnlyList<string> ContainerNames() =>
        Lines(Commands.Run(
            "docker", ["ps", "-a", "--format", "{{.Names}}", "--filter", $"label=sdmi.system={LocalCluster.SystemName}"],
            TimeSpan.FromSeconds(30)).Output);

    private static bool NoContainerTwice()
    {
        var names = ContainerNames().Where(n => !n.Contains(".next-", StringComparison.Ordinal)).ToList();
        return names.Count == names.Distinct(StringComparer.Ordinal).Count();
    }

    private static IReadOnlyList<string> SdmiFlows() =>
        Lines(Commands.Run("ovs-ofctl", ["-O", "OpenFlow13", "dump-flows", LocalCluster.Bridge], TimeSpan.FromSeconds(10)).Output)
            .Where(l => l.Contains("cookie=0x5d", StringComparison.Ordinal))
            .ToList();

    private static ulong? Cookie(string flow)
    {
        var match = Regex.Match(flow, "cookie=0x([0-9a-f]+)");
        return match.Success ? ulong.Parse(match.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture) : null;
    }

    private static IReadOnlyList<string> Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private string Overlay(string setting)
    {
        var path = Path.Combine(Path.GetTempPath(), $"sdmi-txfault-{Guid.NewGuid():N}.hocon");
        File.WriteAllText(path, setting + "\n");
        output.WriteLine($"overlay {path}: {setting}");
        return path;
    }

    /// <summary>The deployment that was running when its node died may fail or time out; only its effects are judged.</summary>
    private async Task IgnoreFailureAsync(Task deploy)
    {
        try
        {
            await deploy.WaitAsync(TimeSpan.FromMinutes(4));
        }
        catch (Exception e) when (e is InvalidOperationException or HttpRequestException or TaskCanceledException or TimeoutException)
        {
            output.WriteLine($"the interrupted deployment ended with: {e.Message}");
        }
    }

    private static async Task WaitForAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"condition not met within {timeout.TotalSeconds} s");
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }
    }
}
