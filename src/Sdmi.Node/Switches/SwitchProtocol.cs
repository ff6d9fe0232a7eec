using Akka.Actor;
using Sdmi.Fabric;
using Sdmi.OpenFlow.Messages;

namespace Sdmi.Node.Switches;

/// <summary>
/// Messages of the switch entities and of each node's switch connections. Requests are answered
/// with their reply or Status.Failure. Every message that crosses nodes is plain data.
/// </summary>
public static class SwitchProtocol
{
    /// <summary>
    /// Replaces every flow of one system on the switch with <paramref name="Rules"/>, atomically in
    /// one OpenFlow bundle. Flows of other systems are untouched: their cookies differ.
    /// </summary>
    public sealed record ApplyFlows(string Bridge, string System, IReadOnlyList<FlowRule> Rules);

    /// <param name="Changed">False when the switch already held exactly these rules.</param>
    public sealed record FlowsApplied(int Count, bool Changed);

    /// <summary>Deletes every flow of one system.</summary>
    public sealed record RemoveFlows(string Bridge, string System);

    public sealed record FlowsRemoved(string System);

    /// <summary>
    /// Sent by the switch's entity to a node's connection: send ROLE_REQUEST with this role and
    /// generation_id. <paramref name="GenerationId"/> is the entity's persisted ownership epoch.
    /// </summary>
    public sealed record AssignRole(ulong DatapathId, ControllerRole Role, ulong GenerationId);

    /// <summary>
    /// Sent by a node's connection to the switch's entity when the switch connects (a new
    /// connection starts in the EQUAL role); the entity replies with <see cref="AssignRole"/>.
    /// </summary>
    public sealed record ConnectionUp(ulong DatapathId, IActorRef Connection);

    /// <summary>
    /// The switch rejected a MASTER request as stale: it has seen <paramref name="SwitchGenerationId"/>,
    /// which is not lower than the requested one.
    /// </summary>
    public sealed record RoleRejected(ulong DatapathId, ulong RequestedGenerationId, ulong SwitchGenerationId);

    /// <summary>Asks a node's switch manager for the state of its switch connections.</summary>
    public sealed record GetConnections
    {
        public static readonly GetConnections Instance = new();
    }

    public sealed record ConnectionsReport(IReadOnlyList<ConnectionState> Connections);

    /// <param name="Role">The role the switch confirmed in its last ROLE_REPLY ("equal" before any request).</param>
    public sealed record ConnectionState(ulong DatapathId, bool Connected, string Role, ulong GenerationId);
}
