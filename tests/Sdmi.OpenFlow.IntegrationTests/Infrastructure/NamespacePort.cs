using System.Globalization;

namespace Sdmi.OpenFlow.IntegrationTests.Infrastructure;

/// <summary>
/// A network namespace, standing in for a container, connected to a bridge by a veth pair: the
/// host end is a bridge port and the other end sits in the namespace, up and without an address.
/// Disposal deletes the namespace, which deletes the veth pair with it.
/// </summary>
internal sealed class NamespacePort : IAsyncDisposable
{
    private bool _created;

    private NamespacePort(string id)
    {
        Namespace = "sdmiit-" + id;
        HostInterface = "sdmiit" + id + "h";
        NamespaceInterface = "sdmiit" + id + "n";
    }

    public string Namespace { get; }

    /// <summary>The veth end attached to the bridge.</summary>
    public string HostInterface { get; }

    /// <summary>The veth end inside <see cref="Namespace"/>.</summary>
    public string NamespaceInterface { get; }

    /// <summary>Creates the namespace and veth pair and adds the host end to <paramref name="bridge"/> as port <paramref name="ofport"/>.</summary>
    public static async Task<NamespacePort> CreateAsync(OvsBridge bridge, uint ofport)
    {
        var port = new NamespacePort(Guid.NewGuid().ToString("N")[..6]);
        try
        {
            await Command.RunAsync("ip", "netns", "add", port.Namespace);
            port._created = true;
            await Command.RunAsync(
                "ip", "link", "add", port.HostInterface, "type", "veth", "peer", "name", port.NamespaceInterface);
            await Command.RunAsync("ip", "link", "set", port.NamespaceInterface, "netns", port.Namespace);

            // IPv6 off, so the namespace sends no router or neighbor solicitations of its own. The
            // userspace datapath forwards partial checksums unchanged, so TX offload goes off too.
            await port.ExecAsync("sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1");
            await port.ExecAsync("ethtool", "-K", port.NamespaceInterface, "tx", "off");
            await port.ExecAsync("ip", "link", "set", port.NamespaceInterface, "up");

            // The host end needs IPv6 off as well: the host kernel would otherwise send its MLD
            // reports and router solicitations through the veth into the namespace, which adds
            // frames to the namespace's receive counters.
            await Command.RunAsync("sysctl", "-q", "-w", $"net.ipv6.conf.{port.HostInterface}.disable_ipv6=1");
            await Command.RunAsync("ip", "link", "set", port.HostInterface, "up");
            await bridge.AddPortAsync(port.HostInterface, ofport);
            return port;
        }
        catch
        {
            await port.DisposeAsync();
            throw;
        }
    }

    /// <summary>Returns a receive counter of the namespace end, such as rx_packets or rx_bytes.</summary>
    public async Task<ulong> ReadCounterAsync(string counter)
    {
        string text = await ExecAsync("cat", $"/sys/class/net/{NamespaceInterface}/statistics/{counter}");
        return ulong.Parse(text.Trim(), CultureInfo.InvariantCulture);
    }

    /// <summary>Returns the MAC address of the namespace end.</summary>
    public async Task<string> ReadMacAddressAsync() =>
        (await ExecAsync("cat", $"/sys/class/net/{NamespaceInterface}/address")).Trim();

    public async ValueTask DisposeAsync()
    {
        if (!_created)
        {
            return;
        }

        _created = false;
        await Command.RunAsync("ip", "netns", "delete", Namespace);
    }

    private Task<string> ExecAsync(string fileName, params string[] arguments) =>
        Command.RunAsync("ip", ["netns", "exec", Namespace, fileName, .. arguments]);
}
