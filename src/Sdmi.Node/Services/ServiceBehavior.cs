using Sdmi.Model;
using Sdmi.Node.Hosts;

namespace Sdmi.Node.Services;

/// <summary>
/// Lifecycle hooks of a service kind. The service actor calls them; a kind that needs more than
/// "start the containers and wait for health" derives from this class and overrides the hooks.
/// </summary>
public class ServiceBehavior
{
    /// <summary>Adds environment variables for one replica on top of the system file's and SDMI's own.</summary>
    public virtual IReadOnlyDictionary<string, string> ReplicaEnvironment(ServiceSpec service, int replica) =>
        new Dictionary<string, string>();

    /// <summary>
    /// Runs once the replicas are healthy, for each replica in index order, before dependents start.
    /// <paramref name="replicas"/> lists every healthy replica, including <paramref name="replica"/>.
    /// Must be idempotent: it runs again on every deployment.
    /// </summary>
    public virtual Task OnReplicaJoinedAsync(
        ReplicaInfo replica, IReadOnlyList<ReplicaInfo> replicas, IContainerExec exec, CancellationToken cancellation) =>
        Task.CompletedTask;

    /// <summary>Runs before a replica is removed (scale-down or `down`), while it still runs.</summary>
    public virtual Task OnReplicaLeavingAsync(
        ReplicaInfo replica, IReadOnlyList<ReplicaInfo> remaining, IContainerExec exec, CancellationToken cancellation) =>
        Task.CompletedTask;

    /// <summary>Returns the behaviour for a service's kind (validated by the loader).</summary>
    public static ServiceBehavior For(string kind) => kind switch
    {
        "postgres-mesh" => new PostgresMeshService(),
        _ => new ServiceBehavior(),
    };
}

/// <summary>One running replica as the hooks see it.</summary>
public sealed record ReplicaInfo(int Index, string Name, string ContainerId, System.Net.IPAddress Address);

/// <summary>Runs a command inside a container; the host actor that owns the container carries it out.</summary>
public interface IContainerExec
{
    Task<ExecResult> ExecAsync(string containerId, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken cancellation);
}
