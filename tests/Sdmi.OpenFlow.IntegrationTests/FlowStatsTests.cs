using System.Net;
using Sdmi.OpenFlow.Actions;
using Sdmi.OpenFlow.Instructions;
using Sdmi.OpenFlow.IntegrationTests.Infrastructure;
using Sdmi.OpenFlow.Matching;
using Sdmi.OpenFlow.Messages;

namespace Sdmi.OpenFlow.IntegrationTests;

public sealed class FlowStatsTests
{
    private static readonly IPAddress GatewayIp = IPAddress.Parse("172.16.10.254");
    private static readonly MacAddress GatewayMac = MacAddress.Parse("02:00:ac:10:0a:fe");

    /// <summary>
    /// Flows with masked and exact matches, set_field, NXAST_REG_MOVE, write_metadata, goto_table,
    /// write_actions and pop_vlan, each with its own cookie. Values are in the canonical form that
    /// Open vSwitch stores (masked-off value bits are 0), so the switch returns them unchanged.
    /// </summary>
    private static IReadOnlyList<FlowMod> RepresentativeFlows() =>
    [
        new FlowMod
        {
            Cookie = 0x11,
            Priority = 100,
            Match = new Match(
            [
                Oxm.InPort(1),
                Oxm.EthType(OxmFieldTable.EthTypeIpv4),
                Oxm.Ipv4Dst(IPAddress.Parse("172.16.20.0"), IPAddress.Parse("255.255.255.0")),
            ]),
            Instructions =
            [
                ActionsInstruction.Apply(
                    new SetFieldAction(Oxm.EthDst(MacAddress.Parse("02:00:ac:10:14:01"))),
                    SimpleAction.DecNwTtl,
                    new OutputAction(2)),
            ],
        },
        new FlowMod
        {
            Cookie = 0x12,
            Priority = 200,
            Match = new Match([Oxm.EthType(OxmFieldTable.EthTypeArp), Oxm.ArpOp(1), Oxm.ArpTpa(GatewayIp)]),
            Instructions =
            [
                ActionsInstruction.Apply(
                    NxRegMoveAction.MoveWholeField(OxmHeaders.EthSrc, OxmHeaders.EthDst),
                    new SetFieldAction(Oxm.EthSrc(GatewayMac)),
                    new SetFieldAction(Oxm.ArpOp(2)),
                    NxRegMoveAction.MoveWholeField(OxmHeaders.ArpSha, OxmHeaders.ArpTha),
                    new SetFieldAction(Oxm.ArpSha(GatewayMac)),
                    NxRegMoveAction.MoveWholeField(OxmHeaders.ArpSpa, OxmHeaders.ArpTpa),
                    new SetFieldAction(Oxm.ArpSpa(GatewayIp)),
                    new OutputAction(OfpPortNo.InPort)),
            ],
        },
        new FlowMod
        {
            Cookie = 0x13,
            Priority = 50,
            Match = new Match(
                [Oxm.EthSrc(MacAddress.Parse("02:00:00:00:00:00"), MacAddress.Parse("ff:ff:00:00:00:00"))]),
            Instructions = [new WriteMetadataInstruction(0x5, 0xff), new GotoTableInstruction(1)],
        },
        new FlowMod
        {
            Cookie = 0x14,
            TableId = 1,
            Priority = 300,
            Match = new Match(
            [
                Oxm.Metadata(0x5, 0xff),
                Oxm.EthType(OxmFieldTable.EthTypeIpv4),
                Oxm.IpProto(OxmFieldTable.IpProtoTcp),
                Oxm.TcpDst(5432),
            ]),
            Instructions = [ActionsInstruction.Write(new OutputAction(3))],
        },
        new FlowMod
        {
            Cookie = 0x15,
            TableId = 1,
            Priority = 10,
            Flags = FlowModFlags.SendFlowRemoved,
            IdleTimeout = 600,
            Match = new Match([Oxm.Metadata(0x6), Oxm.VlanVid(10)]),
            Instructions = [ActionsInstruction.Apply(SimpleAction.PopVlan, new OutputAction(4))],
        },
        new FlowMod
        {
            Cookie = 0x16,
            TableId = 2,
            Priority = 1,
            Match = new Match(
            [
                Oxm.EthType(OxmFieldTable.EthTypeIpv6),
                Oxm.Ipv6Dst(IPAddress.Parse("fd00::"), IPAddress.Parse("ffff:ffff:ffff:ffff::")),
            ]),
            Instructions = [ActionsInstruction.ClearActions],
        },
    ];

