using System.Globalization;
using Akka.Cluster.Sharding;
using Sdmi.Node.Transactions;
using static Sdmi.Node.Switches.SwitchProtocol;
using static Sdmi.Node.Transactions.TransactionProtocol;

namespace Sdmi.Node.Switches;

/// <summary>
/// Maps switch messages to their entity: the datapath id in 16 hex digits. Each switch gets a shard
/// of its own, so switches move between nodes independently.
/// </summary>
public sealed class SwitchSharding : IMessageExtractor
{
    public const string TypeName = "switch";

    public static string EntityIdOf(ulong datapathId) => datapathId.ToString("x16", CultureInfo.InvariantCulture);

    public static ulong DatapathIdOf(string entityId) => ulong.Parse(entityId, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    public string? EntityId(object message) => message switch
    {
        ApplyFlows m => EntityIdOf(DatapathIds.ForBridge(m.Bridge)),
        RemoveFlows m => EntityIdOf(DatapathIds.ForBridge(m.Bridge)),
        ConnectionUp m => EntityIdOf(m.DatapathId),
        RoleRejected m => EntityIdOf(m.DatapathId),
        Prepare m => OfParticipant(m.Participant),
        Commit m => OfParticipant(m.Participant),
        Abort m => OfParticipant(m.Participant),
        _ => null,
    };

    /// <summary>The entity of a switch participant id ("switch:BRIDGE"), or null for another participant.</summary>
    public static string? OfParticipant(string participant) =>
        SwitchStep.BridgeOf(participant) is { } bridge ? EntityIdOf(DatapathIds.ForBridge(bridge)) : null;

    public object? EntityMessage(object message) => message;

    public string? ShardId(object message) => EntityId(message);

    public string ShardId(string entityId, object? messageHint = null) => entityId;
}
