using Akka.Actor;
using Sdmi.Node.Hosts;

namespace Sdmi.Node.Services;

/// <summary>Runs hook commands through the host actor, which owns the containers.</summary>
public sealed class HostExec(IActorRef host) : IContainerExec
{
    public Task<ExecResult> ExecAsync(
        string containerId, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken cancellation) =>
        host.Ask<ExecResult>(new HostProtocol.Exec(containerId, command, timeout), timeout + TimeSpan.FromSeconds(5), cancellation);
}
