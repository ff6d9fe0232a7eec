using System.Net;
using Sdmi.Fabric;
using Sdmi.Model;

namespace Sdmi.Fabric.Tests;

/// <summary>The reference example with every replica attached, the way a host would report it.</summary>
internal static class MilestoneFabric
{
    public static readonly string SystemFile = Path.Combine(
        AppContext.BaseDirectory, "..", "..", "..", "..", "..", "examples", "milestone1", "system.json");

    public static SystemSpec LoadSystem() => SystemLoader.LoadFile(SystemFile);

    /// <summary>Endpoints for every replica plus the host's edge port; port numbers count up from 1.</summary>
    public static IReadOnlyList<Endpoint> Endpoints(SystemSpec system)
    {
        var endpoints = new List<Endpoint>();
        uint port = 1;
        foreach (var network in system.AllNetworks.Where(n => n.HostAddress is not null))
        {
            endpoints.Add(new Endpoint(
                "sdmi-" + network.Name, null, network.Name, network.HostAddress!, MacAddress.FromIPv4(network.HostAddress!), port++));
        }

        foreach (var service in system.Services)
        {
            var network = system.GetNetwork(service.Network);
            for (var replica = 1; replica <= service.Replicas; replica++)
            {
                var address = Addressing.ReplicaAddress(network, replica);
                endpoints.Add(new Endpoint(
                    Addressing.ReplicaName(service.Name, replica), service.Name, network.Name, address,
                    MacAddress.FromIPv4(address), port++));
            }
        }

        return endpoints;
    }

    public static Endpoint Named(this IReadOnlyList<Endpoint> endpoints, string name) =>
        endpoints.Single(e => e.Name == name);

    public static MacAddress GatewayMac(SystemSpec system, string network) =>
        MacAddress.FromIPv4(system.GetNetwork(network).Gateway);

    public static IPAddress Gateway(SystemSpec system, string network) => system.GetNetwork(network).Gateway;
}