    [Fact]
    public async Task FlowStats_RepresentativeFlows_RenderLikeDumpFlows()
    {
        await using SwitchSession session = await SwitchSession.StartAsync();
        IReadOnlyList<FlowMod> installed = RepresentativeFlows();
        await session.Connection.CommitBundleAsync([.. installed]);

        IReadOnlyList<FlowStats> stats = await session.Connection.GetFlowStatsAsync(new FlowStatsRequest());
        IReadOnlyList<string> dumped = await session.Bridge.DumpFlowsAsync();

        // dump-flows renders the bytes that Open vSwitch sent. ofp-print renders the flow stats
        // after this library decoded and encoded them again, through the same ovs-ofctl formatter.
        // Equal text means that the decoder kept every field that Open vSwitch sent, in a form
        // that Open vSwitch parses back to the same flow. Durations differ between the two reads,
        // so both sides drop them.
        FlowStats[] withoutDuration = [.. stats.Select(entry => entry with { DurationSeconds = 0, DurationNanoseconds = 0 })];
        IReadOnlyList<string> printed = await OfctlText.PrintAsync(new FlowStatsReply(withoutDuration));
        Assert.Equal(installed.Count, dumped.Count);
        Assert.Equal(dumped.Order(StringComparer.Ordinal), printed.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task FlowStats_RepresentativeFlows_EqualInstalledFlows()
    {
        await using SwitchSession session = await SwitchSession.StartAsync();
        IReadOnlyList<FlowMod> installed = RepresentativeFlows();
        await session.Connection.CommitBundleAsync([.. installed]);

        IReadOnlyList<FlowStats> stats = await session.Connection.GetFlowStatsAsync(new FlowStatsRequest());

        Assert.Equal(installed.Count, stats.Count);
        foreach (FlowMod flow in installed)
        {
            FlowStats entry = Assert.Single(stats, candidate => candidate.Cookie == flow.Cookie);
            Assert.Equal(flow.TableId, entry.TableId);
            Assert.Equal(flow.Priority, entry.Priority);
            Assert.Equal(flow.IdleTimeout, entry.IdleTimeout);
            Assert.Equal(flow.Flags, entry.Flags);

            // Open vSwitch returns match fields in its own order, so they are compared as sets.
            Assert.Equal(
                flow.Match.Fields.AsSpan().ToArray().OrderBy(field => field.Header),
                entry.Match.Fields.AsSpan().ToArray().OrderBy(field => field.Header));
            Assert.Equal(WithNxmRegMoveFields(flow.Instructions), entry.Instructions);
        }
    }

    /// <summary>
    /// Replaces the OXM field headers of NXAST_REG_MOVE actions with their NXM equivalents, because
    /// Open vSwitch 3.1 returns the NXM form (for example NXM_OF_ETH_SRC for eth_src) in flow stats
    /// even when the flow was added with the OXM form.
    /// </summary>
    private static EquatableArray<OfpInstruction> WithNxmRegMoveFields(EquatableArray<OfpInstruction> instructions)
    {
        var nxmHeaders = new Dictionary<uint, uint>
        {
            [OxmHeaders.EthSrc] = OxmHeaders.NxmOfEthSrc,
            [OxmHeaders.EthDst] = OxmHeaders.NxmOfEthDst,
            [OxmHeaders.ArpSpa] = OxmHeaders.NxmOfArpSpa,
            [OxmHeaders.ArpTpa] = OxmHeaders.NxmOfArpTpa,
            [OxmHeaders.ArpSha] = OxmHeaders.NxmNxArpSha,
            [OxmHeaders.ArpTha] = OxmHeaders.NxmNxArpTha,
        };
        var result = new List<OfpInstruction>();
        foreach (OfpInstruction instruction in instructions)
        {
            if (instruction is not ActionsInstruction { Type: OfpInstructionType.ApplyActions } apply)
            {
                result.Add(instruction);
                continue;
            }

            OfpAction[] actions = [.. apply.Actions.AsSpan().ToArray().Select(action => action is NxRegMoveAction move
                ? move with
                {
                    Source = nxmHeaders.GetValueOrDefault(move.Source, move.Source),
                    Destination = nxmHeaders.GetValueOrDefault(move.Destination, move.Destination),
                }
                : action)];
            result.Add(ActionsInstruction.Apply(actions));
        }

        return [.. result];
    }
}
