using Sdmi.Fabric;
using Sdmi.Model;

namespace Sdmi.Node.Services;

/// <summary>Messages of the service and container actors. Requests are answered with their reply or Status.Failure.</summary>
public static class ServiceProtocol
{
    /// <summary>Brings the service's replicas to the declared count: creates, adopts or removes containers.</summary>
    public sealed record Reconcile(SystemSpec System, ServiceSpec Service, long Change, IReadOnlyDictionary<string, string> Environment);

    /// <summary>
    /// Plans the service's replicas for a transaction without changing them: the container each
    /// replica needs, and the replicas above the declared count, whose leave hooks run here.
    /// </summary>
    public sealed record PlanReplicas(SystemSpec System, ServiceSpec Service, long Change, IReadOnlyDictionary<string, string> Environment);

    /// <param name="Leaving">Replicas above the declared count; the transaction removes their containers.</param>
    public sealed record ReplicaPlan(IReadOnlyList<Hosts.HostProtocol.EnsureContainer> Ensure, IReadOnlyList<ReplicaState> Leaving);

    public sealed record Reconciled(IReadOnlyList<ReplicaState> Replicas, int Created, int Adopted, int Removed);

    /// <summary>Waits until every replica passes its health check, then runs the service kind's join hooks.</summary>
    public sealed record AwaitReady
    {
        public static readonly AwaitReady Instance = new();
    }

    public sealed record Ready(string Service, int Replicas);

    /// <summary>Removes every replica of the service.</summary>
    public sealed record RemoveAll
    {
        public static readonly RemoveAll Instance = new();
    }

    public sealed record Removed(string Service, int Replicas);

    public sealed record ReplicaState(int Index, string ContainerId, Endpoint Endpoint, bool Healthy);

    // Container actor protocol.

    public sealed record EnsureReplica(Hosts.HostProtocol.EnsureContainer Request);

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
public sealed class UnhealthyReplicaException(string replica, int attempts, string output)
    : Exception($"Replica {replica} is unhealthy after {attempts} health checks; last output: {output.Trim()}. "
        + $"Check 'docker logs {replica}' and the service's health command.");
