namespace Sdmi.Fabric;

/// <summary>
/// Runs a packet through a list of rules the way an OpenFlow 1.3 switch runs its pipeline: in each
/// table the highest-priority matching rule wins, apply-actions change the packet, and goto moves
/// on. Tells whether a packet would reach port X, and which rules decided it, without a switch.
/// </summary>
public sealed class FlowTableSimulator(IReadOnlyList<FlowRule> rules)
{
    public SimulationResult Run(Packet packet)
    {
        var trace = new List<FlowRule>();
        var outputs = new List<(uint Port, Packet Packet)>();
        ulong metadata = 0;
        byte table = 0;
        while (true)
        {
            var rule = rules
                .Where(r => r.Table == table && Matches(r.Match, packet, metadata))
                .OrderByDescending(r => r.Priority)
                .FirstOrDefault();
            if (rule is null)
            {
                return new SimulationResult(outputs, trace);
            }

            trace.Add(rule);
            foreach (var action in rule.Actions)
            {
                packet = Apply(action, packet, outputs);
            }

            if (rule.WriteMetadata is { } value)
            {
                var mask = rule.WriteMetadataMask ?? ulong.MaxValue;
                metadata = (metadata & ~mask) | (value & mask);
            }

            if (rule.GotoTable is not { } next)
            {
                return new SimulationResult(outputs, trace);
            }

            table = next;
        }
    }

    private static Packet Apply(FlowAction action, Packet packet, List<(uint, Packet)> outputs)
    {
        switch (action)
        {
            case OutputAction output:
                outputs.Add((output.Port == OutputAction.InPort ? packet.InPort : output.Port, packet));
                return packet;
            case SetEthSrcAction set:
                return packet with { EthSrc = set.Mac };
            case SetEthDstAction set:
                return packet with { EthDst = set.Mac };
            case DecrementTtlAction:
                return packet with { Ttl = (byte)(packet.Ttl - 1) };
            case ArpReplyAction reply:
                return packet with
                {
                    EthDst = packet.EthSrc,
                    EthSrc = reply.Mac,
                    ArpOp = 2,
                    ArpTha = packet.ArpSha,
                    ArpSha = reply.Mac,
                    ArpTpa = packet.ArpSpa,
                    ArpSpa = reply.Address,
                };
            default:
                throw new NotSupportedException($"The simulator does not model action {action.GetType().Name}.");
        }
    }

    private static bool Matches(FlowMatch match, Packet packet, ulong metadata) =>
        (match.InPort is null || match.InPort == packet.InPort)
        && (match.Metadata is null || (metadata & (match.MetadataMask ?? ulong.MaxValue)) == match.Metadata)
        && (match.EthSrc is null || match.EthSrc == packet.EthSrc)
        && (match.EthDst is null || match.EthDst == packet.EthDst)
        && (match.EthType is null || match.EthType == packet.EthType)
        && (match.Ipv4Src is null || match.Ipv4Src.Equals(packet.Ipv4Src))
        && (match.Ipv4Dst is null || match.Ipv4Dst.Equals(packet.Ipv4Dst))
        && (match.IpProto is null || match.IpProto == packet.IpProto)
        && (match.TpSrc is null || match.TpSrc == packet.TpSrc)
        && (match.TpDst is null || match.TpDst == packet.TpDst)
        && (match.ArpOp is null || match.ArpOp == packet.ArpOp)
        && (match.ArpSpa is null || match.ArpSpa.Equals(packet.ArpSpa))
        && (match.ArpTpa is null || match.ArpTpa.Equals(packet.ArpTpa));
}

/// <summary>Where a simulated packet went and which rules it hit, in order.</summary>
public sealed record SimulationResult(IReadOnlyList<(uint Port, Packet Packet)> Outputs, IReadOnlyList<FlowRule> Trace)
{
    public bool Dropped => Outputs.Count == 0;

    /// <summary>The last rule hit: the one that delivered or dropped the packet.</summary>
    public FlowRule? Decision => Trace.Count == 0 ? null : Trace[^1];
}
