using Akka.Actor;
using Akka.Cluster;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Sdmi.Node.Hosting;
using Sdmi.Node.Switches;
using static Sdmi.Node.Switches.SwitchProtocol;

namespace Sdmi.Node.Gateway;

/// <summary>
/// GET /v1/cluster: this node's view of the cluster (members, their status and roles, which ones it
/// cannot reach) and the role the switch confirmed for each of this node's OpenFlow connections.
/// `sdmi cluster status` requests this from every node and merges the views.
/// </summary>
public static class ClusterApi
{
    public static void Map(WebApplication app, ActorSystem actors, IActorRef switches, NodeSettings settings)
    {
        app.MapGet("/v1/cluster", async () =>
        {
            var cluster = Cluster.Get(actors);
            var state = cluster.State;
            var connections = await switches.Ask<ConnectionsReport>(GetConnections.Instance, TimeSpan.FromSeconds(5));
            return Results.Json(new ClusterView(
                cluster.SelfAddress.ToString(),
                cluster.SelfMember.Status.ToString(),
                settings.GatewayUrl.ToString(),
                settings.ControllerTarget,
                state.Leader?.ToString(),
                state.Members.Select(m => new MemberView(
                    m.Address.ToString(),
                    m.Status.ToString(),
                    m.Roles.Order(StringComparer.Ordinal).ToList(),
                    !state.Unreachable.Contains(m))).ToList(),
                connections.Connections.Select(c => new SwitchView(
                    SwitchSharding.EntityIdOf(c.DatapathId), c.Connected, c.Role, c.GenerationId)).ToList()),
                ControlApi.Json);
        });
    }

    public sealed record ClusterView(
        string Self,
        string Status,
        string Gateway,
        string ControllerTarget,
        string? Leader,
        IReadOnlyList<MemberView> Members,
        IReadOnlyList<SwitchView> Switches);

    public sealed record MemberView(string Address, string Status, IReadOnlyList<string> Roles, bool Reachable);

    /// <param name="Role">The role the switch confirmed for this node's connection: master, slave or equal.</param>
    public sealed record SwitchView(string DatapathId, bool Connected, string Role, ulong GenerationId);
}
