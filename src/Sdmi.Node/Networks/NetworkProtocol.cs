using Sdmi.Model;

namespace Sdmi.Node.Networks;

/// <summary>Messages of the network entities, keyed by system and network name. Each request gets its reply or a Status.Failure.</summary>
public static class NetworkProtocol
{
    /// <summary>
    /// Records the network's declared state from <paramref name="System"/> and leases an address to
    /// every replica its services declare. With <paramref name="ReleaseUndeclared"/> it also releases
    /// the leases of replicas no longer declared, which a deployment requests once their containers are gone.
    /// </summary>
    public sealed record PlanNetwork(SystemSpec System, string Network, long Change, bool ReleaseUndeclared);

    /// <param name="Leases">Every lease of the network after the plan, ordered by service and replica,
    /// including those kept for replicas no longer declared.</param>
    public sealed record NetworkPlanned(string System, string Network, long Change, IReadOnlyList<Lease> Leases);

    /// <summary>The system no longer declares the network: its leases are released and the entity stops.</summary>
    public sealed record RetireNetwork(string System, string Network);

    public sealed record NetworkRetired(string System, string Network);

    public sealed record GetNetworkState(string System, string Network);

    /// <param name="Declared">False before the first plan and after retirement.</param>
    /// <param name="Revision">Number of events the entity has journaled.</param>
    public sealed record NetworkState(
        string System,
        string Network,
        bool Declared,
        long Change,
        long Revision,
        string? Subnet,
        string? Gateway,
        string? Range,
        string? Parent,
        string? Bridge,
        IReadOnlyList<Lease> Leases);
}
