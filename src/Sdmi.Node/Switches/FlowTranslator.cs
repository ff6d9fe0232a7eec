using Sdmi.Fabric;
using Sdmi.OpenFlow;
using Sdmi.OpenFlow.Actions;
using Sdmi.OpenFlow.Instructions;
using Sdmi.OpenFlow.Matching;
using Sdmi.OpenFlow.Messages;
using OfpMac = Sdmi.OpenFlow.Matching.MacAddress;

namespace Sdmi.Node.Switches;

/// <summary>Turns switch-independent fabric rules into OpenFlow 1.3 FLOW_MOD messages.</summary>
public static class FlowTranslator
{
    public static FlowMod ToFlowMod(FlowRule rule, ulong cookie) => new()
    {
        Cookie = cookie,
        TableId = rule.Table,
        Command = FlowModCommand.Add,
        Priority = rule.Priority,
        Match = ToMatch(rule.Match),
        Instructions = new EquatableArray<OfpInstruction>(Instructions(rule).ToArray()),
    };

    /// <summary>A FLOW_MOD that deletes every flow, in every table, whose cookie matches under the mask.</summary>
    public static FlowMod DeleteByCookie(ulong cookie, ulong mask) => new()
    {
        Cookie = cookie,
        CookieMask = mask,
        TableId = OfpTableId.All,
        Command = FlowModCommand.Delete,
        Match = Match.Any,
    };

    public static Match ToMatch(FlowMatch match)
    {
        // Order follows the OXM field numbers, with each prerequisite before the fields that need it.
        var fields = new List<OxmField>();
        if (match.InPort is { } inPort)
        {
            fields.Add(Oxm.InPort(inPort));
        }

        if (match.Metadata is { } metadata)
        {
            fields.Add(Oxm.Metadata(metadata, match.MetadataMask));
        }

        if (match.EthDst is { } ethDst)
        {
            fields.Add(Oxm.EthDst(Mac(ethDst)));
        }

        if (match.EthSrc is { } ethSrc)
        {
            fields.Add(Oxm.EthSrc(Mac(ethSrc)));
        }

        if (match.EthType is { } ethType)
        {
            fields.Add(Oxm.EthType(ethType));
        }

        if (match.IpProto is { } proto)
        {
            fields.Add(Oxm.IpProto(proto));
        }

        if (match.Ipv4Src is { } ipv4Src)
        {
            fields.Add(Oxm.Ipv4Src(ipv4Src));
        }

        if (match.Ipv4Dst is { } ipv4Dst)
        {
            fields.Add(Oxm.Ipv4Dst(ipv4Dst));
        }

        var udp = match.IpProto == FlowMatch.IpProtoUdp;
        if (match.TpSrc is { } tpSrc)
        {
            fields.Add(udp ? Oxm.UdpSrc(tpSrc) : Oxm.TcpSrc(tpSrc));
        }

        if (match.TpDst is { } tpDst)
        {
            fields.Add(udp ? Oxm.UdpDst(tpDst) : Oxm.TcpDst(tpDst));
        }

        if (match.ArpOp is { } arpOp)
        {
            fields.Add(Oxm.ArpOp(arpOp));
        }

        if (match.ArpSpa is { } arpSpa)
        {
            fields.Add(Oxm.ArpSpa(arpSpa));
        }

        if (match.ArpTpa is { } arpTpa)
        {
            fields.Add(Oxm.ArpTpa(arpTpa));
        }

        return new Match(new EquatableArray<OxmField>(fields.ToArray()));
    }

    private static IEnumerable<OfpInstruction> Instructions(FlowRule rule)
    {
        if (rule.Actions.Count > 0)
        {
            yield return ActionsInstruction.Apply(rule.Actions.SelectMany(ToActions).ToArray());
        }

        if (rule.WriteMetadata is { } metadata)
        {
            yield return new WriteMetadataInstruction(metadata, rule.WriteMetadataMask ?? ulong.MaxValue);
        }

        if (rule.GotoTable is { } table)
        {
            yield return new GotoTableInstruction(table);
        }
    }

    private static IEnumerable<OfpAction> ToActions(FlowAction action)
    {
        switch (action)
        {
            case Fabric.OutputAction output:
                yield return new OpenFlow.Actions.OutputAction(output.Port);
                break;
            case SetEthSrcAction set:
                yield return new SetFieldAction(Oxm.EthSrc(Mac(set.Mac)));
                break;
            case SetEthDstAction set:
                yield return new SetFieldAction(Oxm.EthDst(Mac(set.Mac)));
                break;
            case DecrementTtlAction:
                yield return SimpleAction.DecNwTtl;
                break;
            case ArpReplyAction reply:
                yield return NxRegMoveAction.MoveWholeField(OxmHeaders.NxmOfEthSrc, OxmHeaders.NxmOfEthDst);
                yield return new SetFieldAction(Oxm.EthSrc(Mac(reply.Mac)));
                yield return new SetFieldAction(Oxm.ArpOp(2));
                yield return NxRegMoveAction.MoveWholeField(OxmHeaders.NxmNxArpSha, OxmHeaders.NxmNxArpTha);
                yield return new SetFieldAction(Oxm.ArpSha(Mac(reply.Mac)));
                yield return NxRegMoveAction.MoveWholeField(OxmHeaders.NxmOfArpSpa, OxmHeaders.NxmOfArpTpa);
                yield return new SetFieldAction(Oxm.ArpSpa(reply.Address));
                break;
            default:
                throw new NotSupportedException($"No OpenFlow translation for fabric action {action.GetType().Name}.");
        }
    }

    private static OfpMac Mac(Fabric.MacAddress mac) => new(mac.Value);
}
