using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using Akka.Persistence;
using Sdmi.Fabric;
using Sdmi.Model;
using static Sdmi.Node.Networks.NetworkEvents;
using static Sdmi.Node.Networks.NetworkProtocol;

namespace Sdmi.Node.Networks;

/// <summary>
/// One network of one system, a sharded and event-sourced entity: its declared state (subnet,
/// gateway, range, parent, bridge) and the address lease of every replica placed on it. A
/// deployment plans each network before its services, and the services' containers take the
/// leased addresses. The leases outlive a node: the entity recovers them wherever it starts next.
/// </summary>
public sealed class NetworkActor : ReceivePersistentActor
{
    private const int SnapshotInterval = 50;
    private readonly ILoggingAdapter log = Context.GetLogger();
    private readonly string entityId;
    private readonly Dictionary<(string Service, int Replica), Lease> leases = new();
    private NetworkDeclared? declared;
    private long change;
    private string system = "";
    private string network = "";
    private IActorRef pendingRequester = ActorRefs.Nobody;
    private Exception? rejected;
    private long snapshotAt;

    public NetworkActor(string entityId)
    {
        this.entityId = entityId;
        Recover<NetworkDeclared>(Apply);
        Recover<LeasesChanged>(Apply);
        Recover<NetworkEvents.NetworkDropped>(Apply);
        Recover<RecoveryCompleted>(_ => log.Info("Network {0}: started, recovered {1} events", entityId, LastSequenceNr));
        Recover<SnapshotOffer>(offer =>
        {
            snapshotAt = offer.Metadata.SequenceNr;
            if (offer.Snapshot is NetworkSnapshot snapshot)
            {
                Apply(snapshot);
            }
        });
        Command<PlanNetwork>(OnPlan);
        Command<RetireNetwork>(OnRetire);
        Command<Persistence.StopEntity>(_ => Context.Stop(Self));
        Command<GetNetworkState>(m =>
        {
            Sender.Tell(State(m.System, m.Network));
            PassivateIfEmpty();
        });
        Command<SaveSnapshotSuccess>(saved => DeleteSnapshots(new SnapshotSelectionCriteria(saved.Metadata.SequenceNr - 1)));
        Command<SaveSnapshotFailure>(failed => log.Warning("Network {0}: snapshot not saved: {1}", entityId, failed.Cause.Message));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(failed => log.Warning("Network {0}: older snapshots not deleted: {1}", entityId, failed.Cause.Message));
    }

    public override string PersistenceId => "network-" + entityId;

    public static Props Props(string entityId) => Akka.Actor.Props.Create(() => new NetworkActor(entityId));

    private void OnPlan(PlanNetwork command)
    {
        (system, network) = (command.System.Name, command.Network);
        NetworkSpec spec;
        AddressLeases.Plan plan;
        try
        {
            spec = command.System.GetNetwork(command.Network);
            var requests = command.System.Services
                .Where(s => s.Network == command.Network)
                .SelectMany(s => Enumerable.Range(1, s.Replicas)
                    .Select(k => new LeaseRequest(s.Name, k, Addressing.PreferredAddress(command.System, s, k))))
                .ToList();
            plan = AddressLeases.Decide(command.Network, spec.Range, leases.Values, requests, command.ReleaseUndeclared);
        }
        catch (Exception e) when (e is AddressesExhaustedException or KeyNotFoundException or ArgumentException)
        {
            log.Warning("Network {0}: change {1} not planned: {2}", entityId, command.Change, e.Message);
            Sender.Tell(new Status.Failure(e));
            return;
        }

        var events = new List<object>();
        var declaration = new NetworkDeclared(
            command.Change, spec.Subnet.ToString(), spec.Gateway.ToString(), spec.Range.Start.ToString(), spec.Range.End.ToString(),
            spec.Parent, command.System.Hosts[0].Bridge);
        if (declared is null || declared with { Change = command.Change } != declaration)
        {
            events.Add(declaration);
        }

        if (plan.Granted.Count > 0 || plan.Released.Count > 0)
        {
            events.Add(new LeasesChanged(command.Change, plan.Granted, plan.Released));
            foreach (var lease in plan.Released)
            {
                log.Info("Network {0}: address {1} of {2} replica {3} released", entityId, lease.Address, lease.Service, lease.Replica);
            }
        }

        var requester = Sender;
        var reply = new NetworkPlanned(system, network, command.Change, plan.Leases);
        if (events.Count == 0)
        {
            requester.Tell(reply);
            return;
        }

        pendingRequester = requester;
        PersistAll(events, e => Apply(e));
        DeferAsync(reply, r =>
        {
            pendingRequester = ActorRefs.Nobody;
            log.Info("Network {0}: change {1} planned, {2} leases", entityId, command.Change, leases.Count);
            MaybeSnapshot();
            requester.Tell(AfterPersist(r));
        });
    }

