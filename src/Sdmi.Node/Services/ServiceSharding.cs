using Akka.Cluster.Sharding;
using static Sdmi.Node.Services.ServiceProtocol;

namespace Sdmi.Node.Services;

/// <summary>Maps service messages to their entity, "SYSTEM.SERVICE" (names are DNS labels, so the dot separates them).</summary>
public sealed class ServiceSharding() : HashCodeMessageExtractor(ShardCount)
{
    public const string TypeName = "service";
    private const int ShardCount = 100;

    public static string EntityIdOf(string system, string service) => system + "." + service;

    public override string? EntityId(object message) => message switch
    {
        PlanReplicas m => EntityIdOf(m.System.Name, m.Service),
        Reconcile m => EntityIdOf(m.System.Name, m.Service),
        AwaitReady m => EntityIdOf(m.System.Name, m.Service),
        RetireService m => EntityIdOf(m.System, m.Service),
        GetServiceState m => EntityIdOf(m.System, m.Service),
        _ => null,
    };
}
