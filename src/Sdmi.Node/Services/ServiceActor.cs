using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using Akka.Persistence;
using Sdmi.Fabric;
using Sdmi.Model;
using Sdmi.Node.Hosts;
using Sdmi.Node.Transactions;
using static Sdmi.Node.Services.ServiceEvents;
using static Sdmi.Node.Services.ServiceProtocol;
using static Sdmi.Node.Systems.SystemEvents;

namespace Sdmi.Node.Services;

/// <summary>
/// One service of a system, a sharded and event-sourced entity: its declared state (replica count,
/// image, network, bridge) and the replicas it observed (container, address, port, health). Its
/// replicas are child container actors. PlanReplicas prepares a transaction's host step,
/// Reconcile adopts what the transaction made, AwaitReady gates on health and runs the service
/// kind's hooks in replica order. Each request is journaled before the entity replies, so the entity
/// that starts on another node after a failure knows the replicas, including those leaving.
/// </summary>
public sealed class ServiceActor : ReceivePersistentActor
{
    private static readonly TimeSpan EnsureTimeout = TimeSpan.FromMinutes(3);
    private const int SnapshotInterval = 50;
    private readonly ILoggingAdapter log = Context.GetLogger();
    private readonly string entityId;
    private readonly IActorRef host;
    private readonly SortedDictionary<int, ReplicaState> replicas = new();
    private ServiceDeclared? declared;
    private long change;
    private bool ready;
    private long snapshotAt;
    private IActorRef pendingRequester = ActorRefs.Nobody;
    private Exception? rejected;

    public ServiceActor(string entityId, IActorRef host)
    {
        this.entityId = entityId;
        this.host = host;
        Recover<ServiceDeclared>(Apply);
        Recover<ReplicasLeft>(Apply);
        Recover<ReplicasReconciled>(Apply);
        Recover<ServiceBecameReady>(Apply);
        Recover<ServiceEvents.ServiceDropped>(Apply);
        Recover<RecoveryCompleted>(_ => log.Info("Service {0}: started, recovered {1} events", entityId, LastSequenceNr));
        Recover<SnapshotOffer>(offer =>
        {
            snapshotAt = offer.Metadata.SequenceNr;
            if (offer.Snapshot is ServiceSnapshot snapshot)
            {
                Apply(snapshot);
            }
        });
        CommandAsync<PlanReplicas>(m => Handle(() => OnPlan(m)));
        CommandAsync<Reconcile>(m => Handle(() => OnReconcile(m)));
        CommandAsync<AwaitReady>(m => Handle(() => OnAwaitReady(m)));
        Command<RetireService>(OnRetire);
        Command<Persistence.StopEntity>(_ => Context.Stop(Self));
        Command<GetServiceState>(m =>
        {
            Sender.Tell(State(m.System, m.Service));
            PassivateIfEmpty();
        });
        Command<SaveSnapshotSuccess>(saved => DeleteSnapshots(new SnapshotSelectionCriteria(saved.Metadata.SequenceNr - 1)));
        Command<SaveSnapshotFailure>(failed => log.Warning("Service {0}: snapshot not saved: {1}", entityId, failed.Cause.Message));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(failed => log.Warning("Service {0}: older snapshots not deleted: {1}", entityId, failed.Cause.Message));
    }

    public override string PersistenceId => "service-" + entityId;

    public static Props Props(string entityId, IActorRef host) => Akka.Actor.Props.Create(() => new ServiceActor(entityId, host));

    /// <summary>
    /// Runs a request, journals the events it produced, then replies. The mailbox stays suspended
    /// until the events are stored, so the next request works on their effect.
    /// </summary>
    private async Task Handle(Func<Task<(IReadOnlyList<object> Events, object Reply)>> handler)
    {
        var sender = Sender;
        try
        {
            var (events, reply) = await handler();
            if (events.Count == 0)
            {
                sender.Tell(reply);
                return;
            }

            pendingRequester = sender;
            PersistAll(events, Apply);
            DeferAsync(reply, r =>
            {
                pendingRequester = ActorRefs.Nobody;
                MaybeSnapshot();
                sender.Tell(AfterPersist(r));
            });
        }
        catch (Exception e)
        {
            log.Error(e, "Service {0}: request failed", entityId);
            sender.Tell(new Status.Failure(e));
        }
    }

    private async Task<(IReadOnlyList<object>, object)> OnPlan(PlanReplicas message)
    {
        var (system, service) = Resolve(message.System, message.Service);
        var events = Declare(message.Change, system, service);
        var behavior = ServiceBehavior.For(service.Kind);

        var remaining = replicas.Values.ToList();
        var leaving = new List<ReplicaState>();
        foreach (var extra in replicas.Keys.Where(k => k > service.Replicas).OrderByDescending(k => k).ToList())
        {
            remaining.RemoveAll(r => r.Index == extra);
            await behavior.OnReplicaLeavingAsync(Info(replicas[extra]), remaining.Select(Info).ToList(), new HostExec(host), CancellationToken.None);
            leaving.Add(replicas[extra]);
        }

        if (leaving.Count > 0)
        {
            events.Add(new ReplicasLeft(message.Change, leaving.Select(r => r.Index).ToList()));
        }

        var network = system.GetNetwork(service.Network);
        var ensure = Enumerable.Range(1, service.Replicas)
            .Select(k => ReplicaRequest(system, service, message.Change, message.Environment, message.Addresses, network, behavior, k))
            .ToList();
        return (events, new ReplicaPlan(ensure, leaving));
    }

