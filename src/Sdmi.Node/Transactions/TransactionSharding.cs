using Akka.Cluster.Sharding;
using static Sdmi.Node.Transactions.TransactionProtocol;

namespace Sdmi.Node.Transactions;

/// <summary>
/// Maps transaction messages to their coordinator entity, keyed by transaction id. Coordinators
/// are short-lived and numerous, so ids are spread over a fixed number of shards.
/// </summary>
public sealed class TransactionSharding : HashCodeMessageExtractor
{
    public const string TypeName = "transaction";
    private const int Shards = 30;

    public TransactionSharding()
        : base(Shards)
    {
    }

    public override string? EntityId(object message) => message switch
    {
        Begin m => m.TransactionId,
        GetTransaction m => m.TransactionId,
        Prepared m => m.TransactionId,
        Refused m => m.TransactionId,
        Applied m => m.TransactionId,
        _ => null,
    };
}
