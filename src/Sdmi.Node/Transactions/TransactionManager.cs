using Akka.Actor;
using Akka.Event;
using static Sdmi.Node.Transactions.TransactionProtocol;

namespace Sdmi.Node.Transactions;

/// <summary>
/// Admits transactions: one that shares a resource with a running transaction waits until that one
/// ends, and independent ones start at once. Each admitted transaction gets its own coordinator child,
/// named by the transaction id, so a repeated Begin reaches the same coordinator.
/// </summary>
public sealed class TransactionManager : ReceiveActor
{
    private readonly ILoggingAdapter log = Context.GetLogger();
    private readonly Func<string, IActorRef> directory;
    private readonly CoordinatorSettings settings;
    private readonly ResourceLocks locks = new();
    private readonly Dictionary<string, (Begin Begin, IActorRef Requester)> queued = new(StringComparer.Ordinal);

    public TransactionManager(Func<string, IActorRef> directory, CoordinatorSettings settings)
    {
        this.directory = directory;
        this.settings = settings;
        Receive<Begin>(OnBegin);
        Receive<TransactionOutcome>(OnOutcome);
        Receive<GetTransaction>(query => Coordinator(query.TransactionId).Forward(query));
    }

    public static Props Props(Func<string, IActorRef> directory, CoordinatorSettings settings) =>
        Akka.Actor.Props.Create(() => new TransactionManager(directory, settings));

    private void OnBegin(Begin begin)
    {
        if (!Context.Child(ChildName(begin.TransactionId)).IsNobody() || queued.ContainsKey(begin.TransactionId))
        {
            Coordinator(begin.TransactionId).Forward(begin);
            return;
        }

        var resources = begin.Steps.SelectMany(s => s.Resources).Distinct().ToList();
        if (locks.TryAcquire(begin.TransactionId, resources))
        {
            Coordinator(begin.TransactionId).Forward(begin);
            return;
        }

        log.Info("Transaction {0} waits for resources held by {1}", begin.TransactionId,
            string.Join(", ", resources.Select(locks.OwnerOf).Where(o => o is not null).Distinct()));
        queued[begin.TransactionId] = (begin, Sender);
    }

    private void OnOutcome(TransactionOutcome outcome)
    {
        foreach (var next in locks.Release(outcome.TransactionId))
        {
            var (begin, requester) = queued[next];
            queued.Remove(next);
            Coordinator(next).Tell(begin, requester);
        }
    }

    private IActorRef Coordinator(string transactionId)
    {
        var child = Context.Child(ChildName(transactionId));
        return child.IsNobody()
            ? Context.ActorOf(TransactionCoordinator.Props(transactionId, directory, settings), ChildName(transactionId))
            : child;
    }

    private static string ChildName(string transactionId) => "tx-" + Uri.EscapeDataString(transactionId);
}