    private async Task<(IReadOnlyList<object>, object)> OnReconcile(Reconcile message)
    {
        var (system, service) = Resolve(message.System, message.Service);
        var events = Declare(message.Change, system, service);
        var network = system.GetNetwork(service.Network);
        var behavior = ServiceBehavior.For(service.Kind);
        var bridge = system.Hosts[0].Bridge;

        var current = new SortedDictionary<int, ReplicaState>(replicas);
        var removed = 0;
        foreach (var extra in current.Keys.Where(k => k > service.Replicas).OrderByDescending(k => k).ToList())
        {
            var remaining = current.Values.Where(r => r.Index != extra).Select(Info).ToList();
            await behavior.OnReplicaLeavingAsync(Info(current[extra]), remaining, new HostExec(host), CancellationToken.None);
            await Child(extra).Ask<ReplicaRemoved>(new RemoveReplica(bridge), EnsureTimeout);
            current.Remove(extra);
            removed++;
        }

        var requests = Enumerable.Range(1, service.Replicas)
            .Select(k => (Index: k, Request: ReplicaRequest(system, service, message.Change, message.Environment, message.Addresses, network, behavior, k)))
            .ToList();
        var results = await Task.WhenAll(requests.Select(r =>
            Child(r.Index).Ask<HostProtocol.ContainerReady>(new EnsureReplica(r.Request), EnsureTimeout)));

        var created = 0;
        for (var i = 0; i < results.Length; i++)
        {
            var index = requests[i].Index;
            var result = results[i];
            created += result.Created ? 1 : 0;
            var wasHealthy = !result.Created && current.TryGetValue(index, out var before) && before.Healthy
                && before.ContainerId == result.ContainerId;
            current[index] = new ReplicaState(index, result.ContainerId, result.Endpoint, wasHealthy);
        }

        var observed = current.Values.Select(ReplicaRecord.From).ToList();
        if (!observed.SequenceEqual(replicas.Values.Select(ReplicaRecord.From)) || removed > 0)
        {
            events.Add(new ReplicasReconciled(message.Change, observed));
        }

        return (events, new Reconciled(current.Values.ToList(), created, results.Length - created, removed));
    }

    private async Task<(IReadOnlyList<object>, object)> OnAwaitReady(AwaitReady message)
    {
        var (_, spec) = Resolve(message.System, message.Service);
        await Task.WhenAll(replicas.Keys.Select(k =>
            Child(k).Ask<Healthy>(new CheckHealth(spec.Health), HealthBudget(spec.Health))));

        var behavior = ServiceBehavior.For(spec.Kind);
        var all = replicas.Values.Select(Info).ToList();
        foreach (var replica in all)
        {
            await behavior.OnReplicaJoinedAsync(replica, all, new HostExec(host), CancellationToken.None);
        }

        IReadOnlyList<object> events = ready && replicas.Values.All(r => r.Healthy) ? [] : [new ServiceBecameReady(change)];
        return (events, new Ready(spec.Name, replicas.Count));
    }

    private void OnRetire(RetireService command)
    {
        var requester = Sender;
        var reply = new ServiceProtocol.ServiceRetired(command.System, command.Service);
        foreach (var child in Context.GetChildren())
        {
            Context.Stop(child);
        }

        if (declared is null && replicas.Count == 0)
        {
            requester.Tell(reply);
            Context.Parent.Tell(new Passivate(Persistence.StopEntity.Instance));
            return;
        }

        pendingRequester = requester;
        Persist(new ServiceEvents.ServiceDropped(change), e =>
        {
            Apply(e);
            pendingRequester = ActorRefs.Nobody;
            log.Info("Service {0}: retired", entityId);
            requester.Tell(reply);
            Context.Parent.Tell(new Passivate(Persistence.StopEntity.Instance));
        });
    }

