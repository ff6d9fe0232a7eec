using Akka.Actor;
using Akka.Event;
using Sdmi.Model;
using Sdmi.Node.Hosts;
using static Sdmi.Node.Services.ServiceProtocol;

namespace Sdmi.Node.Services;

/// <summary>
/// One replica's lifecycle: ensure its container through the host actor, probe its health on a
/// timer, and remove it. States: Idle, then Probing while a health wait is pending.
/// </summary>
public sealed class ContainerActor : ReceiveActor, IWithTimers
{
    private const string ProbeTimer = "probe";
    private readonly ILoggingAdapter log = Context.GetLogger();
    private readonly IActorRef host;
    private readonly int replica;
    private string? containerId;
    private string name = "";
    private IPAddressText? address;

    public ContainerActor(IActorRef host, int replica)
    {
        this.host = host;
        this.replica = replica;
        Idle();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IActorRef host, int replica) =>
        Akka.Actor.Props.Create(() => new ContainerActor(host, replica));

    private void Idle()
    {
        ReceiveAsync<EnsureReplica>(OnEnsure);
        Receive<KnownReplica>(OnKnown);
        Receive<CheckHealth>(OnCheckHealth);
        ReceiveAsync<RemoveReplica>(OnRemove);
    }

    private async Task OnEnsure(EnsureReplica message)
    {
        var sender = Sender;
        try
        {
            // Idempotent, so it is sent again when the host actor's node dies and the request is lost with it.
            var ready = await Hosting.RetryingAsk.AskAsync<HostProtocol.ContainerReady>(
                host, message.Request, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2));
            containerId = ready.ContainerId;
            name = ready.Endpoint.Name;
            address = new IPAddressText(ready.Endpoint.Address.ToString(), PortWiring.InterfaceName(ready.Endpoint.Address));
            sender.Tell(ready);
        }
        catch (Exception e)
        {
            log.Error(e, "Ensuring replica {0} failed", replica);
            sender.Tell(new Status.Failure(e));
        }
    }

    /// <summary>The service entity recovered this replica's container, made by an earlier run of the entity.</summary>
    private void OnKnown(KnownReplica message)
    {
        if (containerId is not null)
        {
            return;
        }

        containerId = message.ContainerId;
        name = message.Name;
        var ip = System.Net.IPAddress.Parse(message.Address);
        address = new IPAddressText(message.Address, PortWiring.InterfaceName(ip));
    }

    private void OnCheckHealth(CheckHealth message)
    {
        var replyTo = Sender;
        if (containerId is null)
        {
            replyTo.Tell(new Status.Failure(new InvalidOperationException($"Replica {replica} has no container yet.")));
            return;
        }

        if (message.Health is null)
        {
            replyTo.Tell(new Healthy(replica));
            return;
        }

        var health = message.Health;
        var attempts = 0;

        // Early probes come faster than the interval (see ProbeDelay), so the failure budget is the
        // time Docker's own rule would allow: the start period plus retries full intervals.
        var deadline = Context.System.Scheduler.Now + health.StartPeriod + (health.Interval * health.Retries);
        Timers.StartSingleTimer(ProbeTimer, Probe.Instance, health.StartPeriod);
        Become(() =>
        {
            Receive<Probe>(_ =>
            {
                host.Ask<ExecResult>(new HostProtocol.Exec(containerId, health.Command, health.Timeout), health.Timeout + TimeSpan.FromSeconds(5))
                    .PipeTo(Self, failure: e => new ExecResult(-1, e.Message));
            });
            Receive<ExecResult>(result =>
            {
                attempts++;
                if (result.ExitCode == 0)
                {
                    log.Info("Replica {0} is healthy after {1} health checks", name, attempts);
                    replyTo.Tell(new Healthy(replica));
                    Become(Idle);
                }
                else if (attempts >= health.Retries && Context.System.Scheduler.Now >= deadline)
                {
                    log.Warning("Replica {0} failed {1} health checks: {2}", name, attempts, result.Output.Trim());
                    replyTo.Tell(new Status.Failure(new UnhealthyReplicaException(name, attempts, result.Output)));
                    Become(Idle);
                }
                else
                {
                    Timers.StartSingleTimer(ProbeTimer, Probe.Instance, ProbeDelay(health, attempts));
                }
            });
            ReceiveAsync<RemoveReplica>(async m =>
            {
                Timers.Cancel(ProbeTimer);
                replyTo.Tell(new Status.Failure(new InvalidOperationException($"Replica {name} was removed while starting.")));
                Become(Idle);
                await OnRemove(m);
            });
        });
    }

    /// <summary>
    /// Delay before the next probe while a replica starts: 250 ms after the first failure, doubling
    /// up to <see cref="StartupProbeCap"/> or the check's interval, whichever is shorter. A replica
    /// that becomes ready is noticed within about a second, whatever its steady-state interval.
    /// </summary>
    public static TimeSpan ProbeDelay(HealthCheck health, int failedAttempts)
    {
        var backoff = TimeSpan.FromMilliseconds(250 * Math.Pow(2, Math.Min(failedAttempts - 1, 10)));
        var cap = health.Interval < StartupProbeCap ? health.Interval : StartupProbeCap;
        return backoff < cap ? backoff : cap;
    }

    /// <summary>Longest wait between two probes of a starting replica.</summary>
    public static readonly TimeSpan StartupProbeCap = TimeSpan.FromSeconds(1);

    private async Task OnRemove(RemoveReplica message)
    {
        var sender = Sender;
        try
        {
            if (containerId is not null && address is not null)
            {
                await host.Ask<HostProtocol.ContainerRemoved>(
                    new HostProtocol.RemoveContainer(message.Bridge, containerId, address.InterfaceName), TimeSpan.FromMinutes(1));
            }

            sender.Tell(new ReplicaRemoved(replica));
            Context.Stop(Self);
        }
        catch (Exception e)
        {
            log.Error(e, "Removing replica {0} ({1}) failed", name, containerId ?? "no container");
            sender.Tell(new Status.Failure(e));
        }
    }

    private sealed record IPAddressText(string Address, string InterfaceName);
}
