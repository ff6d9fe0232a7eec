using Akka.Actor;
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
/// transaction's effects or none.
/// </summary>
public sealed class TransactionCoordinator : ReceivePersistentActor, IWithTimers
{
    private const string PrepareTimer = "prepare";
    private const string RetryTimer = "retry";
    private readonly ILoggingAdapter log = Context.GetLogger();
    private readonly string transactionId;
    private readonly Func<string, IActorRef> directory;
    private readonly CoordinatorSettings settings;
    private readonly HashSet<string> votes = [];
    private readonly HashSet<string> acknowledged = [];
    private readonly List<IActorRef> waiters = [];
    private IReadOnlyList<ParticipantStep> steps = [];
    private Decision? decision;
    private string? reason;
    private bool completed;
    private TimeSpan retryDelay;

    public TransactionCoordinator(string transactionId, Func<string, IActorRef> directory, CoordinatorSettings settings)
    {
        this.transactionId = transactionId;
        this.directory = directory;
        this.settings = settings;
        retryDelay = settings.FirstRetry;
        Recover<TransactionBegun>(e => steps = e.Steps);
        Recover<TransactionDecided>(e => (decision, reason) = (e.Decision, e.Reason));
        Recover<TransactionCompleted>(_ => completed = true);
        Recover<RecoveryCompleted>(_ => OnRecovered());
        New();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public override string PersistenceId => "transaction-" + transactionId;

    public static Props Props(string transactionId, Func<string, IActorRef> directory, CoordinatorSettings settings) =>
        Akka.Actor.Props.Create(() => new TransactionCoordinator(transactionId, directory, settings));

    private void New()
    {
        Command<Begin>(OnBegin);
        Command<GetTransaction>(_ => Sender.Tell(State()));
    }

    private void OnRecovered()
    {
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
    }

    private void OnBegin(Begin begin)
    {
        waiters.Add(Sender);
        var duplicate = begin.Steps.GroupBy(s => s.Participant).FirstOrDefault(g => g.Count() > 1)?.Key;
        if (begin.Steps.Count == 0 || duplicate is not null)
        {
            var problem = duplicate is null ? "has no steps" : $"names participant {duplicate} twice; merge its steps into one";
            Sender.Tell(new Status.Failure(new ArgumentException($"Transaction {transactionId} {problem}.")));
            waiters.Remove(Sender);
            return;
        }

        Persist(new TransactionBegun(transactionId, begin.Steps), e =>
        {
            steps = e.Steps;
            foreach (var step in steps)
            {
                directory(step.Participant).Tell(new Prepare(transactionId, step.Operation));
            }

            Timers.StartSingleTimer(PrepareTimer, PrepareTimedOut.Instance, settings.PrepareTimeout);
            Become(Preparing);
        });
    }

    private void Preparing()
    {
        Command<Prepared>(vote =>
        {
            votes.Add(vote.Participant);
            if (steps.All(s => votes.Contains(s.Participant)))
            {
                Timers.Cancel(PrepareTimer);
                Decide(Decision.Commit, null);
            }
        });
        Command<Refused>(refusal =>
        {
            Timers.Cancel(PrepareTimer);
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
            if (steps.All(s => acknowledged.Contains(s.Participant)))
            {
                Timers.Cancel(RetryTimer);
                Persist(new TransactionCompleted(transactionId), _ =>
                {
                    completed = true;
                    var outcome = new TransactionOutcome(transactionId, decision!.Value, reason);
                    foreach (var waiter in waiters)
                    {
                        waiter.Tell(outcome);
                    }

                    waiters.Clear();
                    Context.Parent.Tell(outcome);
                    Become(Completed);
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
                ? new Commit(transactionId, step.Operation)
                : new Abort(transactionId, step.Operation);
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
}

/// <param name="PrepareTimeout">How long the coordinator waits for every vote before it aborts.</param>
/// <param name="FirstRetry">Delay before the decision is sent again to participants that did not acknowledge it; doubles up to <paramref name="MaxRetry"/>.</param>
public sealed record CoordinatorSettings(TimeSpan PrepareTimeout, TimeSpan FirstRetry, TimeSpan MaxRetry)
{
    public static readonly CoordinatorSettings Default = new(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
}
