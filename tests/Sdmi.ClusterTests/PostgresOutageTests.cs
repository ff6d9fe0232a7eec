using System.Collections.Concurrent;
using System.Globalization;
using Xunit.Abstractions;

namespace Sdmi.ClusterTests;

/// <summary>
/// Stops the PostgreSQL server that stores the cluster's journal for 20 s while transactions arrive
/// every 100 ms at the three gateways, then starts it again. Meanwhile commands must fail with an
/// error that names the journal; every transaction acknowledged as committed, before, during or
/// after the outage, must read back as committed from the journal; and the cluster must accept
/// commands again, and redeploy its system, without anyone restarting a node.
/// </summary>
public sealed class PostgresOutageTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task PostgresOutage_FailsClearlyLosesNothing()
    {
        using var cluster = LocalCluster.Start("sdmi_clustertest_pgoutage", null);
        var deployed = await LocalCluster.DeployAsync(0, TimeSpan.FromMinutes(5));
        Assert.True(deployed.GetProperty("succeeded").GetBoolean(), $"deployment failed: {deployed}");

        var results = new ConcurrentBag<TransactionProbe.Result>();
        using var stopLoad = new CancellationTokenSource();
        var load = Task.Run(async () =>
        {
            for (var i = 0; !stopLoad.IsCancellationRequested && i < 2000; i++)
            {
                var node = i % LocalCluster.NodeCount;
                _ = TransactionProbe.RunAsync(node, TransactionProbe.HostAndSwitch).ContinueWith(t => results.Add(t.Result), TaskScheduler.Default);
                await Task.Delay(TimeSpan.FromMilliseconds(100));
            }
        });

        await Task.Delay(TimeSpan.FromSeconds(8));
        var (version, name) = PostgresCluster();
        DateTime stopped;
        DateTime starting = DateTime.MaxValue;
        DateTime restarted;
        try
        {
            Assert.Equal(0, Commands.Run("pg_ctlcluster", [version, name, "stop", "-m", "fast"], TimeSpan.FromSeconds(60)).ExitCode);
            stopped = DateTime.UtcNow;
            await Task.Delay(Outage);
        }
        finally
        {
            // PostgreSQL accepts connections before pg_ctlcluster returns, so the outage ends when the start begins.
            starting = DateTime.UtcNow;
            Commands.Run("pg_ctlcluster", [version, name, "start"], TimeSpan.FromSeconds(60));
            restarted = DateTime.UtcNow;
        }

        await WaitForAsync(() => results.Any(r => r.At > starting && r.Decision == "commit"), TimeSpan.FromMinutes(2));
        var firstCommit = results.Where(r => r.At > starting && r.Decision == "commit").Min(r => r.At + r.Elapsed) - starting;
        await Task.Delay(TimeSpan.FromSeconds(5));
        await stopLoad.CancelAsync();
        await load;
        // Requests still in flight end within their own 90 s client timeout.
        await Task.Delay(TimeSpan.FromSeconds(2));

        var all = results.ToList();
        var during = all.Where(r => r.At > stopped.AddSeconds(2) && r.At < starting).ToList();
        var failed = all.Where(r => r.Decision != "commit").ToList();
        var committed = all.Where(r => r.Decision == "commit").ToList();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{all.Count} requests: {committed.Count} committed, {failed.Count} failed; {during.Count} sent during the outage; "
            + $"first commit {firstCommit.TotalSeconds:F1} s after the start of PostgreSQL began (start took {(restarted - starting).TotalSeconds:F1} s)"));
        foreach (var sample in failed.GroupBy(f => (f.Status, f.Error?[..Math.Min(60, f.Error.Length)])).Take(5))
        {
            output.WriteLine($"  {sample.Count()} x HTTP {sample.Key.Status}: {sample.First().Error}");
        }

        Assert.True(during.Count > 0 && during.All(r => r.Decision != "commit"), "a transaction committed while the journal was down");
        Assert.All(failed, f => Assert.True(
            f.Status is 503 or 504 && f.Error is not null && (f.Error.Contains("journal", StringComparison.Ordinal) || f.Error.Contains("did not end", StringComparison.Ordinal)),
            $"unclear failure: HTTP {f.Status} {f.Error}"));
        foreach (var acknowledged in committed)
        {
            var (phase, decision, text) = await TransactionProbe.StateAsync(acknowledged.Node, acknowledged.TransactionId!);
            Assert.True(phase == "completed", $"acknowledged {acknowledged.TransactionId} reads back as {text}");
            Assert.True(decision == "commit", $"acknowledged {acknowledged.TransactionId} reads back as {text}");
        }

        var redeployed = await LocalCluster.DeployAsync(1, TimeSpan.FromMinutes(5));
        Assert.True(redeployed.GetProperty("succeeded").GetBoolean(), $"deployment after the outage failed: {redeployed}");
        await LocalCluster.RemoveAsync(2, TimeSpan.FromMinutes(3));
    }

    /// <summary>Version and name of the PostgreSQL cluster that tools/setup runs on 127.0.0.1:5432.</summary>
    private static (string Version, string Name) PostgresCluster()
    {
        var list = Commands.Run("pg_lsclusters", ["--no-header"], TimeSpan.FromSeconds(10));
        var line = list.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .First(f => f.Length > 2 && f[2] == "5432");
        return (line[0], line[1]);
    }

    private static async Task WaitForAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"condition not met within {timeout.TotalSeconds} s");
            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }
    }
}
