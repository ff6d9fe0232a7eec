using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Sdmi.ClusterTests;

/// <summary>
/// Cuts one node of a <see cref="LocalCluster"/> off from the others and from the switch with
/// iptables DROP rules in the INPUT chain, on the loopback interface only, each tagged with
/// <see cref="Comment"/>. Dropped in INPUT, a packet vanishes without an error to its sender, as on
/// a broken link. The rules cover TCP packets from or to the node's listen ports (cluster and
/// OpenFlow). Akka.Remote may also carry traffic in both directions over a connection that the node
/// itself opened from an ephemeral port to another node's cluster port, which those rules miss. A
/// tracker therefore lists the node's own connections with `ss` every 200 ms and drops each such
/// connection by its exact pair of ports. Disposing removes every rule with the comment and stops
/// the tracker. A watchdog process in a session of its own removes the rules after a time limit
/// even when the test process dies first.
/// </summary>
internal sealed partial class LoopbackPartition : IDisposable
{
    /// <summary>The iptables comment on every rule this class adds.</summary>
    public const string Comment = "sdmi-clustertests-partition";

    /// <summary>Deletes every INPUT rule carrying <see cref="Comment"/>; the watchdog runs the same script.</summary>
    private const string RemoveScript =
        "iptables -w -S INPUT | grep -F -- '--comment " + Comment + "' | sed 's/^-A /-D /' | "
        + "while read -r rule; do iptables -w $rule; done";

    private static readonly TimeSpan TrackInterval = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(10);

    private readonly int pid;
    private readonly HashSet<int> peerPorts;
    private readonly HashSet<(int Local, int Remote)> cutConnections = [];
    private readonly Process watchdog;
    private readonly CancellationTokenSource stopping = new();
    private readonly Task tracker;

    private LoopbackPartition(int pid, IEnumerable<int> peerPorts, Process watchdog)
    {
        this.pid = pid;
        this.peerPorts = [.. peerPorts];
        this.watchdog = watchdog;
        CutOwnConnections();
        tracker = TrackAsync(stopping.Token);
    }

    /// <param name="pid">The node's process, whose own outgoing connections are cut as well.</param>
    /// <param name="listenPorts">The node's listen ports: every packet from or to them is dropped.</param>
    /// <param name="peerPorts">The other nodes' cluster ports, to which the node's own connections lead.</param>
    /// <param name="limit">The watchdog removes the rules this long after the cut.</param>
    public static LoopbackPartition Cut(int pid, IReadOnlyList<int> listenPorts, IReadOnlyList<int> peerPorts, TimeSpan limit)
    {
        RemoveAll();

        // The watchdog starts before the first rule, so no rule ever exists without it.
        var watchdog = StartWatchdog(limit);
        foreach (var port in listenPorts)
        {
            Drop(["--sport", $"{port}"]);
            Drop(["--dport", $"{port}"]);
        }

        return new LoopbackPartition(pid, peerPorts, watchdog);
    }

    /// <summary>Deletes every rule that carries <see cref="Comment"/>, including those of an earlier, interrupted run.</summary>
    public static void RemoveAll()
    {
        var result = Commands.Run("sh", ["-c", RemoveScript], CommandTimeout);
        Assert.True(result.ExitCode == 0, $"removing the iptables rules tagged {Comment} failed: {result}");
        Assert.Empty(Rules());
    }

    /// <summary>The INPUT rules that carry <see cref="Comment"/>, as `iptables -S` prints them.</summary>
    public static IReadOnlyList<string> Rules()
    {
        var result = Commands.Run("iptables", ["-w", "-S", "INPUT"], CommandTimeout);
        Assert.True(result.ExitCode == 0, $"iptables -S INPUT failed: {result}");
        return result.Output.Split('\n').Where(l => l.Contains("--comment " + Comment, StringComparison.Ordinal)).ToList();
    }

    /// <summary>The node's own connections that the tracker has cut so far.</summary>
    public int CutConnectionCount
    {
        get
        {
            lock (cutConnections)
            {
                return cutConnections.Count;
            }
        }
    }

    public void Dispose()
    {
        stopping.Cancel();
        try
        {
            tracker.Wait(CommandTimeout);
        }
        catch (AggregateException e) when (e.InnerExceptions.All(i => i is OperationCanceledException))
        {
            // The tracker ends with a cancellation; anything else is rethrown.
        }
        finally
        {
            RemoveAll();
            StopWatchdog();
            stopping.Dispose();
        }
    }

    private static Process StartWatchdog(TimeSpan limit)
    {
        var seconds = ((int)Math.Ceiling(limit.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        var script = $"exec >/dev/null 2>&1; sleep {seconds}; {RemoveScript}";
        return Commands.Start("setsid", ["sh", "-c", script], out _, out _);
    }

    /// <summary>Stops the watchdog's process group (setsid made the watchdog its leader), so it cannot cut a later test short.</summary>
    private void StopWatchdog()
    {
        if (!watchdog.HasExited)
        {
            Commands.Run("kill", ["-TERM", "--", $"-{watchdog.Id}"], CommandTimeout);
        }

        watchdog.Dispose();
    }

    private async Task TrackAsync(CancellationToken cancellation)
    {
        while (!cancellation.IsCancellationRequested)
        {
            await Task.Delay(TrackInterval, cancellation);
            CutOwnConnections();
        }
    }

    /// <summary>Drops, by exact port pair, every TCP connection of the node's process to another node's cluster port.</summary>
    private void CutOwnConnections()
    {
        var sockets = Commands.Run("ss", ["-tnpH"], CommandTimeout);
        Assert.True(sockets.ExitCode == 0, $"ss -tnpH failed: {sockets}");
        foreach (var line in sockets.Output.Split('\n'))
        {
            var match = SocketLine().Match(line);
            if (!match.Success || int.Parse(match.Groups["pid"].Value, CultureInfo.InvariantCulture) != pid)
            {
                continue;
            }

            var local = int.Parse(match.Groups["local"].Value, CultureInfo.InvariantCulture);
            var remote = int.Parse(match.Groups["remote"].Value, CultureInfo.InvariantCulture);
            bool added;
            lock (cutConnections)
            {
                added = peerPorts.Contains(remote) && cutConnections.Add((local, remote));
            }

            if (added)
            {
                Drop(["--sport", $"{local}", "--dport", $"{remote}"]);
                Drop(["--sport", $"{remote}", "--dport", $"{local}"]);
            }
        }
    }

    private static void Drop(IEnumerable<string> ports)
    {
        string[] arguments =
        [
            "-w", "-A", "INPUT", "-i", "lo", "-p", "tcp", .. ports, "-m", "comment", "--comment", Comment, "-j", "DROP",
        ];
        var result = Commands.Run("iptables", arguments, CommandTimeout);
        Assert.True(result.ExitCode == 0, $"iptables {string.Join(' ', arguments)} failed: {result}");
    }

    /// <summary>
    /// One `ss -tnpH` line: state, queues, local and peer address on 127.0.0.1, then the owning
    /// processes. The nodes' dual-mode sockets show the address as [::ffff:127.0.0.1], but their
    /// packets are IPv4, so the iptables rules match them.
    /// </summary>
    [GeneratedRegex(
        @"^\S+\s+\d+\s+\d+\s+(\[::ffff:)?127\.0\.0\.1\]?:(?<local>\d+)\s+(\[::ffff:)?127\.0\.0\.1\]?:(?<remote>\d+)\s+users:.*pid=(?<pid>\d+),")]
    private static partial Regex SocketLine();
}
