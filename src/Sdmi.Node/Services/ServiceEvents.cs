using Sdmi.Node.Persistence;
using static Sdmi.Node.Systems.SystemEvents;

namespace Sdmi.Node.Services;

/// <summary>Journal events of a service entity. Plain data only: the journal stores them as JSON.</summary>
public static class ServiceEvents
{
    /// <summary>The service's declared state under change <paramref name="Change"/>.</summary>
    public sealed record ServiceDeclared(long Change, int Replicas, string Image, string Network, string Bridge) : IJournalEvent;

    /// <summary>Replicas above the declared count left: their leave hooks ran and a transaction removes their containers.</summary>
    public sealed record ReplicasLeft(long Change, IReadOnlyList<int> Replicas) : IJournalEvent;

    /// <summary>The replicas a reconcile found or made, none of them checked for health yet unless it was before.</summary>
    public sealed record ReplicasReconciled(long Change, IReadOnlyList<ReplicaRecord> Replicas) : IJournalEvent;

    /// <summary>Every replica passed its health check and the join hooks ran.</summary>
    public sealed record ServiceBecameReady(long Change) : IJournalEvent;

    public sealed record ServiceDropped(long Change) : IJournalEvent;

    /// <summary>The whole state; <paramref name="Declared"/> is null before the first declaration and after retirement.</summary>
    public sealed record ServiceSnapshot(long Change, ServiceDeclared? Declared, bool Ready, IReadOnlyList<ReplicaRecord> Replicas) : IJournalEvent;
}
