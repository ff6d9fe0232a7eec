using Akka.Actor;
using Sdmi.Model;

namespace Sdmi.Node.Systems;

/// <summary>Messages of the systems manager and system actors.</summary>
public static class SystemProtocol
{
    /// <summary>Brings a system to its declared state. <paramref name="Progress"/> receives <see cref="ProgressNote"/>s.</summary>
    public sealed record Deploy(SystemSpec System, IActorRef Progress);

    /// <param name="Changed">False when the system already matched its declaration and nothing was done.</param>
    public sealed record DeployOutcome(bool Succeeded, bool Changed, long Change, string Summary);

    /// <summary>
    /// Request to change one service's replica count in the declared system and deploy the result.
    /// The reply is a <see cref="DeployOutcome"/>. Scales of one system run one after another, each
    /// on the declaration the one before it left.
    /// </summary>
    public sealed record Scale(string System, string Service, int Replicas, IActorRef Progress);

    /// <summary>Removes every container, port and flow SDMI made for a system.</summary>
    public sealed record Remove(string System, IActorRef Progress);

    public sealed record RemoveOutcome(bool Succeeded, string Summary);

    public sealed record GetStatus(string? System);

    /// <summary>Starts a system's actor if it does not run; the actor then recovers and adopts its containers and flows.</summary>
    public sealed record Wake(string System);

    public sealed record StatusReport(IReadOnlyList<SystemStatus> Systems);

    public sealed record ProgressNote(string System, string Text);

    public sealed record SystemStatus(
        string Name,
        long Change,
        string Phase,
        string? LastError,
        IReadOnlyList<ServiceStatus> Services,
        IReadOnlyList<string> EntryAddresses);

    public sealed record ServiceStatus(string Name, string Network, int Desired, bool Ready, IReadOnlyList<ReplicaStatus> Replicas);

    public sealed record ReplicaStatus(string Name, string ContainerId, string Address, bool Running, bool Healthy);
}
