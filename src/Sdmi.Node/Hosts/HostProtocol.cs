using Sdmi.Fabric;
using Sdmi.Model;

namespace Sdmi.Node.Hosts;

/// <summary>Messages of the host actor. Every request is answered with its reply or with Status.Failure.</summary>
public static class HostProtocol
{
    public sealed record CheckImages(IReadOnlyList<string> Images);

    public sealed record ImagesChecked(IReadOnlyList<string> Missing);

    /// <summary>Creates the system's bridge and the host ports of networks that declare a host address.</summary>
    public sealed record EnsureHostPorts(SystemSpec System, string ControllerTarget);

    public sealed record HostPortsReady(IReadOnlyList<Endpoint> Endpoints);

    /// <summary>Creates, starts and wires one replica, or adopts the one that already runs with the same configuration.</summary>
    /// <param name="OpenFlowPort">The port number the plan gave this replica on the bridge; 0 lets Open vSwitch choose.</param>
    public sealed record EnsureContainer(
        string System,
        string Bridge,
        long Change,
        string Service,
        int Replica,
        string Image,
        IReadOnlyDictionary<string, string> Environment,
        IReadOnlyList<string>? Command,
        EndpointAddress Address,
        uint OpenFlowPort = 0);

    /// <summary>Asks for the OpenFlow port number of every interface on a bridge, by interface name.</summary>
    public sealed record GetBridgePorts(string Bridge);

    public sealed record BridgePorts(IReadOnlyDictionary<string, uint> Ports);

    public sealed record ContainerReady(string ContainerId, Endpoint Endpoint, bool Created);

    public sealed record Exec(string ContainerId, IReadOnlyList<string> Command, TimeSpan Timeout);

    public sealed record ListContainers(string System);

    public sealed record ContainerList(IReadOnlyList<ManagedContainer> Containers);

    public sealed record RemoveContainer(string Bridge, string ContainerId, string InterfaceName)
    {
        /// <summary>Removes a container found in the engine, with the veth named after its address label.</summary>
        public static RemoveContainer For(ManagedContainer container, string bridge)
        {
            var address = container.Labels.GetValueOrDefault(SdmiLabels.Address);
            var interfaceName = address is null ? "" : PortWiring.InterfaceName(System.Net.IPAddress.Parse(address));
            return new RemoveContainer(bridge, container.Id, interfaceName);
        }
    }

    public sealed record ContainerRemoved(string ContainerId);

    /// <summary>Removes every port SDMI added to the bridge for a system, and the bridge once it has no port left.</summary>
    public sealed record RemoveSystemPorts(string System, string Bridge);

    public sealed record SystemPortsRemoved(int Count);
}
