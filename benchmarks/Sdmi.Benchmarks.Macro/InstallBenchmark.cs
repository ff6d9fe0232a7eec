using System.Diagnostics;
using Sdmi.OpenFlow.Connection;
using Sdmi.OpenFlow.Messages;

namespace Sdmi.Benchmarks.Macro;

/// <summary>Times of one round: the library's bundle commit and ovs-ofctl's bundle, each into a fresh bridge.</summary>
internal sealed record InstallRound(int FlowCount, TimeSpan Build, TimeSpan Library, TimeSpan Ofctl);

/// <summary>
/// Installs N flows into a fresh bridge through <see cref="OpenFlowConnection.CommitBundleAsync"/>
/// (one atomic bundle, timed from the call until the commit reply), then the same flows
/// into another fresh bridge with <c>ovs-ofctl -O OpenFlow13 --bundle add-flows</c> (timed from
/// process start until exit). Both counts are checked with dump-aggregate afterwards.
/// </summary>
internal static class InstallBenchmark
{
    private static readonly OpenFlowConnectionOptions Options = new()
    {
        // The barrier after 100,000 bundle adds waits until Open vSwitch has parsed all of them.
        RequestTimeout = TimeSpan.FromMinutes(5),
    };

    public static async Task<InstallRound> RunRoundAsync(int flowCount, string ofctlFile)
    {
        var build = Stopwatch.StartNew();
        FlowMod[] flows = BenchmarkFlows.BuildFlowMods(flowCount);
        build.Stop();

        TimeSpan library = await InstallWithLibraryAsync(flows);
        TimeSpan ofctl = await InstallWithOfctlAsync(flowCount, ofctlFile);
        return new InstallRound(flowCount, build.Elapsed, library, ofctl);
    }

    private static async Task<TimeSpan> InstallWithLibraryAsync(FlowMod[] flows)
    {
        await using var listener = new OpenFlowListener(0, Options);
        listener.Start();
        await using BenchmarkBridge bridge = await BenchmarkBridge.CreateAsync(listener.LocalEndpoint.Port);
        using var connectTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using OpenFlowConnection connection = await listener.AcceptAsync(connectTimeout.Token);
        await connection.HandshakeAsync(connectTimeout.Token);

        var stopwatch = Stopwatch.StartNew();
        await connection.CommitBundleAsync(flows);
        stopwatch.Stop();

        await ExpectFlowCountAsync(bridge, flows.Length, "library");
        return stopwatch.Elapsed;
    }

    private static async Task<TimeSpan> InstallWithOfctlAsync(int flowCount, string ofctlFile)
    {
        await using BenchmarkBridge bridge = await BenchmarkBridge.CreateAsync(controllerPort: null);

        var stopwatch = Stopwatch.StartNew();
        await Shell.RunAsync("ovs-ofctl", "-O", "OpenFlow13", "--bundle", "add-flows", bridge.Name, ofctlFile);
        stopwatch.Stop();

        await ExpectFlowCountAsync(bridge, flowCount, "ovs-ofctl");
        return stopwatch.Elapsed;
    }

    private static async Task ExpectFlowCountAsync(BenchmarkBridge bridge, int expected, string installer)
    {
        long actual = await bridge.CountFlowsAsync();
        if (actual != expected)
        {
            throw new InvalidOperationException(
                $"Bridge {bridge.Name} has {actual} flows after the {installer} install, expected {expected}.");
        }
    }
}
