using Akka.Cluster.Sharding;
using static Sdmi.Node.Systems.SystemProtocol;

namespace Sdmi.Node.Systems;

/// <summary>Maps system commands to their entity: the system's name, hashed into a fixed number of shards.</summary>
public sealed class SystemSharding() : HashCodeMessageExtractor(ShardCount)
{
    public const string TypeName = "system";

    /// <summary>Akka's rule of thumb is ten shards per node at the largest cluster size: up to ten nodes here.</summary>
    private const int ShardCount = 100;

    public override string? EntityId(object message) => message switch
    {
        Deploy m => m.System.Name,
        Remove m => m.System,
        Scale m => m.System,
        GetStatus { System: { } name } => name,
        Wake m => m.System,
        _ => null,
    };
}
