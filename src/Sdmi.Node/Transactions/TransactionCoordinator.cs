using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using Akka.Persistence;
using static Sdmi.Node.Transactions.TransactionEvents;
using static Sdmi.Node.Transactions.TransactionProtocol;

namespace Sdmi.Node.Transactions;

/// <summary>
/// Coordinates one transaction, event-sourced under its id. States: New; Preparing, which waits for
/// every participant's vote until the prepare timeout; Applying, which starts once the decision is
/// journaled and sends it again to each participant until all have acknowledged it; Completed.
/// Recovery follows presumed abort: a transaction journaled as begun but not decided is aborted,
/// and a decided one has its decision sent again, so every participant ends with all of the
/// transaction's effects or none. Runs as a sharded entity (remember-entities), so a coordinator on a
/// node that dies starts again on another node and finishes from its journal; it passivates once
/// completed.
/// </summary>
public sealed class TransactionCoordinator : ReceivePersistentActor, IWithTimers
{
    private const string PrepareTimer = "prepare";
    private const string RetryTimer = "retry";
    private const string DecisionTimer = "decision";
    private readonly ILoggingAdapter log = Context.GetLogger();
    private readonly string transactionId;
    private readonly Func<string, IActorRef> directory;
    private readonly CoordinatorSettings settings;
    private readonly string? admission;
    private readonly HashSet<string> votes = [];
    private readonly HashSet<string> acknowledged = [];
    private readonly List<IActorRef> waiters = [];
    private IReadOnlyList<ParticipantStep> steps = [];
    private Decision? decision;
    private string? reason;
    private bool completed;
    private bool changed;
    private bool changeKnown = true;
    private TimeSpan retryDelay;

