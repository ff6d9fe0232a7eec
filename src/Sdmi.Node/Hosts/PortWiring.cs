using System.Runtime.Serialization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Sdmi.Fabric;
using Sdmi.Node.Switches;

namespace Sdmi.Node.Hosts;

/// <summary>
/// Wires container network namespaces and host ports into an Open vSwitch bridge with iproute2 and
/// ovs-vsctl. Every port it adds carries external_ids naming the system and the endpoint, which is
/// how a restarted node or `sdmi down` finds them again.
/// </summary>
public sealed partial class PortWiring(CommandRunner commands, ILogger<PortWiring> logger)
{
    private const string ExternalIdSystem = "sdmi-system";
    private const string ExternalIdEndpoint = "sdmi-endpoint";

    /// <summary>
    /// Creates the bridge if missing: userspace datapath, OpenFlow 1.3 only, fail_mode=secure (so
    /// installed flows keep forwarding and nothing else passes while no controller is connected),
    /// and the controller targets the cluster's nodes listen on (space-separated, one per node).
    /// </summary>
    public async Task EnsureBridgeAsync(
        string bridge, string system, string controllerTargets, CancellationToken cancellation)
    {
        var targets = controllerTargets.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        await commands.RunAsync("ovs-vsctl",
        [
            "--may-exist", "add-br", bridge,
            "--", "set", "Bridge", bridge, "datapath_type=netdev", "fail_mode=secure", "protocols=OpenFlow13",
            "other_config:disable-in-band=true", $"other_config:datapath-id={DatapathIds.ForBridge(bridge):x16}",
            $"external_ids:{ExternalIdSystem}={system}",
            "--", "set-controller", bridge, .. targets,
        ], cancellation).ConfigureAwait(false);
        await commands.RunAsync("ip", ["link", "set", bridge, "up"], cancellation).ConfigureAwait(false);
        LogBridgeReady(bridge, controllerTargets);
    }

    /// <summary>
    /// Attaches a running container: a veth pair whose inner end becomes eth0 in the container's
    /// namespace with the endpoint's MAC, address and default route through the gateway. Returns
    /// the OpenFlow port number. Safe to repeat: an existing attachment is replaced.
    /// </summary>
    /// <param name="requestedPort">The OpenFlow port number to ask Open vSwitch for (ofport_request); 0 lets it choose.</param>
    public async Task<uint> AttachContainerAsync(
        string bridge, string system, long pid, EndpointAddress endpoint, uint requestedPort, CancellationToken cancellation)
    {
        var hostName = InterfaceName(endpoint.Address);
        var peerName = "sdp" + hostName[3..];
        await EnsureInterfaceFreeAsync(hostName, system, endpoint.Address, cancellation).ConfigureAwait(false);
        await DetachAsync(hostName, cancellation).ConfigureAwait(false);

        await commands.RunAsync("ip", ["link", "add", hostName, "type", "veth", "peer", "name", peerName], cancellation)
            .ConfigureAwait(false);
        await commands.RunAsync("ip", ["link", "set", peerName, "netns", pid.ToString()], cancellation)
            .ConfigureAwait(false);

        string[][] inside =
        [
            ["ip", "link", "set", peerName, "name", "eth0"],
            ["ip", "link", "set", "eth0", "address", endpoint.Mac.ToString()],
            ["ip", "addr", "add", $"{endpoint.Address}/{endpoint.PrefixLength}", "dev", "eth0"],
            ["ip", "link", "set", "lo", "up"],
            ["ip", "link", "set", "eth0", "up"],
            ["ip", "route", "replace", "default", "via", endpoint.Gateway.ToString(), "dev", "eth0"],
        ];
        foreach (var command in inside)
        {
            await commands.RunAsync("nsenter", ["-t", pid.ToString(), "-n", .. command], cancellation)
                .ConfigureAwait(false);
        }

        // The userspace datapath reads veth frames through a socket, so it sees them before transmit
        // offload fills in their checksums. With offload off, the sender computes real checksums.
        await commands.RunAsync("nsenter", ["-t", pid.ToString(), "-n", "ethtool", "-K", "eth0", "tx", "off"], cancellation)
            .ConfigureAwait(false);
        await commands.RunAsync("ethtool", ["-K", hostName, "tx", "off"], cancellation).ConfigureAwait(false);
        await commands.RunAsync("ip", ["link", "set", hostName, "up"], cancellation).ConfigureAwait(false);

        string[] settings = requestedPort > 0 ? [$"ofport_request={requestedPort}"] : [];
        return await AddPortAsync(bridge, system, hostName, endpoint.Name, settings, cancellation).ConfigureAwait(false);
    }

