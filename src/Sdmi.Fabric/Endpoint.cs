using System.Net;

namespace Sdmi.Fabric;

/// <summary>
/// One attachment to a switch: a container's interface, or the host's internal port on a network that
/// declares a host address. <see cref="Service"/> is null for the host port.
/// </summary>
/// <param name="Name">Container name, or the OVS interface name for the host port.</param>
/// <param name="Port">OpenFlow port number the switch gave the interface.</param>
public sealed record Endpoint(string Name, string? Service, string Network, IPAddress Address, MacAddress Mac, uint Port);