    private void OnRetire(RetireNetwork command)
    {
        var requester = Sender;
        var reply = new NetworkProtocol.NetworkRetired(command.System, command.Network);
        if (declared is null && leases.Count == 0)
        {
            requester.Tell(reply);
            Context.Parent.Tell(new Passivate(Persistence.StopEntity.Instance));
            return;
        }

        pendingRequester = requester;
        Persist(new NetworkEvents.NetworkDropped(change), e =>
        {
            Apply(e);
            pendingRequester = ActorRefs.Nobody;
            log.Info("Network {0}: retired, its leases released", entityId);
            requester.Tell(reply);
            Context.Parent.Tell(new Passivate(Persistence.StopEntity.Instance));
        });
    }

    /// <summary>The journal refused an event (the entity goes on): the request's reply becomes a failure.</summary>
    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        log.Error(cause, "Network {0}: the journal rejected {1}", entityId, @event.GetType().Name);
        rejected = cause;
        base.OnPersistRejected(cause, @event, sequenceNr);
    }

    /// <summary>Returns the reply for a request whose events were journaled, or a failure when the journal rejected one.</summary>
    private object AfterPersist(object reply)
    {
        if (rejected is not { } cause)
        {
            return reply;
        }

        rejected = null;
        return new Status.Failure(new Transactions.JournalUnavailableException(
            $"Network {entityId}: the journal rejected an event ({cause.GetBaseException().Message}); the request did not take effect. Send it again."));
    }

    /// <summary>The journal did not store an event: the requester hears it now, because the entity stops after this.</summary>
    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        log.Error(cause, "Network {0}: the journal did not store {1}", entityId, @event.GetType().Name);
        pendingRequester.Tell(new Status.Failure(new Transactions.JournalUnavailableException(
            $"Network {entityId}: the journal did not store {@event.GetType().Name} ({cause.GetBaseException().Message}). "
            + "Check that the journal's database is reachable, then run the command again.")));
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    private void Apply(object e)
    {
        switch (e)
        {
            case NetworkDeclared d:
                declared = d;
                change = d.Change;
                break;
            case LeasesChanged c:
                change = c.Change;
                foreach (var lease in c.Released)
                {
                    leases.Remove((lease.Service, lease.Replica));
                }

                foreach (var lease in c.Granted)
                {
                    leases[(lease.Service, lease.Replica)] = lease;
                }

                break;
            case NetworkEvents.NetworkDropped:
                declared = null;
                leases.Clear();
                break;
            case NetworkSnapshot s:
                (change, declared) = (s.Change, s.Declared);
                leases.Clear();
                foreach (var lease in s.Leases)
                {
                    leases[(lease.Service, lease.Replica)] = lease;
                }

                break;
        }
    }

    /// <summary>Passivates an entity with no declaration, so a query for an undeclared name leaves no remembered entity behind.</summary>
    private void PassivateIfEmpty()
    {
        if (declared is null)
        {
            Context.Parent.Tell(new Passivate(Persistence.StopEntity.Instance));
        }
    }

    private void MaybeSnapshot()
    {
        if (LastSequenceNr - snapshotAt >= SnapshotInterval)
        {
            snapshotAt = LastSequenceNr;
            SaveSnapshot(new NetworkSnapshot(change, declared, leases.Values.ToList()));
        }
    }

    private NetworkState State(string systemName, string networkName) => new(
        systemName,
        networkName,
        declared is not null,
        change,
        LastSequenceNr,
        declared?.Subnet,
        declared?.Gateway,
        declared is null ? null : $"{declared.RangeStart}-{declared.RangeEnd}",
        declared?.Parent,
        declared?.Bridge,
        leases.Values.OrderBy(l => l.Service, StringComparer.Ordinal).ThenBy(l => l.Replica).ToList());
}