    /// <summary>
    /// Returns the OpenFlow port of a container that is already attached with this address (an
    /// adopted container after a node restart), or attaches it.
    /// </summary>
    public async Task<uint> EnsureContainerAttachedAsync(
        string bridge, string system, long pid, EndpointAddress endpoint, uint requestedPort, CancellationToken cancellation)
    {
        var hostName = InterfaceName(endpoint.Address);
        var inside = await commands.TryRunAsync(
            "nsenter", ["-t", pid.ToString(), "-n", "ip", "-o", "-4", "addr", "show", "dev", "eth0"], cancellation)
            .ConfigureAwait(false);
        var port = await commands.TryRunAsync("ovs-vsctl", ["--if-exists", "get", "Interface", hostName, "ofport"], cancellation)
            .ConfigureAwait(false);
        var portBridge = await commands.TryRunAsync("ovs-vsctl", ["port-to-br", hostName], cancellation).ConfigureAwait(false);
        if (inside.ExitCode == 0
            && portBridge.ExitCode == 0 && portBridge.StandardOutput.Trim() == bridge
            && inside.StandardOutput.Contains($" {endpoint.Address}/{endpoint.PrefixLength} ", StringComparison.Ordinal)
            && uint.TryParse(port.StandardOutput.Trim(), out var existing) && existing is > 0 and < 0xffffff00)
        {
            return existing;
        }

        return await AttachContainerAsync(bridge, system, pid, endpoint, requestedPort, cancellation).ConfigureAwait(false);
    }

    /// <summary>The OpenFlow port number of every interface on a bridge that has one, by interface name.</summary>
    public async Task<IReadOnlyDictionary<string, uint>> ListOpenFlowPortsAsync(string bridge, CancellationToken cancellation)
    {
        var names = await commands.TryRunAsync("ovs-vsctl", ["list-ifaces", bridge], cancellation).ConfigureAwait(false);
        if (names.ExitCode != 0)
        {
            return new Dictionary<string, uint>();
        }

        var onBridge = names.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .ToHashSet(StringComparer.Ordinal);
        var table = await commands.RunAsync(
            "ovs-vsctl", ["--format=csv", "--no-headings", "--columns=name,ofport", "list", "Interface"], cancellation)
            .ConfigureAwait(false);
        var ports = new Dictionary<string, uint>(StringComparer.Ordinal);
        foreach (var line in table.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split(',');
            var name = fields[0].Trim('"');
            if (fields.Length == 2 && onBridge.Contains(name) && uint.TryParse(fields[1], out var port) && port is > 0 and < 0xffffff00)
            {
                ports[name] = port;
            }
        }

        return ports;
    }

