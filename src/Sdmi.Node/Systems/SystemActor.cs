using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Sdmi.Model;
using Sdmi.Node.Hosts;
using Sdmi.Node.Services;
using Sdmi.Node.Switches;
using static Sdmi.Node.Systems.SystemEvents;
using static Sdmi.Node.Systems.SystemProtocol;
using Deploy = Sdmi.Node.Systems.SystemProtocol.Deploy;

namespace Sdmi.Node.Systems;

/// <summary>
/// One declared system, event-sourced: the journal holds every accepted declaration and the outcome
/// of each deployment. States: Idle (accepts commands) and Busy (a deployment or removal runs;
/// further commands wait in the stash, status queries are answered). After a node restart the actor
/// recovers its declaration and redeploys it, which adopts running containers and reinstalls flows
/// instead of recreating them.
/// </summary>
public sealed class SystemActor : ReceivePersistentActor, IWithStash
{
    private readonly ILoggingAdapter log = Context.GetLogger();
    private readonly string name;
    private readonly IActorRef host;
    private readonly IActorRef fabricSwitch;
    private readonly IActorRef transactions;
    private readonly IActorRef services;
    private readonly IActorRef networks;
    private readonly string controllerTarget;
    private readonly Dictionary<string, IReadOnlyList<ServiceProtocol.ReplicaState>> replicas = new();
    private readonly HashSet<string> readyServices = [];

    /// <summary>Every service and network a declaration named since the last removal: the entities a removal or a later change retires.</summary>
    private readonly HashSet<string> knownServices = new(StringComparer.Ordinal);
    private readonly HashSet<string> knownNetworks = new(StringComparer.Ordinal);
    private SystemSpec? declared;
    private SystemSpec? previousDeclared;
    private bool previousRemoved = true;
    private long change;
    private bool removed = true;
    private string phase = "not deployed";
    private string? lastError;
    private IActorRef pendingRequester = ActorRefs.Nobody;
    private bool pendingIsRemoval;

