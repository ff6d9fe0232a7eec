using System.Globalization;
using Xunit.Abstractions;

namespace Sdmi.ClusterTests;

/// <summary>
/// 200 independent transactions submitted at once, spread over the three nodes' gateways, on real
/// processes, the PostgreSQL journal, the Docker engine and the test bridge. Each names the host
/// and the switch as participants and a resource of its own, so none waits for another. Every one
/// must commit and read back as committed from the journal.
/// </summary>
public sealed class TransactionLoadTests(ITestOutputHelper output)
{
    private const int Count = 200;

    [Fact]
    public async Task TwoHundredIndependentTransactions_AllCommit()
    {
        using var cluster = LocalCluster.Start("sdmi_clustertest_txload", null);
        var deployed = await LocalCluster.DeployAsync(0, TimeSpan.FromMinutes(5));
        Assert.True(deployed.GetProperty("succeeded").GetBoolean(), $"deployment failed: {deployed}");

        var started = DateTime.UtcNow;
        var results = await Task.WhenAll(Enumerable.Range(0, Count)
            .Select(i => TransactionProbe.RunAsync(i % LocalCluster.NodeCount, TransactionProbe.HostAndSwitch)));
        var wall = DateTime.UtcNow - started;

        var failed = results.Where(r => r.Decision != "commit").ToList();
        Assert.True(failed.Count == 0,
            $"{failed.Count} of {Count} did not commit, e.g. node {failed.FirstOrDefault()?.Node}: "
            + $"HTTP {failed.FirstOrDefault()?.Status} {failed.FirstOrDefault()?.Error}");
        Assert.Equal(Count, results.Select(r => r.TransactionId).Distinct().Count());
        foreach (var sample in results.Where((_, i) => i % 20 == 0))
        {
            var (phase, decision, text) = await TransactionProbe.StateAsync((sample.Node + 1) % LocalCluster.NodeCount, sample.TransactionId!);
            Assert.True(phase == "completed", $"{sample.TransactionId}: {text}");
            Assert.True(decision == "commit", $"{sample.TransactionId}: {text}");
        }

        var latencies = results.Select(r => r.Elapsed.TotalMilliseconds).Order().ToList();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Count} transactions in {wall.TotalSeconds:F2} s ({Count / wall.TotalSeconds:F1}/s); "
            + $"p50 {latencies[Count / 2]:F0} ms, p99 {latencies[(int)(Count * 0.99) - 1]:F0} ms"));
        await LocalCluster.RemoveAsync(0, TimeSpan.FromMinutes(3));
    }
}
