using System.Runtime.Serialization;
using Sdmi.Fabric;
using Sdmi.Model;

namespace Sdmi.Node.Services;

/// <summary>Messages of the service and container actors. Requests are answered with their reply or Status.Failure.</summary>
public static class ServiceProtocol
{
    /// <summary>
    /// Brings the service's replicas to the declared count: creates, adopts or removes containers.
    /// <paramref name="Addresses"/> holds replica k's leased address at index k - 1.
    /// </summary>
    public sealed record Reconcile(
        SystemSpec System, string Service, long Change, IReadOnlyDictionary<string, string> Environment, IReadOnlyList<string> Addresses);

    /// <summary>
    /// Plans the service's replicas for a transaction without changing a container: the container
    /// each replica needs, and the replicas above the declared count, whose leave hooks run here and
    /// which the entity journals as left.
    /// </summary>
    public sealed record PlanReplicas(
        SystemSpec System, string Service, long Change, IReadOnlyDictionary<string, string> Environment, IReadOnlyList<string> Addresses);

    /// <param name="Leaving">Replicas above the declared count; the transaction removes their containers.</param>
    public sealed record ReplicaPlan(IReadOnlyList<Hosts.HostProtocol.EnsureContainer> Ensure, IReadOnlyList<ReplicaState> Leaving);

    public sealed record Reconciled(IReadOnlyList<ReplicaState> Replicas, int Created, int Adopted, int Removed);

    /// <summary>Waits until every replica passes its health check, then runs the service kind's join hooks.</summary>
    public sealed record AwaitReady(SystemSpec System, string Service);

    public sealed record Ready(string Service, int Replicas);

    /// <summary>
    /// The system no longer declares the service (or was removed): the entity forgets its replicas
    /// and stops. Their containers are removed by the deployment or removal that retires it.
    /// </summary>
    public sealed record RetireService(string System, string Service);

    public sealed record ServiceRetired(string System, string Service);

    public sealed record GetServiceState(string System, string Service);

    /// <summary>A service entity's desired and observed state.</summary>
    /// <param name="Declared">False before the first plan and after retirement.</param>
    /// <param name="Revision">Number of events the entity has journaled.</param>
    /// <param name="Replicas">The declared replica count.</param>
    /// <param name="Observed">The replicas the last reconcile found or made.</param>
    public sealed record ServiceState(
        string System,
        string Service,
        bool Declared,
        long Change,
        long Revision,
        int Replicas,
        string? Image,
        string? Network,
        bool Ready,
        IReadOnlyList<Systems.SystemEvents.ReplicaRecord> Observed);

    public sealed record ReplicaState(int Index, string ContainerId, Endpoint Endpoint, bool Healthy);

    // Container actor protocol.

    public sealed record EnsureReplica(Hosts.HostProtocol.EnsureContainer Request);

    /// <summary>Tells a new container actor the container its replica already has.</summary>
    public sealed record KnownReplica(string ContainerId, string Name, string Address);

    public sealed record CheckHealth(HealthCheck? Health);

    public sealed record Healthy(int Replica);

    public sealed record RemoveReplica(string Bridge);

    public sealed record ReplicaRemoved(int Replica);

    internal sealed record Probe
    {
        public static readonly Probe Instance = new();
    }
}

/// <summary>A replica failed its health check as many times as the service allows.</summary>
[Serializable]
public sealed class UnhealthyReplicaException : Exception
{
    public UnhealthyReplicaException(string replica, int attempts, string output)
        : base($"Replica {replica} is unhealthy after {attempts} health checks; last output: {output.Trim()}. "
            + $"Check 'docker logs {replica}' and the service's health command.")
    {
    }

#pragma warning disable SYSLIB0051 // Akka.Remote rebuilds an exception through this constructor; without it a reply's cause arrives as null.
    private UnhealthyReplicaException(SerializationInfo info, StreamingContext context)
        : base(info, context)
    {
    }
#pragma warning restore SYSLIB0051
}