    /// <summary>The journal refused an event (the entity goes on): the request's reply becomes a failure.</summary>
    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        log.Error(cause, "Service {0}: the journal rejected {1}", entityId, @event.GetType().Name);
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
            $"Service {entityId}: the journal rejected an event ({cause.GetBaseException().Message}); the request did not take effect. Send it again."));
    }

    /// <summary>The journal did not store an event: the requester hears it now, because the entity stops after this.</summary>
    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        log.Error(cause, "Service {0}: the journal did not store {1}", entityId, @event.GetType().Name);
        pendingRequester.Tell(new Status.Failure(new JournalUnavailableException(
            $"Service {entityId}: the journal did not store {@event.GetType().Name} ({cause.GetBaseException().Message}). "
            + "Check that the journal's database is reachable, then run the command again.")));
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    private List<object> Declare(long requestChange, SystemSpec system, ServiceSpec service)
    {
        var declaration = new ServiceDeclared(requestChange, service.Replicas, service.Image, service.Network, system.Hosts[0].Bridge);
        return declaration == declared ? [] : [declaration];
    }

    private static (SystemSpec System, ServiceSpec Service) Resolve(SystemSpec system, string service) =>
        (system, system.Services.FirstOrDefault(s => s.Name == service)
            ?? throw new ArgumentException($"System {system.Name} declares no service {service}."));

    private void Apply(object e)
    {
        switch (e)
        {
            case ServiceDeclared d:
                if (declared is null || d.Change != declared.Change)
                {
                    ready = false;
                }

                declared = d;
                change = d.Change;
                break;
            case ReplicasLeft left:
                foreach (var index in left.Replicas)
                {
                    replicas.Remove(index);
                }

                break;
            case ReplicasReconciled reconciled:
                replicas.Clear();
                foreach (var record in reconciled.Replicas)
                {
                    replicas[record.Index] = record.ToState(ServiceName);
                }

                break;
            case ServiceBecameReady:
                ready = true;
                foreach (var index in replicas.Keys.ToList())
                {
                    replicas[index] = replicas[index] with { Healthy = true };
                }

                break;
            case ServiceEvents.ServiceDropped:
                (declared, ready) = (null, false);
                replicas.Clear();
                break;
            case ServiceSnapshot s:
                (change, declared, ready) = (s.Change, s.Declared, s.Ready);
                replicas.Clear();
                foreach (var record in s.Replicas)
                {
                    replicas[record.Index] = record.ToState(ServiceName);
                }

                break;
        }
    }

    /// <summary>The service's name: the entity id after the system's name and the dot.</summary>
    private string ServiceName => entityId[(entityId.IndexOf('.', StringComparison.Ordinal) + 1)..];

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
            SaveSnapshot(new ServiceSnapshot(change, declared, ready, replicas.Values.Select(ReplicaRecord.From).ToList()));
        }
    }

    private ServiceState State(string system, string service) => new(
        system,
        service,
        declared is not null,
        change,
        LastSequenceNr,
        declared?.Replicas ?? 0,
        declared?.Image,
        declared?.Network,
        ready,
        replicas.Values.Select(ReplicaRecord.From).ToList());

    private HostProtocol.EnsureContainer ReplicaRequest(
        SystemSpec system,
        ServiceSpec spec,
        long requestChange,
        IReadOnlyDictionary<string, string> dependencies,
        IReadOnlyList<string> addresses,
        NetworkSpec network,
        ServiceBehavior behavior,
        int index)
    {
        var address = index <= addresses.Count
            ? System.Net.IPAddress.Parse(addresses[index - 1])
            : throw new ArgumentException($"Service {entityId}: no address leased for replica {index} ({addresses.Count} leased); plan its network first.");
        var environment = new Dictionary<string, string>(spec.Environment);
        foreach (var (key, value) in dependencies)
        {
            environment[key] = value;
        }

        foreach (var (key, value) in behavior.ReplicaEnvironment(spec, index))
        {
            environment[key] = value;
        }

        environment[SdmiEnvironment.System] = system.Name;
        environment[SdmiEnvironment.Service] = spec.Name;
        environment[SdmiEnvironment.Network] = network.Name;
        environment[SdmiEnvironment.ReplicaIndex] = index.ToString(System.Globalization.CultureInfo.InvariantCulture);
        environment[SdmiEnvironment.Address] = address.ToString();

        return new HostProtocol.EnsureContainer(
            system.Name,
            system.Hosts[0].Bridge,
            requestChange,
            spec.Name,
            index,
            spec.Image,
            environment,
            spec.Command,
            new EndpointAddress(
                HostActor.ContainerName(system.Name, spec.Name, index),
                address,
                network.Subnet.PrefixLength,
                network.Gateway,
                MacAddress.FromIPv4(address)));
    }

    /// <summary>Time a replica may take to pass its check: start period plus every retry, with a margin.</summary>
    private static TimeSpan HealthBudget(HealthCheck? health) => health is null
        ? TimeSpan.FromSeconds(10)
        : health.StartPeriod + ((health.Interval + health.Timeout) * health.Retries) + TimeSpan.FromSeconds(10);

    private static ReplicaInfo Info(ReplicaState state) =>
        new(state.Index, state.Endpoint.Name, state.ContainerId, state.Endpoint.Address);

    private IActorRef Child(int index)
    {
        var name = $"replica-{index}";
        var child = Context.Child(name);
        if (!child.IsNobody())
        {
            return child;
        }

        child = Context.ActorOf(ContainerActor.Props(host, index), name);
        if (replicas.TryGetValue(index, out var known))
        {
            child.Tell(new KnownReplica(known.ContainerId, known.Endpoint.Name, known.Endpoint.Address.ToString()));
        }

        return child;
    }
}
