using System.Net;
using Sdmi.Model;

namespace Sdmi.Fabric;

/// <summary>
/// Preferred addresses of replicas. The services placed on one network take consecutive blocks of
/// its range in declaration order, each block as long as the service can scale to (the larger of
/// its replica count and scale.max), so replica k of a service prefers the k-th address of its block.
/// The network entity leases these addresses and keeps a replica's lease when a later declaration
/// moves the blocks.
/// </summary>
public static class Addressing
{
    /// <param name="replica">1-based replica index, as in container names like db-01.</param>
    public static IPAddress ReplicaAddress(NetworkSpec network, int replica)
    {
        if (replica < 1 || replica > network.Range.Count)
        {
            throw new ArgumentOutOfRangeException(
                nameof(replica),
                replica,
                $"Network '{network.Name}' has {network.Range.Count} addresses in its range; replica {replica} does not fit. "
                + "Widen the network's range or lower the service's scale.max.");
        }

        return network.Range.AddressAt(replica - 1);
    }

    /// <summary>The address replica <paramref name="replica"/> of <paramref name="service"/> prefers in its network's range.</summary>
    public static IPAddress PreferredAddress(SystemSpec system, ServiceSpec service, int replica) =>
        ReplicaAddress(system.GetNetwork(service.Network), BlockStart(system, service) + replica);

    /// <summary>How many addresses the services declared before <paramref name="service"/> on its network reserve.</summary>
    public static int BlockStart(SystemSpec system, ServiceSpec service) => system.Services
        .TakeWhile(s => s.Name != service.Name)
        .Where(s => s.Network == service.Network)
        .Sum(BlockLength);

    /// <summary>The addresses a service reserves in its network's range: as many as it can scale to.</summary>
    public static int BlockLength(ServiceSpec service) => Math.Max(service.Replicas, service.Scale.Max);

    /// <summary>Container name for a replica: service name and a two-digit index, e.g. "db-01".</summary>
    public static string ReplicaName(string service, int replica) => $"{service}-{replica:00}";
}
