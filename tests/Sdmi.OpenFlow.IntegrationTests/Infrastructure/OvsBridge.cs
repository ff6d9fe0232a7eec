using System.Globalization;

namespace Sdmi.OpenFlow.IntegrationTests.Infrastructure;

/// <summary>
/// An Open vSwitch bridge that a test creates and deletes: userspace datapath, fail mode secure
/// (no flows until a controller installs them), OpenFlow 1.3 only, and controllers on loopback.
/// </summary>
internal sealed class OvsBridge : IAsyncDisposable
{
    private bool _deleted;

    private OvsBridge(string name)
    {
        Name = name;
    }

    /// <summary>Bridge name: "sdmiit-" and 6 random hex digits, 13 characters.</summary>
    public string Name { get; }

    /// <summary>Returns a new name with the test prefix, at most 15 characters long.</summary>
    public static string NewName(string prefix = "sdmiit-")
    {
        string name = prefix + Guid.NewGuid().ToString("N")[..6];
        if (name.Length > 15)
        {
            throw new ArgumentException($"Interface name '{name}' exceeds the Linux limit of 15 characters.");
        }

        return name;
    }

    /// <summary>Creates a bridge whose controllers are tcp:127.0.0.1:PORT for each of <paramref name="controllerPorts"/>.</summary>
    public static async Task<OvsBridge> CreateAsync(params int[] controllerPorts)
    {
        var bridge = new OvsBridge(NewName());
        var arguments = new List<string>
        {
            "add-br", bridge.Name,
            "--", "set", "Bridge", bridge.Name, "datapath_type=netdev", "fail_mode=secure", "protocols=OpenFlow13",
            "other_config:disable-in-band=true",
        };
        if (controllerPorts.Length > 0)
        {
            arguments.AddRange(["--", "set-controller", bridge.Name]);
            arguments.AddRange(controllerPorts.Select(port => $"tcp:127.0.0.1:{port}"));
        }

        try
        {
            await Command.RunAsync("ovs-vsctl", [.. arguments]);
        }
        catch
        {
            await bridge.DisposeAsync();
            throw;
        }

        return bridge;
    }

    /// <summary>Returns the datapath id that Open vSwitch reports for the bridge.</summary>
    public async Task<ulong> GetDatapathIdAsync()
    {
        string text = await Command.RunAsync("ovs-vsctl", "get", "Bridge", Name, "datapath_id");
        return ulong.Parse(text.Trim().Trim('"'), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
    }

    /// <summary>Runs <c>ovs-ofctl -O OpenFlow13 --no-names COMMAND BRIDGE ARGUMENTS</c> and returns its output.</summary>
    public Task<string> OfctlAsync(string command, params string[] arguments) =>
        Command.RunAsync("ovs-ofctl", ["-O", "OpenFlow13", "--no-names", command, Name, .. arguments]);

    /// <summary>Returns the entries of <c>dump-flows</c>, one line per flow, without the reply header.</summary>
    public async Task<IReadOnlyList<string>> DumpFlowsAsync() =>
        OfctlText.EntryLines(await OfctlAsync("dump-flows"));

    /// <summary>Adds a veth or other existing interface as a port with OpenFlow port number <paramref name="ofport"/>.</summary>
    public Task AddPortAsync(string interfaceName, uint ofport) =>
        Command.RunAsync(
            "ovs-vsctl", "add-port", Name, interfaceName,
            "--", "set", "Interface", interfaceName, $"ofport_request={ofport}");

    /// <summary>Deletes the bridge with its ports; does nothing when it is already gone.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_deleted)
        {
            return;
        }

        _deleted = true;
        await Command.RunAsync("ovs-vsctl", "--if-exists", "del-br", Name);
    }
}