    /// <param name="admission">Path of the actor that receives the outcome to release the transaction's resources;
    /// the parent when null.</param>
    public TransactionCoordinator(
        string transactionId, Func<string, IActorRef> directory, CoordinatorSettings settings, string? admission = null)
    {
        this.transactionId = transactionId;
        this.directory = directory;
        this.settings = settings;
        this.admission = admission;
        retryDelay = settings.FirstRetry;
        Recover<TransactionBegun>(e => steps = e.Steps);
        Recover<TransactionDecided>(e => (decision, reason) = (e.Decision, e.Reason));
        Recover<TransactionCompleted>(_ => completed = true);
        Recover<RecoveryCompleted>(_ => OnRecovered());
        New();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public override string PersistenceId => "transaction-" + transactionId;

    public static Props Props(
        string transactionId, Func<string, IActorRef> directory, CoordinatorSettings settings, string? admission = null) =>
        Akka.Actor.Props.Create(() => new TransactionCoordinator(transactionId, directory, settings, admission));

    private void New()
    {
        Command<Begin>(OnBegin);
        Command<GetTransaction>(_ =>
        {
            Sender.Tell(State());
            if (admission is not null && steps.Count == 0)
            {
                // A query for an id that never began: leave the remembered set instead of staying in it for ever.
                Context.Parent.Tell(new Passivate(PoisonPill.Instance));
            }
        });
    }

    private void OnRecovered()
    {
        changeKnown = false;
        if (completed)
        {
            Become(Completed);
        }
        else if (decision is not null)
        {
            log.Info("Transaction {0}: recovered decision {1}; sending it again", transactionId, decision);
            StartApplying();
        }
        else if (steps.Count > 0)
        {
            log.Warning("Transaction {0}: coordinator restarted before deciding; aborting", transactionId);
            Decide(Decision.Abort, "the coordinator restarted before it reached a decision");
        }
        else
        {
            changeKnown = true;
        }
    }

    private void OnBegin(Begin begin)
    {
        waiters.Add(Sender);
        var duplicate = begin.Steps.GroupBy(s => s.Participant).FirstOrDefault(g => g.Count() > 1)?.Key;
        var unknown = UnknownParticipant(begin.Steps);
        if (begin.Steps.Count == 0 || duplicate is not null || unknown is not null)
        {
            var problem = unknown ?? (duplicate is null ? "has no steps" : $"names participant {duplicate} twice; merge its steps into one");
            Sender.Tell(new Status.Failure(new ArgumentException($"Transaction {transactionId} {problem}.")));
            waiters.Remove(Sender);
            Admission().Tell(new TransactionOutcome(transactionId, Decision.Abort, problem, Changed: false), Self);
            return;
        }

        Persist(new TransactionBegun(transactionId, begin.Steps), e =>
        {
            steps = e.Steps;
            log.Info("Transaction {0}: begun with participants {1}", transactionId, string.Join(", ", steps.Select(s => s.Participant)));
            foreach (var step in steps)
            {
                directory(step.Participant).Tell(new Prepare(transactionId, step.Operation, step.Participant));
            }

            Timers.StartSingleTimer(PrepareTimer, PrepareTimedOut.Instance, settings.PrepareTimeout);
            Become(Preparing);
        });
    }

    /// <summary>
    /// The journal did not store an event (PostgreSQL unreachable, for example). The actor stops
    /// after this, and cluster sharding starts it again, which recovers it from the journal once
    /// the journal is back. A Begin that was not stored never reached a participant, so the
    /// transaction did not happen and its resources are released. A decision that was not stored
    /// is replaced by an abort after the restart (presumed abort). A completion that was not stored
    /// leaves the decision, already applied everywhere, to be acknowledged again.
    /// </summary>
    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        log.Error(cause, "Transaction {0}: the journal did not store {1}", transactionId, @event.GetType().Name);
        var consequence = @event switch
        {
            TransactionBegun => "the transaction did not start and changed nothing",
            TransactionDecided => "its participants undo their prepared parts once the journal is back",
            _ => "its decision is applied; the coordinator confirms it once the journal is back",
        };
        var error = new JournalUnavailableException(
            $"Transaction {transactionId}: the journal did not store it ({cause.GetBaseException().Message}); {consequence}. "
            + "Check that the journal's database is reachable, then send the command again.");
        foreach (var waiter in waiters)
        {
            waiter.Tell(new Status.Failure(error));
        }

        waiters.Clear();
        if (@event is TransactionBegun)
        {
            Admission().Tell(new TransactionOutcome(transactionId, Decision.Abort, error.Message, Changed: false), Self);
        }

        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    /// <summary>The actor that holds the transaction's resource locks.</summary>
    private ICanTell Admission() => admission is null ? Context.Parent : Context.ActorSelection(admission);

    private string? UnknownParticipant(IEnumerable<ParticipantStep> candidates)
    {
        foreach (var step in candidates)
        {
            try
            {
                directory(step.Participant);
            }
            catch (ArgumentException e)
            {
                return "cannot reach its participant: " + e.Message.TrimEnd('.');
            }
        }

        return null;
    }

    private void Preparing()
    {
        Command<Prepared>(vote =>
        {
            votes.Add(vote.Participant);
            if (steps.All(s => votes.Contains(s.Participant)) && !Timers.IsTimerActive(DecisionTimer))
            {
                Timers.Cancel(PrepareTimer);
                if (settings.DecisionDelay <= TimeSpan.Zero)
                {
                    Decide(Decision.Commit, null);
                    return;
                }

                log.Warning("Transaction {0}: all {1} participants prepared; deciding in {2} ms (sdmi.transactions.decision-delay)",
                    transactionId, steps.Count, settings.DecisionDelay.TotalMilliseconds);
                Timers.StartSingleTimer(DecisionTimer, DecisionDue.Instance, settings.DecisionDelay);
            }
        });
        Command<DecisionDue>(_ => Decide(Decision.Commit, null));
        Command<Refused>(refusal =>
        {
            Timers.Cancel(PrepareTimer);
            Timers.Cancel(DecisionTimer);
            Decide(Decision.Abort, $"{refusal.Participant} refused: {refusal.Reason}");
        });
        Command<PrepareTimedOut>(_ =>
        {
            var silent = steps.Select(s => s.Participant).Where(p => !votes.Contains(p));
            Decide(Decision.Abort, $"no vote within {settings.PrepareTimeout.TotalSeconds} s from {string.Join(", ", silent)}");
        });
        Command<Begin>(_ => waiters.Add(Sender));
        Command<GetTransaction>(_ => Sender.Tell(State()));
    }

    private void Decide(Decision outcome, string? abortReason)
    {
        Persist(new TransactionDecided(transactionId, outcome, abortReason), e =>
        {
            (decision, reason) = (e.Decision, e.Reason);
            log.Info("Transaction {0}: decided {1}{2}", transactionId, e.Decision, e.Reason is null ? "" : $" ({e.Reason})");
            StartApplying();
        });
    }

    private void StartApplying()
    {
        Become(Applying);
        SendDecision();
    }

    private void Applying()
    {
        Command<Applied>(ack =>
        {
            acknowledged.Add(ack.Participant);
            changed |= ack.Changed;
            if (steps.All(s => acknowledged.Contains(s.Participant)))
            {
                Timers.Cancel(RetryTimer);
                Persist(new TransactionCompleted(transactionId), _ =>
                {
                    completed = true;
                    var outcome = new TransactionOutcome(transactionId, decision!.Value, reason, changed || !changeKnown);
                    log.Info("Transaction {0}: completed ({1}{2})", transactionId, outcome.Decision, outcome.Changed ? "" : ", nothing changed");

                    // The admission first: a requester that sends its next Begin at once finds the resources free.
                    Admission().Tell(outcome, Self);
                    foreach (var waiter in waiters)
                    {
                        waiter.Tell(outcome);
                    }

                    waiters.Clear();

                    Become(Completed);
                    if (admission is not null)
                    {
                        // A sharded entity: stop and leave the remembered set; a later Begin recovers it from the journal.
                        Context.Parent.Tell(new Passivate(PoisonPill.Instance));
                    }
                });
            }
        });
        Command<RetryDecision>(_ =>
        {
            var pending = steps.Select(s => s.Participant).Where(p => !acknowledged.Contains(p)).ToList();
            log.Warning("Transaction {0}: {1} not acknowledged yet by {2}; sending it again", transactionId, decision, string.Join(", ", pending));
            retryDelay = retryDelay * 2 < settings.MaxRetry ? retryDelay * 2 : settings.MaxRetry;
            SendDecision();
        });
        Command<Prepared>(_ => { });
        Command<Refused>(_ => { });
        Command<Begin>(_ => waiters.Add(Sender));
        Command<GetTransaction>(_ => Sender.Tell(State()));
    }

    private void Completed()
    {
        Command<Begin>(_ => Sender.Tell(new TransactionOutcome(transactionId, decision!.Value, reason)));
        Command<DecisionDue>(_ => { });
        Command<GetTransaction>(_ => Sender.Tell(State()));
        Command<Applied>(_ => { });
        Command<Prepared>(_ => { });
        Command<Refused>(_ => { });
    }

    private void SendDecision()
    {
        foreach (var step in steps.Where(s => !acknowledged.Contains(s.Participant)))
        {
            object message = decision == Decision.Commit
                ? new Commit(transactionId, step.Operation, step.Participant)
                : new Abort(transactionId, step.Operation, step.Participant);
            directory(step.Participant).Tell(message);
        }

        Timers.StartSingleTimer(RetryTimer, RetryDecision.Instance, retryDelay);
    }

    private TransactionState State() => new(transactionId, Phase(), decision);

    private string Phase()
    {
        if (completed)
        {
            return "completed";
        }

        if (decision is not null)
        {
            return "decided";
        }

        return steps.Count > 0 ? "begun" : "unknown";
    }

    private sealed record PrepareTimedOut
    {
        public static readonly PrepareTimedOut Instance = new();
    }

    private sealed record RetryDecision
    {
        public static readonly RetryDecision Instance = new();
    }

    private sealed record DecisionDue
    {
        public static readonly DecisionDue Instance = new();
    }
}

/// <param name="PrepareTimeout">How long the coordinator waits for every vote before it aborts.</param>
/// <param name="FirstRetry">Delay before the decision is sent again to participants that did not acknowledge it; doubles up to <paramref name="MaxRetry"/>.</param>
public sealed record CoordinatorSettings(TimeSpan PrepareTimeout, TimeSpan FirstRetry, TimeSpan MaxRetry)
{
    /// <summary>
    /// Pause between the last vote and the decision. Zero in service; fault-injection tests set it
    /// to kill a coordinator between prepare and commit.
    /// </summary>
    public TimeSpan DecisionDelay { get; init; } = TimeSpan.Zero;

    public static readonly CoordinatorSettings Default = new(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
}

/// <summary>The journal (PostgreSQL or SQLite) could not store or read what a command needs.</summary>
[Serializable]
public sealed class JournalUnavailableException : Exception
{
    public JournalUnavailableException(string message)
        : base(message)
    {
    }

#pragma warning disable SYSLIB0051 // Akka.Remote rebuilds an exception through this constructor; without it a reply's cause arrives as null.
    private JournalUnavailableException(SerializationInfo info, StreamingContext context)
        : base(info, context)
    {
    }
#pragma warning restore SYSLIB0051
}
