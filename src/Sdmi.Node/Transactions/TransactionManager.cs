using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using static Sdmi.Node.Transactions.TransactionEvents;
using static Sdmi.Node.Transactions.TransactionProtocol;

namespace Sdmi.Node.Transactions;

/// <summary>
/// Admits transactions: one that shares a resource with a running transaction waits until that one
/// ends, and independent ones start at once. In a cluster the coordinators are sharded entities
/// keyed by transaction id (<paramref name="coordinators"/> is their region); without a region each
/// admitted transaction gets a coordinator child named by its id. Either way a repeated Begin
/// reaches the same coordinator, which replies from its journal.
/// </summary>
/// <remarks>
/// Admissions and releases are journaled, so when this actor moves to another node (it runs as a
/// cluster singleton) the next one holds the locks of every transaction still running and waits for
/// it. It queries the coordinators of those transactions for their phase, so a lock whose release was
/// not journaled is freed. Begins that were waiting are not journaled: their requesters send them again.
/// </remarks>
public sealed class TransactionManager : ReceivePersistentActor, IWithTimers
{
    private const int SnapshotInterval = 500;
    private readonly ILoggingAdapter log = Context.GetLogger();
    private readonly Func<string, IActorRef> directory;
    private readonly CoordinatorSettings settings;
    private readonly ResourceLocks locks = new();
    private readonly Dictionary<string, (Begin Begin, IActorRef Requester)> queued = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<string>> running = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IActorRef> admitting = new(StringComparer.Ordinal);
    private readonly IActorRef? coordinators;
    private long snapshotAt;

