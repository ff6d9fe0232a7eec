using Sdmi.Fabric;

namespace Sdmi.Node.Switches;

/// <summary>Messages of the switch actor. Requests are answered with their reply or Status.Failure.</summary>
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

}
