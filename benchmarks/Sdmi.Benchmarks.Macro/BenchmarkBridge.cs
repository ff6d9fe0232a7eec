using System.Globalization;
using System.Text.RegularExpressions;

namespace Sdmi.Benchmarks.Macro;

/// <summary>
/// A fresh Open vSwitch bridge for one measurement: userspace datapath, fail mode secure, OpenFlow
/// 1.3, and optionally a controller on loopback. No port is attached, so no packet ever passes it.
/// </summary>
internal sealed partial class BenchmarkBridge : IAsyncDisposable
{
    private BenchmarkBridge(string name)
    {
        Name = name;
    }

    public string Name { get; }

    public static async Task<BenchmarkBridge> CreateAsync(int? controllerPort)
    {
        var bridge = new BenchmarkBridge("sdmibm-" + Guid.NewGuid().ToString("N")[..6]);
        var arguments = new List<string>
        {
            "add-br", bridge.Name,
            "--", "set", "Bridge", bridge.Name, "datapath_type=netdev", "fail_mode=secure", "protocols=OpenFlow13",
        };
        if (controllerPort is { } port)
        {
            arguments.AddRange(["--", "set-controller", bridge.Name, $"tcp:127.0.0.1:{port}"]);
        }

        await Shell.RunAsync("ovs-vsctl", [.. arguments]);
        return bridge;
    }

    /// <summary>Returns the number of flows in all tables, from <c>ovs-ofctl dump-aggregate</c>.</summary>
    public async Task<long> CountFlowsAsync()
    {
        string output = await Shell.RunAsync("ovs-ofctl", "-O", "OpenFlow13", "dump-aggregate", Name);
        Match match = FlowCount().Match(output);
        if (!match.Success)
        {
            throw new InvalidOperationException($"dump-aggregate printed no flow_count: {output}");
        }

        return long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync() => await Shell.RunAsync("ovs-vsctl", "--if-exists", "del-br", Name);

    [GeneratedRegex(@"flow_count=(\d+)")]
    private static partial Regex FlowCount();
}