    public TransactionManager(Func<string, IActorRef> directory, CoordinatorSettings settings, IActorRef? coordinators = null)
    {
        this.directory = directory;
        this.settings = settings;
        this.coordinators = coordinators;
        Recover<TransactionAdmitted>(Restore);
        Recover<AdmissionReleased>(e =>
        {
            running.Remove(e.TransactionId);
            locks.Release(e.TransactionId);
        });
        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is AdmissionSnapshot snapshot)
            {
                snapshotAt = offer.Metadata.SequenceNr;
                foreach (var admitted in snapshot.Running)
                {
                    Restore(admitted);
                }
            }
        });
        Recover<RecoveryCompleted>(_ => OnRecovered());
        Command<Begin>(OnBegin);
        Command<TransactionOutcome>(OnOutcome);
        Command<CheckAdmitted>(OnCheckAdmitted);
        Command<AdmittedState>(OnAdmittedState);
        Command<GetTransaction>(query => Coordinator(query.TransactionId).Forward(query));
        Command<SaveSnapshotSuccess>(saved =>
        {
            DeleteMessages(saved.Metadata.SequenceNr);
            DeleteSnapshots(new SnapshotSelectionCriteria(saved.Metadata.SequenceNr - 1));
        });
        Command<SaveSnapshotFailure>(failed => log.Warning("Admission: snapshot not saved ({0}); recovery replays the events instead", failed.Cause.Message));
        Command<DeleteMessagesSuccess>(_ => { });
        Command<DeleteMessagesFailure>(failed => log.Warning("Admission: events before the snapshot not deleted: {0}", failed.Cause.Message));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(failed => log.Warning("Admission: older snapshots not deleted: {0}", failed.Cause.Message));
    }

    public override string PersistenceId => "transaction-admission";

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>How long an admitted transaction may run before this actor queries its coordinator for whether it began at all.</summary>
    private TimeSpan CheckAfter => settings.PrepareTimeout * 2;

    public static Props Props(Func<string, IActorRef> directory, CoordinatorSettings settings, IActorRef? coordinators = null) =>
        Akka.Actor.Props.Create(() => new TransactionManager(directory, settings, coordinators));

    private void Restore(TransactionAdmitted admitted)
    {
        running[admitted.TransactionId] = admitted.Resources;
        locks.Restore(admitted.TransactionId, admitted.Resources);
    }

    /// <summary>Schedules a check of every transaction that held resources before the move, because it may have ended meanwhile.</summary>
    private void OnRecovered()
    {
        if (running.Count > 0)
        {
            log.Info("Admission recovered {0} running transactions: {1}", running.Count, string.Join(", ", running.Keys));
        }

        // Not at once: a Begin passed on just before the move may not have reached its coordinator's journal yet.
        foreach (var transactionId in running.Keys)
        {
            Timers.StartSingleTimer("check-" + transactionId, new CheckAdmitted(transactionId), CheckAfter);
        }
    }

    private void OnBegin(Begin begin)
    {
        if (admitting.ContainsKey(begin.TransactionId))
        {
            // A repeated Begin while the admission is being journaled: the newest requester hears the outcome.
            admitting[begin.TransactionId] = Sender;
            return;
        }

        if (running.ContainsKey(begin.TransactionId))
        {
            Coordinator(begin.TransactionId).Forward(begin);
            return;
        }

        if (queued.TryGetValue(begin.TransactionId, out var waiting))
        {
            // A repeated Begin of a waiting transaction: the newest requester hears the outcome.
            queued[begin.TransactionId] = (waiting.Begin, Sender);
            return;
        }

        var resources = begin.Steps.SelectMany(s => s.Resources).Distinct().ToList();
        if (locks.TryAcquire(begin.TransactionId, resources))
        {
            Admit(begin, resources, Sender);
            return;
        }

        log.Info("Transaction {0} waits for resources held by {1}", begin.TransactionId,
            string.Join(", ", resources.Select(locks.OwnerOf).Where(o => o is not null).Distinct()));
        queued[begin.TransactionId] = (begin, Sender);
    }

    /// <summary>
    /// Journals the admission, then passes the Begin to the coordinator. The locks are taken at once,
    /// so a conflicting Begin that arrives meanwhile waits.
    /// </summary>
    private void Admit(Begin begin, IReadOnlyList<string> resources, IActorRef requester)
    {
        var transactionId = begin.TransactionId;
        running[transactionId] = resources;
        admitting[transactionId] = requester;
        PersistAsync(new TransactionAdmitted(transactionId, resources), _ =>
        {
            admitting.Remove(transactionId, out var latest);
            Coordinator(transactionId).Tell(begin, latest ?? requester);
            Timers.StartSingleTimer("check-" + transactionId, new CheckAdmitted(transactionId), CheckAfter);
            MaybeSnapshot();
        });
    }

    /// <summary>
    /// The journal did not store an admission or release: the requesters of the Begins being admitted
    /// hear it now, because the actor stops after this. Its supervisor starts it again, and it
    /// recovers from the journal once the journal is back.
    /// </summary>
    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        log.Error(cause, "Admission: the journal did not store {0}", @event.GetType().Name);
        var failure = new Status.Failure(new JournalUnavailableException(
            $"The transaction admission could not journal {@event.GetType().Name} ({cause.GetBaseException().Message}). "
            + "Check that the journal's database is reachable, then run the command again."));
        foreach (var requester in admitting.Values)
        {
            requester.Tell(failure);
        }

        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    private void MaybeSnapshot()
    {
        if (LastSequenceNr - snapshotAt >= SnapshotInterval)
        {
            snapshotAt = LastSequenceNr;
            SaveSnapshot(new AdmissionSnapshot(running.Select(kv => new TransactionAdmitted(kv.Key, kv.Value)).ToList()));
        }
    }

    /// <summary>
    /// Asks the coordinator of a transaction that has held its resources for a while for its phase.
    /// A Begin can be lost on its way, because its node died or the coordinator could not read its
    /// journal and dropped it. Without this check such a transaction would keep its resources for ever.
    /// </summary>
    private void OnCheckAdmitted(CheckAdmitted check)
    {
        if (!running.ContainsKey(check.TransactionId) || admitting.ContainsKey(check.TransactionId))
        {
            return;
        }

        Coordinator(check.TransactionId)
            .Ask<TransactionState>(new GetTransaction(check.TransactionId), TimeSpan.FromSeconds(20))
            .PipeTo(Self, success: s => new AdmittedState(check.TransactionId, s.Phase), failure: _ => new AdmittedState(check.TransactionId, null));
    }

    private void OnAdmittedState(AdmittedState state)
    {
        if (!running.ContainsKey(state.TransactionId))
        {
            return;
        }

        if (state.Phase is "unknown" or "completed")
        {
            // Never begun, or ended without its outcome reaching this actor: its resources are free.
            log.Warning("Transaction {0}: its coordinator reports phase {1}; releasing its resources", state.TransactionId, state.Phase);
            OnOutcome(new TransactionOutcome(state.TransactionId, Decision.Abort, $"coordinator phase {state.Phase}", Changed: false));
            return;
        }

        Timers.StartSingleTimer("check-" + state.TransactionId, new CheckAdmitted(state.TransactionId), CheckAfter);
    }

    private void OnOutcome(TransactionOutcome outcome)
    {
        if (!running.Remove(outcome.TransactionId))
        {
            // A repeated outcome, or one of a transaction this admission never held.
            return;
        }

        Timers.Cancel("check-" + outcome.TransactionId);
        PersistAsync(new AdmissionReleased(outcome.TransactionId), _ => MaybeSnapshot());
        foreach (var next in locks.Release(outcome.TransactionId))
        {
            if (queued.Remove(next, out var entry))
            {
                Admit(entry.Begin, entry.Begin.Steps.SelectMany(s => s.Resources).Distinct().ToList(), entry.Requester);
            }
        }
    }

    private IActorRef Coordinator(string transactionId)
    {
        if (coordinators is not null)
        {
            return coordinators;
        }

        var child = Context.Child(ChildName(transactionId));
        return child.IsNobody()
            ? Context.ActorOf(TransactionCoordinator.Props(transactionId, directory, settings), ChildName(transactionId))
            : child;
    }

    private static string ChildName(string transactionId) => "tx-" + Uri.EscapeDataString(transactionId);

    private sealed record CheckAdmitted(string TransactionId);

    /// <param name="Phase">The coordinator's phase; null when it did not reply.</param>
    private sealed record AdmittedState(string TransactionId, string? Phase);
}
