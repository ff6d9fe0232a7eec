using Akka.Actor;
using Akka.Event;
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
/// The locks live in memory. When this actor moves to another node (it runs as a cluster singleton)
/// it starts with none, so a transaction that was running on the old one is not waited for.
/// </remarks>
public sealed class TransactionManager : ReceiveActor, IWithTimers
{
    private readonly ILoggingAdapter log = Context.GetLogger();
    private readonly Func<string, IActorRef> directory;
    private readonly CoordinatorSettings settings;
    private readonly ResourceLocks locks = new();
    private readonly Dictionary<string, (Begin Begin, IActorRef Requester)> queued = new(StringComparer.Ordinal);
    private readonly HashSet<string> running = new(StringComparer.Ordinal);
    private readonly IActorRef? coordinators;

    public TransactionManager(Func<string, IActorRef> directory, CoordinatorSettings settings, IActorRef? coordinators = null)
    {
        this.directory = directory;
        this.settings = settings;
        this.coordinators = coordinators;
        Receive<Begin>(OnBegin);
        Receive<TransactionOutcome>(OnOutcome);
        Receive<CheckAdmitted>(OnCheckAdmitted);
        Receive<AdmittedState>(OnAdmittedState);
        Receive<GetTransaction>(query => Coordinator(query.TransactionId).Forward(query));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>How long an admitted transaction may run before this actor queries its coordinator for whether it began at all.</summary>
    private TimeSpan CheckAfter => settings.PrepareTimeout * 2;

    public static Props Props(Func<string, IActorRef> directory, CoordinatorSettings settings, IActorRef? coordinators = null) =>
        Akka.Actor.Props.Create(() => new TransactionManager(directory, settings, coordinators));

    private void OnBegin(Begin begin)
    {
        if (running.Contains(begin.TransactionId))
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
            Admit(begin.TransactionId);
            Coordinator(begin.TransactionId).Forward(begin);
            return;
        }

        log.Info("Transaction {0} waits for resources held by {1}", begin.TransactionId,
            string.Join(", ", resources.Select(locks.OwnerOf).Where(o => o is not null).Distinct()));
        queued[begin.TransactionId] = (begin, Sender);
    }

    private void Admit(string transactionId)
    {
        running.Add(transactionId);
        Timers.StartSingleTimer("check-" + transactionId, new CheckAdmitted(transactionId), CheckAfter);
    }

    /// <summary>
    /// Asks the coordinator of a transaction that has held its resources for a while for its phase.
    /// A Begin can be lost on its way, because its node died or the coordinator could not read its
    /// journal and dropped it. Without this check such a transaction would keep its resources for ever.
    /// </summary>
    private void OnCheckAdmitted(CheckAdmitted check)
    {
        if (!running.Contains(check.TransactionId))
        {
            return;
        }

        Coordinator(check.TransactionId)
            .Ask<TransactionState>(new GetTransaction(check.TransactionId), TimeSpan.FromSeconds(20))
            .PipeTo(Self, success: s => new AdmittedState(check.TransactionId, s.Phase), failure: _ => new AdmittedState(check.TransactionId, null));
    }

    private void OnAdmittedState(AdmittedState state)
    {
        if (!running.Contains(state.TransactionId))
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
        running.Remove(outcome.TransactionId);
        Timers.Cancel("check-" + outcome.TransactionId);
        foreach (var next in locks.Release(outcome.TransactionId))
        {
            var (begin, requester) = queued[next];
            queued.Remove(next);
            Admit(next);
            Coordinator(next).Tell(begin, requester);
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