    /// <summary>Deletes the bridge when no port is left on it (SDMI created it, so SDMI removes it).</summary>
    public async Task RemoveBridgeIfEmptyAsync(string bridge, CancellationToken cancellation)
    {
        var ports = await commands.TryRunAsync("ovs-vsctl", ["list-ports", bridge], cancellation).ConfigureAwait(false);
        if (ports.ExitCode == 0 && string.IsNullOrWhiteSpace(ports.StandardOutput))
        {
            await commands.RunAsync("ovs-vsctl", ["--if-exists", "del-br", bridge], cancellation).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Gives the host an address on a network through an OVS internal port, with routes to the
    /// listed subnets through the network's gateway. Returns the OpenFlow port number.
    /// </summary>
    public async Task<uint> AttachHostAsync(
        string bridge,
        string system,
        string portName,
        EndpointAddress endpoint,
        IReadOnlyList<string> routedSubnets,
        CancellationToken cancellation)
    {
        await EnsureInterfaceFreeAsync(portName, system, endpoint.Address, cancellation).ConfigureAwait(false);
        var port = await AddPortAsync(
            bridge, system, portName, endpoint.Name, ["type=internal", $"mac=\"{endpoint.Mac}\""], cancellation)
            .ConfigureAwait(false);
        await commands.RunAsync("ip", ["addr", "replace", $"{endpoint.Address}/{endpoint.PrefixLength}", "dev", portName], cancellation)
            .ConfigureAwait(false);
        await commands.RunAsync("ip", ["link", "set", portName, "up"], cancellation).ConfigureAwait(false);
        foreach (var subnet in routedSubnets)
        {
            await commands.RunAsync(
                "ip", ["route", "replace", subnet, "via", endpoint.Gateway.ToString(), "dev", portName], cancellation)
                .ConfigureAwait(false);
        }

        return port;
    }

    /// <summary>
    /// Removes a port from whichever bridge it is on and deletes its interface; does nothing if
    /// neither exists. The bridge is not named because a system moved to another bridge leaves its
    /// old ports on the old one.
    /// </summary>
    public async Task DetachAsync(string interfaceName, CancellationToken cancellation)
    {
        await commands.RunAsync("ovs-vsctl", ["--if-exists", "del-port", interfaceName], cancellation)
            .ConfigureAwait(false);
        var exists = await commands.TryRunAsync("ip", ["link", "show", interfaceName], cancellation).ConfigureAwait(false);
        if (exists.ExitCode == 0)
        {
            await commands.RunAsync("ip", ["link", "del", interfaceName], cancellation).ConfigureAwait(false);
        }
    }

    /// <summary>Lists the interfaces SDMI added for a system, on any bridge, with the bridge each is on.</summary>
    public async Task<IReadOnlyList<(string Interface, string Bridge)>> ListPortsAsync(string system, CancellationToken cancellation)
    {
        var json = await commands.RunAsync(
            "ovs-vsctl",
            ["--format=json", "--columns=name", "find", "Interface", $"external_ids:{ExternalIdSystem}={system}"],
            cancellation).ConfigureAwait(false);
        using var document = JsonDocument.Parse(json);
        var names = document.RootElement.GetProperty("data").EnumerateArray().Select(row => row[0].GetString()!).ToList();
        var ports = new List<(string, string)>();
        foreach (var name in names)
        {
            var bridge = await commands.TryRunAsync("ovs-vsctl", ["port-to-br", name], cancellation).ConfigureAwait(false);
            ports.Add((name, bridge.ExitCode == 0 ? bridge.StandardOutput.Trim() : ""));
        }

        return ports;
    }

    /// <summary>
    /// Fails when the bridge already carries another system. Each system gets a bridge of its own:
    /// flow cookies, network ids in the metadata and the default rules of the pipeline are per
    /// bridge, so two systems on one bridge would overwrite each other's flows.
    /// </summary>
    public async Task EnsureBridgeOwnerAsync(string bridge, string system, CancellationToken cancellation)
    {
        var owner = await commands.TryRunAsync(
            "ovs-vsctl", ["--if-exists", "get", "Bridge", bridge, $"external_ids:{ExternalIdSystem}"], cancellation)
            .ConfigureAwait(false);
        var current = owner.ExitCode == 0 ? owner.StandardOutput.Trim().Trim('"') : "";
        if (current.Length > 0 && current != system)
        {
            throw new HostConflictException(
                $"Bridge {bridge} already carries system {current}. Give system {system} a bridge of its own "
                + "(hosts[0].bridge in its system file), or take the other system down first.");
        }
    }

    /// <summary>Fails when the container or host interface for <paramref name="address"/> belongs to another system.</summary>
    public Task EnsureAddressFreeAsync(System.Net.IPAddress address, string system, CancellationToken cancellation) =>
        Task.WhenAll(
            EnsureInterfaceFreeAsync(InterfaceName(address), system, address, cancellation),
            EnsureInterfaceFreeAsync(HostPortName(address), system, address, cancellation));

    /// <summary>
    /// Deletes the bridge when no port is left on it; otherwise clears its system mark so another
    /// system may use it.
    /// </summary>
    public async Task ReleaseBridgeAsync(string bridge, string system, CancellationToken cancellation)
    {
        await RemoveBridgeIfEmptyAsync(bridge, cancellation).ConfigureAwait(false);
        var exists = await commands.TryRunAsync("ovs-vsctl", ["br-exists", bridge], cancellation).ConfigureAwait(false);
        if (exists.ExitCode == 0)
        {
            await commands.RunAsync(
                "ovs-vsctl", ["remove", "Bridge", bridge, "external_ids", $"{ExternalIdSystem}={system}"], cancellation)
                .ConfigureAwait(false);
        }
    }

    /// <summary>Fails when an interface SDMI would create already belongs to another system.</summary>
    private async Task EnsureInterfaceFreeAsync(
        string interfaceName, string system, System.Net.IPAddress address, CancellationToken cancellation)
    {
        var owner = await commands.TryRunAsync(
            "ovs-vsctl", ["--if-exists", "get", "Interface", interfaceName, $"external_ids:{ExternalIdSystem}"], cancellation)
            .ConfigureAwait(false);
        var current = owner.ExitCode == 0 ? owner.StandardOutput.Trim().Trim('"') : "";
        if (current.Length > 0 && current != system)
        {
            throw new HostConflictException(
                $"Address {address} is already used by system {current} on this host (interface {interfaceName}). "
                + $"Give system {system} another subnet, or take the other system down first.");
        }
    }

    /// <summary>Name of a container's host-side veth: "sdv" and the address in hex, within Linux's 15 characters.</summary>
    public static string InterfaceName(IPAddress address) =>
        "sdv" + Convert.ToHexString(address.GetAddressBytes()).ToLowerInvariant();

    /// <summary>
    /// Name of the host's internal port for a host address: "sdh" and the address in hex. Derived
    /// from the address, which is unique on the host, not from the network name, which may be long
    /// or shared by two systems.
    /// </summary>
    public static string HostPortName(IPAddress address) =>
        "sdh" + Convert.ToHexString(address.GetAddressBytes()).ToLowerInvariant();

    private async Task<uint> AddPortAsync(
        string bridge,
        string system,
        string interfaceName,
        string endpointName,
        IReadOnlyList<string> interfaceSettings,
        CancellationToken cancellation)
    {
        await commands.RunAsync("ovs-vsctl",
        [
            "--may-exist", "add-port", bridge, interfaceName,
            "--", "set", "Interface", interfaceName,
            $"external_ids:{ExternalIdSystem}={system}", $"external_ids:{ExternalIdEndpoint}={endpointName}",
            .. interfaceSettings,
        ], cancellation).ConfigureAwait(false);

        // ovs-vswitchd assigns the port number asynchronously; "-1" or "[]" means not yet or failed.
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var text = (await commands.RunAsync("ovs-vsctl", ["get", "Interface", interfaceName, "ofport"], cancellation)
                .ConfigureAwait(false)).Trim();
            if (uint.TryParse(text, out var port) && port is > 0 and < 0xffffff00)
            {
                LogPortAdded(interfaceName, bridge, port, endpointName);
                return port;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellation).ConfigureAwait(false);
        }

        var error = await commands.TryRunAsync("ovs-vsctl", ["get", "Interface", interfaceName, "error"], cancellation)
            .ConfigureAwait(false);
        throw new InvalidOperationException(
            $"Open vSwitch gave interface {interfaceName} on bridge {bridge} no OpenFlow port within 5 s: "
            + error.StandardOutput.Trim());
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Bridge {Bridge} ready, controller {Controller}")]
    private partial void LogBridgeReady(string bridge, string controller);

    [LoggerMessage(EventId = 301, Level = LogLevel.Information,
        Message = "Added {Interface} to {Bridge} as OpenFlow port {Port} for {Endpoint}")]
    private partial void LogPortAdded(string @interface, string bridge, uint port, string endpoint);
}

/// <summary>Layer-2 and layer-3 identity of one endpoint on its network.</summary>
public sealed record EndpointAddress(string Name, IPAddress Address, int PrefixLength, IPAddress Gateway, MacAddress Mac);

/// <summary>Something on the host that a deployment needs already belongs to another system; nothing was changed.</summary>
[Serializable]
public sealed class HostConflictException : Exception
{
    public HostConflictException(string message)
        : base(message)
    {
    }

#pragma warning disable SYSLIB0051 // Akka.Remote rebuilds an exception through this constructor; without it a reply's cause arrives as null.
    private HostConflictException(SerializationInfo info, StreamingContext context)
        : base(info, context)
    {
    }
#pragma warning restore SYSLIB0051
}
