using System.Net;
using Sdmi.Model;

namespace Sdmi.Fabric;

/// <summary>Deterministic addresses: replica k of a service always gets the k-th address of its network's range.</summary>
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

    /// <summary>Container name for a replica: service name and a two-digit index, e.g. "db-01".</summary>
    public static string ReplicaName(string service, int replica) => $"{service}-{replica:00}";
}
