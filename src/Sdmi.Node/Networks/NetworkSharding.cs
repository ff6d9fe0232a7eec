using Akka.Cluster.Sharding;
using static Sdmi.Node.Networks.NetworkProtocol;

namespace Sdmi.Node.Networks;

/// <summary>Maps network messages to their entity, "SYSTEM.NETWORK" (names are DNS labels, so the dot separates them).</summary>
public sealed class NetworkSharding() : HashCodeMessageExtractor(ShardCount)
{
    public const string TypeName = "network";
    private const int ShardCount = 100;

    public static string EntityIdOf(string system, string network) => system + "." + network;

    public override string? EntityId(object message) => message switch
    {
        PlanNetwork m => EntityIdOf(m.System.Name, m.Network),
        RetireNetwork m => EntityIdOf(m.System, m.Network),
        GetNetworkState m => EntityIdOf(m.System, m.Network),
        _ => null,
    };
}