    public SystemActor(string name, IActorRef host, IActorRef fabricSwitch, Entities entities, string controllerTarget)
    {
        this.name = name;
        this.host = host;
        this.fabricSwitch = fabricSwitch;
        (transactions, services, networks) = (entities.Transactions, entities.Services, entities.Networks);
        this.controllerTarget = controllerTarget;
        Recover<SystemDeclared>(e => OnDeclared(e));
        Recover<DeploymentFinished>(e => OnFinished(e));
        Recover<SystemRemoved>(e => OnRemoved(e));
        Recover<ReplicasObserved>(e => OnObserved(e));
        Recover<DeclarationRejected>(e => OnRejected(e));
        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is SystemSnapshot snapshot)
            {
                OnSnapshot(snapshot);
            }
        });
        Recover<RecoveryCompleted>(_ => OnRecovered());
        Idle();
    }

    public override string PersistenceId => "system-" + name;

    public static Props Props(string name, IActorRef host, IActorRef fabricSwitch, Entities entities, string controllerTarget) =>
        Akka.Actor.Props.Create(() => new SystemActor(name, host, fabricSwitch, entities, controllerTarget));

    /// <summary>The shard regions (or proxies) of the entities a system's deployments use.</summary>
    public sealed record Entities(IActorRef Transactions, IActorRef Services, IActorRef Networks);

    private void Idle()
    {
        Command<Deploy>(OnDeploy);
        Command<Scale>(OnScale);
        Command<Remove>(OnRemove);
        Command<GetStatus>(_ => ReplyWithStatus());
        Command<Resume>(_ => OnResume());
        SnapshotReplies();
        Command<Wake>(_ => { });
    }

    private void Busy(IActorRef requester, IActorRef progressTarget)
    {
        pendingRequester = requester;
        Command<ProgressNote>(note =>
        {
            phase = note.Text;
            log.Info("System {0}: {1}", name, note.Text);
            progressTarget.Tell(note);
        });
        Command<ServiceUpdate>(update =>
        {
            var records = update.Replicas.Select(r => ReplicaRecord.From(r) with { Healthy = r.Healthy || update.Ready }).ToList();
            Persist(new ReplicasObserved(update.Service, records), e =>
            {
                OnObserved(e);
                if (update.Ready)
                {
                    readyServices.Add(update.Service);
                }
            });
        });
        Command<DeployFinished>(done => OnDeployFinished(done, requester));
        Command<RemoveFinished>(done => OnRemoveFinished(done, requester));
        Command<GetStatus>(_ => ReplyWithStatus());
        SnapshotReplies();
        Command<Deploy>(_ => Stash.Stash());
        Command<Scale>(_ => Stash.Stash());
        Command<Remove>(_ => Stash.Stash());
        Command<Resume>(_ => { });
        Command<Wake>(_ => { });
    }

    /// <summary>
    /// Saves the whole state once a command has journaled its last event, so that recovery replays
    /// one snapshot and at most one command's events instead of the system's whole history. Older
    /// snapshots are deleted once the new one is stored; the events stay as the system's history.
    /// </summary>
    private void TakeSnapshot()
    {
        var replicaRecords = replicas.ToDictionary(
            kv => kv.Key,
            kv => (IReadOnlyList<ReplicaRecord>)kv.Value.Select(ReplicaRecord.From).ToList());
        SaveSnapshot(new SystemSnapshot(
            declared is null ? null : SystemSpecJson.Write(declared),
            previousDeclared is null ? null : SystemSpecJson.Write(previousDeclared),
            previousRemoved,
            change,
            removed,
            phase,
            lastError,
            replicaRecords,
            knownServices.Order(StringComparer.Ordinal).ToList(),
            knownNetworks.Order(StringComparer.Ordinal).ToList()));
    }

    private void OnSnapshot(SystemSnapshot snapshot)
    {
        declared = snapshot.SpecJson is null ? null : SystemLoader.Parse(snapshot.SpecJson, $"snapshot of system {name}");
        previousDeclared = snapshot.PreviousSpecJson is null ? null : SystemLoader.Parse(snapshot.PreviousSpecJson, $"snapshot of system {name}");
        (previousRemoved, change, removed, phase, lastError) =
            (snapshot.PreviousRemoved, snapshot.Change, snapshot.Removed, snapshot.Phase, snapshot.LastError);
        replicas.Clear();
        foreach (var (service, records) in snapshot.Replicas)
        {
            OnObserved(new ReplicasObserved(service, records));
        }

        knownServices.Clear();
        knownNetworks.Clear();
        knownServices.UnionWith(snapshot.KnownServices ?? []);
        knownNetworks.UnionWith(snapshot.KnownNetworks ?? []);
        foreach (var spec in new[] { declared, previousDeclared }.OfType<SystemSpec>())
        {
            Remember(spec);
        }
    }

    private void SnapshotReplies()
    {
        Command<SaveSnapshotSuccess>(saved => DeleteSnapshots(new SnapshotSelectionCriteria(saved.Metadata.SequenceNr - 1)));
        Command<SaveSnapshotFailure>(failed =>
            log.Warning("System {0}: snapshot at event {1} not saved ({2}); recovery replays the events instead",
                name, failed.Metadata.SequenceNr, failed.Cause.Message));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(failed => log.Warning("System {0}: older snapshots not deleted: {1}", name, failed.Cause.Message));
    }

    private void OnDeclared(SystemDeclared e)
    {
        previousDeclared = declared;
        previousRemoved = removed;
        declared = SystemLoader.Parse(e.SpecJson, $"journal of system {name}");
        change = e.Change;
        removed = false;
        Remember(declared);
    }

    private void OnFinished(DeploymentFinished e)
    {
        phase = e.Succeeded ? "up" : "failed";
        lastError = e.Succeeded ? null : e.Summary;
        if (e.Succeeded && declared is not null)
        {
            // A successful run retired every entity the declaration dropped.
            knownServices.Clear();
            knownNetworks.Clear();
            Remember(declared);
            foreach (var dropped in replicas.Keys.Where(k => declared.Services.All(s => s.Name != k)).ToList())
            {
                replicas.Remove(dropped);
            }
        }
    }

    private void OnRemoved(SystemRemoved e)
    {
        removed = true;
        phase = "removed";
        replicas.Clear();
        readyServices.Clear();
        knownServices.Clear();
        knownNetworks.Clear();
    }

    private void OnObserved(ReplicasObserved e)
    {
        replicas[e.Service] = e.Replicas.Select(r => r.ToState(e.Service)).ToList();
    }

    private void OnRecovered()
    {
        if (declared is not null && !removed)
        {
            log.Info("System {0}: recovered change {1}; adopting its containers and flows", name, change);
            Self.Tell(Resume.Instance);
        }
    }

    private void OnResume()
    {
        if (declared is not null && !removed)
        {
            StartDeployment(declared, ActorRefs.Nobody, ActorRefs.Nobody, specChanged: false);
        }
    }

    /// <summary>
    /// The journal did not store an event: the command's requester hears it now, because the actor
    /// stops after this. Cluster sharding starts it again and it recovers from the journal once the
    /// journal is back; a declaration that was not stored did not take effect.
    /// </summary>
    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        log.Error(cause, "System {0}: the journal did not store {1}", name, @event.GetType().Name);
        var message = $"System {name}: the journal did not store {@event.GetType().Name} ({cause.GetBaseException().Message}). "
            + "Check that the journal's database is reachable, then run the command again; the system recovers by itself once it is.";
        if (!pendingRequester.IsNobody())
        {
            pendingRequester.Tell(pendingIsRemoval ? new RemoveOutcome(false, message) : new DeployOutcome(false, false, change, message));
        }

        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    private void OnDeploy(Deploy command)
    {
        pendingRequester = Sender;
        pendingIsRemoval = false;
        var specChanged = removed || declared is null || !declared.ContentEquals(command.System);
        if (!specChanged)
        {
            StartDeployment(command.System, Sender, command.Progress, specChanged: false);
            return;
        }

        var requester = Sender;
        Persist(new SystemDeclared(SystemSpecJson.Write(command.System), change + 1), e =>
        {
            OnDeclared(e);
            StartDeployment(command.System, requester, command.Progress, specChanged: true);
        });
    }

    /// <summary>
    /// Deploys the current declaration with one service's replica count changed. Refused, with
    /// nothing changed, when the system is not deployed, the service is unknown or the count is
    /// outside the service's scale bounds.
    /// </summary>
    private void OnScale(Scale command)
    {
        var problem = ScaleProblem(command);
        if (problem is not null)
        {
            log.Warning("System {0}: scale of {1} to {2} rejected: {3}", name, command.Service, command.Replicas, problem);
            Sender.Tell(new DeployOutcome(false, false, change, problem));
            return;
        }

        var scaled = declared!.Services
            .Select(s => s.Name == command.Service ? s with { Replicas = command.Replicas } : s)
            .ToList();
        command.Progress.Tell(new ProgressNote(name, $"scaling {command.Service} to {command.Replicas} replicas"));
        OnDeploy(new Deploy(declared with { Services = scaled }, command.Progress));
    }

    private string? ScaleProblem(Scale command)
    {
        if (declared is null || removed)
        {
            return $"System {name} is not deployed; run `sdmi up FILE` first.";
        }

        var service = declared.Services.FirstOrDefault(s => s.Name == command.Service);
        if (service is null)
        {
            return $"System {name} has no service {command.Service}; its services are {string.Join(", ", declared.Services.Select(s => s.Name))}.";
        }

        var (min, max) = (service.Scale.Min, service.Scale.Max);
        if (min == max && command.Replicas != min)
        {
            return $"Cannot scale {command.Service} to {command.Replicas} replicas: its count is fixed at {min} because the system file "
                + $"sets no scale bounds for it. Add \"scale\": {{\"min\": M, \"max\": N}} to the service and run `sdmi up FILE`.";
        }

        return command.Replicas < min || command.Replicas > max
            ? $"Cannot scale {command.Service} to {command.Replicas} replicas: its scale bounds are {min} to {max} (scale.min and scale.max in the system file)."
            : null;
    }

    private void StartDeployment(SystemSpec system, IActorRef requester, IActorRef progressTarget, bool specChanged)
    {
        readyServices.Clear();
        var self = Self;
        var known = replicas
            .Where(kv => system.Services.Any(s => s.Name == kv.Key))
            .SelectMany(kv => kv.Value.Select(r => r.Endpoint))
            .ToList();
        var run = new DeploymentRun(
            system,
            change,
            known,
            new DeploymentRun.Targets(host, fabricSwitch, services, networks, controllerTarget, transactions),
            Earlier(),
            text => self.Tell(new ProgressNote(name, text)),
            (service, state, ready) => self.Tell(new ServiceUpdate(service, state, ready)));
        Become(() => Busy(requester, progressTarget));
        run.RunAsync().ContinueWith(
            task =>
            {
                return task.IsCompletedSuccessfully
                    ? new DeployFinished(task.Result.Changed || specChanged, task.Result, null)
                    : new DeployFinished(specChanged, null, task.Exception!.GetBaseException());
            },
            TaskScheduler.Default).PipeTo(self);
    }

    /// <summary>
    /// A declaration rejected before it changed anything never took effect: the one before it is
    /// declared again, so a restart does not resume a declaration that `up` reported as rejected.
    /// </summary>
    private void OnRejected(DeclarationRejected e)
    {
        declared = previousDeclared;
        removed = previousRemoved;
        phase = removed ? "removed" : "up";
        lastError = e.Reason;
    }

    private void OnDeployFinished(DeployFinished done, IActorRef requester)
    {
        if (done.Error is DeploymentRejectedException rejected && done.Changed)
        {
            log.Warning("System {0}: change {1} rejected: {2}", name, change, rejected.Message);
            Persist(new DeclarationRejected(change, rejected.Message), e =>
            {
                OnRejected(e);
                TakeSnapshot();
                requester.Tell(new DeployOutcome(false, false, change, rejected.Message));
                BecomeIdle();
            });
            return;
        }

        string summary;
        if (done.Error is null)
        {
            var result = done.Result!;
            summary = done.Changed
                ? $"{name} is up: change {change}, {result.Containers} containers healthy, {result.Flows} flows installed"
                : $"{name} is up to date: no change ({result.Containers} containers healthy, {result.Flows} flows)";
        }
        else
        {
            summary = done.Error is DeploymentRejectedException or SystemFileException
                ? done.Error.Message
                : $"Deployment of {name} failed: {done.Error.Message}";
            log.Error(done.Error, "System {0}: deployment of change {1} failed", name, change);
        }

        Persist(new DeploymentFinished(change, done.Error is null, summary), e =>
        {
            OnFinished(e);
            TakeSnapshot();
            requester.Tell(new DeployOutcome(done.Error is null, done.Changed, change, summary));
            BecomeIdle();
        });
    }

    private void OnRemove(Remove command)
    {
        var requester = Sender;
        pendingIsRemoval = true;
        var bridge = declared?.Hosts[0].Bridge ?? "sdmi0";
        var self = Self;
        Become(() => Busy(requester, command.Progress));
        RemoveAsync(bridge, declared?.Hosts[0].Name ?? "local", change, Earlier(), text => self.Tell(new ProgressNote(name, text)))
            .ContinueWith(
                task => new RemoveFinished(task.IsCompletedSuccessfully ? task.Result : null, task.Exception?.GetBaseException()),
                TaskScheduler.Default)
            .PipeTo(self);
    }

    /// <summary>
    /// Removes by what the engine and the switch hold, not by what this actor remembers, so a
    /// removal after a crash still finds everything the system made. The containers and the flows
    /// go in one transaction, which waits for any deployment step of the system that still runs.
    /// </summary>
    /// <param name="hostName">The system's host, and <paramref name="removedChange"/> its change, read in the actor before the removal starts.</param>
    /// <param name="entities">The service and network entities to retire once the containers and flows are gone.</param>
    private async Task<string> RemoveAsync(
        string bridge, string hostName, long removedChange, DeploymentRun.Retired entities, Action<string> progress)
    {
        var timeout = TimeSpan.FromMinutes(2);
        var containers = await Hosting.RetryingAsk.AskAsync<HostProtocol.ContainerList>(
            host, new HostProtocol.ListContainers(name), TimeSpan.FromSeconds(20), timeout);
        var removals = containers.Containers.Select(c => HostProtocol.RemoveContainer.For(c, bridge)).ToList();
        foreach (var container in containers.Containers)
        {
            progress($"removing container {container.Name}");
        }

        progress("removing flows");
        var id = $"{name}-c{removedChange}-down-{Guid.NewGuid().ToString("N")[..8]}";
        var hostStep = new Transactions.TransactionProtocol.ParticipantStep(
            Transactions.HostStep.ParticipantId(hostName),
            new Transactions.HostStep(name, bridge, [], removals).ToOperation(),
            [$"service:{name}/down"]);
        var switchParticipant = Transactions.SwitchStep.ParticipantId(bridge);
        var switchStep = new Transactions.TransactionProtocol.ParticipantStep(
            switchParticipant, Transactions.SwitchStep.RemoveAll(bridge, name).ToOperation(), [$"flows:{bridge}/{name}"]);
        var outcome = await BeginAsync(new Transactions.TransactionProtocol.Begin(id, [hostStep, switchStep]));
        if (outcome.Decision == Transactions.TransactionProtocol.Decision.Abort
            && outcome.Reason?.StartsWith("no vote", StringComparison.Ordinal) == true
            && outcome.Reason.Contains(switchParticipant, StringComparison.Ordinal))
        {
            // A bridge with no MASTER node (it never connected, or it was deleted) cannot
            // vote. Its flows go with the bridge, which is deleted below once it is empty.
            log.Warning("System {0}: switch {1} did not vote on removal {2}; removing the containers without it", name, bridge, id);
            id += "-host";
            outcome = await BeginAsync(new Transactions.TransactionProtocol.Begin(id, [hostStep]));
        }

        if (outcome.Decision == Transactions.TransactionProtocol.Decision.Abort)
        {
            throw new TransactionAbortedException(id, outcome.Reason ?? "no reason given");
        }

        var ports = await host.Ask<HostProtocol.SystemPortsRemoved>(new HostProtocol.RemoveSystemPorts(name, bridge), timeout);

        // The entities forget their replicas and leases and stop; SystemRemoved is journaled only after they have.
        var attempt = TimeSpan.FromSeconds(20);
        await Task.WhenAll(
            entities.Services.Select(s => (Task)Hosting.RetryingAsk.AskAsync<ServiceProtocol.ServiceRetired>(
                services, new ServiceProtocol.RetireService(name, s), attempt, timeout))
            .Concat(entities.Networks.Select(n => (Task)Hosting.RetryingAsk.AskAsync<Networks.NetworkProtocol.NetworkRetired>(
                networks, new Networks.NetworkProtocol.RetireNetwork(name, n), attempt, timeout))));
        return $"{name} is down: {containers.Containers.Count} containers, {ports.Count} ports and all its flows removed (transaction {id})";
    }

    private Task<Transactions.TransactionProtocol.TransactionOutcome> BeginAsync(Transactions.TransactionProtocol.Begin begin) =>
        Hosting.RetryingAsk.AskAsync<Transactions.TransactionProtocol.TransactionOutcome>(
            transactions, begin, TimeSpan.FromSeconds(60), TimeSpan.FromMinutes(5));

    private void OnRemoveFinished(RemoveFinished done, IActorRef requester)
    {
        if (done.Error is not null)
        {
            log.Error(done.Error, "System {0}: removal failed", name);
            requester.Tell(new RemoveOutcome(false, $"Removal of {name} failed: {done.Error.Message}"));
            BecomeIdle();
            return;
        }

        Persist(new SystemRemoved(change), e =>
        {
            OnRemoved(e);
            TakeSnapshot();
            requester.Tell(new RemoveOutcome(true, done.Summary!));
            BecomeIdle();
        });
    }

    private void BecomeIdle()
    {
        pendingRequester = ActorRefs.Nobody;
        Become(Idle);
        Stash.UnstashAll();
    }

    /// <summary>Every service and network a declaration named since the last removal, or an observed replica names.</summary>
    private DeploymentRun.Retired Earlier() => new(
        knownServices.Concat(replicas.Keys).Distinct().Order(StringComparer.Ordinal).ToList(),
        knownNetworks.Order(StringComparer.Ordinal).ToList());

    private void Remember(SystemSpec spec)
    {
        knownServices.UnionWith(spec.Services.Select(s => s.Name));
        knownNetworks.UnionWith(spec.AllNetworks.Select(n => n.Name));
    }

    /// <summary>
    /// Replies with the journaled view, each replica's running state read from the Docker engine at
    /// the time of the query. A replica whose container is gone or stopped is reported as not running
    /// and not healthy.
    /// </summary>
    private void ReplyWithStatus()
    {
        var sender = Sender;
        var snapshot = Status();
        if (snapshot.Services.Count == 0)
        {
            sender.Tell(snapshot);
            return;
        }

        // Shorter than the systems manager's wait for this reply, so a slow engine still yields a status.
        host.Ask<HostProtocol.ContainerList>(new HostProtocol.ListContainers(name), TimeSpan.FromSeconds(3))
            .ContinueWith(
                task =>
                {
                    if (!task.IsCompletedSuccessfully)
                    {
                        return snapshot with { LastError = $"container states unknown: {task.Exception?.GetBaseException().Message}" };
                    }

                    var running = task.Result.Containers.Where(c => c.Running).Select(c => c.Id).ToHashSet();
                    return snapshot with { Services = snapshot.Services.Select(s => WithRunningState(s, running)).ToList() };
                },
                TaskScheduler.Default)
            .PipeTo(sender);
    }

    /// <summary>Marks replicas whose container is not running, and the service not ready unless every replica is healthy.</summary>
    private static ServiceStatus WithRunningState(ServiceStatus service, HashSet<string> running)
    {
        var replicas = service.Replicas.Select(r => r with
        {
            Running = running.Contains(r.ContainerId),
            Healthy = r.Healthy && running.Contains(r.ContainerId),
        }).ToList();
        return service with { Replicas = replicas, Ready = service.Ready && replicas.All(r => r.Healthy) };
    }

    private SystemStatus Status()
    {
        var services = (declared?.Services ?? []).Select(s => new ServiceStatus(
            s.Name,
            s.Network,
            s.Replicas,
            readyServices.Contains(s.Name),
            replicas.GetValueOrDefault(s.Name, []).Select(r => new ReplicaStatus(
                r.Endpoint.Name, r.ContainerId, r.Endpoint.Address.ToString(), true, r.Healthy || readyServices.Contains(s.Name))).ToList()))
            .ToList();
        var entry = declared is null
            ? []
            : declared.Services
                .Where(s => s.ExposeTo.Count > 0)
                .SelectMany(s => replicas.GetValueOrDefault(s.Name, []).Select(r => $"{r.Endpoint.Address}"))
                .ToList();
        return new SystemStatus(name, change, removed ? "removed" : phase, lastError, removed ? [] : services, removed ? [] : entry);
    }

    private sealed record Resume
    {
        public static readonly Resume Instance = new();
    }

    private sealed record ServiceUpdate(string Service, IReadOnlyList<ServiceProtocol.ReplicaState> Replicas, bool Ready);

    private sealed record DeployFinished(bool Changed, DeploymentRun.RunResult? Result, Exception? Error);

    private sealed record RemoveFinished(string? Summary, Exception? Error);
}
