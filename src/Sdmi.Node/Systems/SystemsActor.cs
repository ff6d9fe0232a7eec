using Akka.Actor;
using Akka.Persistence;
using static Sdmi.Node.Systems.SystemProtocol;
using Deploy = Sdmi.Node.Systems.SystemProtocol.Deploy;

namespace Sdmi.Node.Systems;

/// <summary>
/// The registry of declared systems: routes commands to one system actor per system and journals
/// the names of known systems, which is how a status query lists them. After a restart it wakes
/// every known system, which then recovers and adopts its containers and flows without waiting
/// for a command. The system actors are either this actor's children (a node without cluster
/// sharding, as in tests) or the entities of a shard region. In a cluster this actor runs as a
/// singleton, so one writer journals the registry.
/// </summary>
public sealed class SystemsActor : ReceivePersistentActor
{
    private readonly Func<string, Props>? childProps;
    private readonly IActorRef? region;
    private static readonly TimeSpan StatusTimeout = TimeSpan.FromSeconds(15);
    private readonly HashSet<string> known = [];

    private IActorRef registering = ActorRefs.Nobody;

    public SystemsActor(Func<string, Props>? childProps, IActorRef? region)
    {
        this.childProps = childProps;
        this.region = region;

        Recover<SystemRegistered>(e => known.Add(e.Name));
        Recover<RecoveryCompleted>(_ =>
        {
            foreach (var name in known)
            {
                Route(name, new Wake(name));
            }
        });
        Command<Deploy>(m => Register(m.System.Name, () => Route(m.System.Name, m)));
        Command<Remove>(m => Route(m.System, m));
        Command<Scale>(m => Route(m.System, m));
        CommandAsync<GetStatus>(OnGetStatus);
    }

    public override string PersistenceId => "systems";

    /// <summary>System actors as children of this actor, on this node.</summary>
    public static Props Props(IActorRef host, IActorRef fabricSwitch, SystemActor.Entities entities, string controllerTargets) =>
        Akka.Actor.Props.Create(() => new SystemsActor(
            name => SystemActor.Props(name, host, fabricSwitch, entities, controllerTargets), null));

    /// <summary>System actors as entities of <paramref name="systemRegion"/> (see <see cref="SystemSharding"/>).</summary>
    public static Props ForRegion(IActorRef systemRegion) =>
        Akka.Actor.Props.Create(() => new SystemsActor(null, systemRegion));

    private void Register(string name, Action then)
    {
        if (known.Contains(name))
        {
            then();
            return;
        }

        registering = Sender;
        Persist(new SystemRegistered(name), e =>
        {
            known.Add(e.Name);
            then();
        });
    }

    /// <summary>The journal did not store a new system's name: the deploy's requester hears why; the actor then stops and its supervisor starts it again.</summary>
    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        var message = $"The systems registry could not store a new system in the journal ({cause.GetBaseException().Message}); "
            + "nothing was deployed. Check that the journal's database is reachable, then run the command again.";
        registering.Tell(new DeployOutcome(false, false, 0, message));
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    private async Task OnGetStatus(GetStatus query)
    {
        var sender = Sender;
        var names = query.System is null ? known.ToList() : [query.System];
        var reports = await Task.WhenAll(names.Select(n => Ask(n, new GetStatus(n))));
        sender.Tell(new StatusReport(reports.Where(r => r.Phase != "removed" || query.System is not null).ToList()));
    }

    /// <summary>
    /// Requests one system's status. A system that does not reply in time (its node just died,
    /// or its host actor is moving) is reported in the phase "unknown" instead of failing the query.
    /// The wait is longer than a system actor's own wait for the Docker engine's container list (3 s),
    /// so a slow engine still yields the journaled status.
    /// </summary>
    private async Task<SystemStatus> Ask(string name, GetStatus query)
    {
        try
        {
            return region is null
                ? await Child(name).Ask<SystemStatus>(query, StatusTimeout)
                : await region.Ask<SystemStatus>(query, StatusTimeout);
        }
        catch (AskTimeoutException e)
        {
            return new SystemStatus(name, 0, "unknown", $"the system did not answer: {e.Message}", [], []);
        }
    }

    /// <summary>Forwards to the system's actor, so its reply goes to the original sender.</summary>
    private void Route(string name, object message)
    {
        if (region is null)
        {
            Child(name).Forward(message);
        }
        else
        {
            region.Forward(message);
        }
    }

    private IActorRef Child(string name)
    {
        var child = Context.Child(name);
        return child.IsNobody() ? Context.ActorOf(childProps!(name), name) : child;
    }

    public sealed record SystemRegistered(string Name);
}
