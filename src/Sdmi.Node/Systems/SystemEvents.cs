using Sdmi.Node.Persistence;

namespace Sdmi.Node.Systems;

/// <summary>Journal events of a system actor. Plain data only: the journal stores them as JSON.</summary>
public static class SystemEvents
{
    /// <summary>A new declaration was accepted; <paramref name="Change"/> numbers it.</summary>
    public sealed record SystemDeclared(string SpecJson, long Change) : IJournalEvent;

    public sealed record DeploymentFinished(long Change, bool Succeeded, string Summary) : IJournalEvent;

    public sealed record SystemRemoved(long Change) : IJournalEvent;

    /// <summary>Change <paramref name="Change"/> was rejected before it changed anything (a conflict or a missing image).</summary>
    public sealed record DeclarationRejected(long Change, string Reason) : IJournalEvent;

    /// <summary>
    /// The replicas a deployment found or made for one service. Recovered after a restart so the
    /// first flow update already includes every running endpoint and never shrinks the flow table.
    /// </summary>
    public sealed record ReplicasObserved(string Service, IReadOnlyList<ReplicaRecord> Replicas) : IJournalEvent;

    /// <summary>A system actor's whole state after a command; <paramref name="SpecJson"/> is null before the first declaration.</summary>
    /// <param name="KnownServices">Every service any declaration since the last removal named (null in snapshots
    /// written before the field existed); <paramref name="KnownNetworks"/> likewise for networks.</param>
    public sealed record SystemSnapshot(
        string? SpecJson,
        string? PreviousSpecJson,
        bool PreviousRemoved,
        long Change,
        bool Removed,
        string Phase,
        string? LastError,
        IReadOnlyDictionary<string, IReadOnlyList<ReplicaRecord>> Replicas,
        IReadOnlyList<string>? KnownServices = null,
        IReadOnlyList<string>? KnownNetworks = null) : IJournalEvent;

    /// <param name="Mac">The MAC address as its 48-bit value.</param>
    public sealed record ReplicaRecord(
        int Index, string ContainerId, string Name, string Network, string Address, ulong Mac, uint Port, bool Healthy)
    {
        public static ReplicaRecord From(Services.ServiceProtocol.ReplicaState state) => new(
            state.Index, state.ContainerId, state.Endpoint.Name, state.Endpoint.Network, state.Endpoint.Address.ToString(),
            state.Endpoint.Mac.Value, state.Endpoint.Port, state.Healthy);

        public Services.ServiceProtocol.ReplicaState ToState(string service) => new(
            Index,
            ContainerId,
            new Fabric.Endpoint(Name, service, Network, System.Net.IPAddress.Parse(Address), new Fabric.MacAddress(Mac), Port),
            Healthy);
    }
}
