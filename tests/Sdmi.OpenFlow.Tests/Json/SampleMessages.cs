using System.Net;
using Sdmi.OpenFlow.Actions;
using Sdmi.OpenFlow.Instructions;
using Sdmi.OpenFlow.Matching;
using Sdmi.OpenFlow.Messages;

namespace Sdmi.OpenFlow.Tests.Json;

/// <summary>
/// One message of each class, and of each multipart type, with fields away from their defaults.
/// </summary>
internal static class SampleMessages
{
    private static readonly MacAddress Mac = MacAddress.Parse("02:00:00:00:00:01");

    private static readonly Match Match = new(
    [
        Oxm.InPort(3),
        Oxm.EthDst(Mac, MacAddress.Parse("ff:ff:ff:00:00:00")),
        Oxm.EthType(OxmFieldTable.EthTypeIpv6),
        Oxm.Ipv6Src(IPAddress.Parse("fd00::1"), IPAddress.Parse("ffff:ffff::")),
        Oxm.Ipv4Dst(IPAddress.Parse("10.0.0.1")),
        Oxm.TunnelId(ulong.MaxValue),
        new OxmField(OxmClass.Nxm1, 0, new byte[] { 0, 0, 0, 9 }),
    ]);

    private static readonly EquatableArray<OfpAction> Actions =
    [
        new OutputAction(OfpPortNo.Controller, 128),
        new SetFieldAction(Oxm.VlanVid(10)),
        EtherTypeAction.PushVlan(),
        SimpleAction.DecNwTtl,
        NxRegMoveAction.MoveWholeField(OxmHeaders.EthSrc, OxmHeaders.EthDst),
        new ExperimenterAction(0x00aa_bbcc, new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }),
        new UnknownAction(99, new byte[] { 0, 0, 0, 0 }),
    ];

    private static readonly EquatableArray<OfpInstruction> Instructions =
    [
        new MeterInstruction(4),
        ActionsInstruction.Apply([.. Actions]),
        ActionsInstruction.ClearActions,
        ActionsInstruction.Write(new GroupAction(7)),
        new WriteMetadataInstruction(1, 3),
        new GotoTableInstruction(5),
        new ExperimenterInstruction(0x00aa_bbcc, new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }),
        new UnknownInstruction(77, new byte[] { 0, 0, 0, 0 }),
    ];

    private static readonly PortDescription Port = new(
        1, Mac, "veth1", PortConfig.NoPacketIn, PortState.Live, PortFeatures.Rate10GbFd | PortFeatures.Copper,
        PortFeatures.None, PortFeatures.Rate1GbFd, PortFeatures.Other, 10_000_000, 10_000_000);

    private static readonly EquatableArray<MeterBand> Bands =
    [
        new DropBand(1000, 10),
        new DscpRemarkBand(2000, 20, 1),
        new ExperimenterBand(3000, 30, 0x00aa_bbcc, new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }),
    ];

    private static readonly EquatableArray<Bucket> Buckets =
        [new Bucket([new OutputAction(1)], 1, 2, 3), new Bucket([], 0)];

    private static readonly TableFeatures Table = new(
        0,
        "classifier",
        ulong.MaxValue,
        0xff,
        3,
        1_000_000,
        [
            new FeatureIdsProperty(TableFeaturePropertyType.Instructions, [new FeatureId(1), new FeatureId(4)]),
            new NextTablesProperty(TableFeaturePropertyType.NextTables, new byte[] { 1, 2, 3 }),
            new OxmIdsProperty(
                TableFeaturePropertyType.Match, [new OxmId(OxmHeaders.EthDst), new OxmId(0xffff_0008, 42)]),
            new ExperimenterTableProperty(TableFeaturePropertyType.Experimenter, 1, 2, new byte[] { 9 }),
            new UnknownTableProperty(9, new byte[] { 1, 2 }),
        ]);

    public static IReadOnlyList<OpenFlowMessage> All { get; } =
    [
        new HelloMessage([HelloVersionBitmap.ForVersions(1, 4), new UnknownHelloElement(7, new byte[] { 1, 2 })])
        {
            Xid = 1,
            Version = 5,
        },
        new ErrorMessage(OfpErrorType.BadMatch, (ushort)BadMatchCode.BadPrereq, new byte[] { 4, 14, 0, 8 }) { Xid = 2 },
        new ErrorMessage(OfpErrorType.Experimenter, 9, new byte[] { 1 }) { Experimenter = 0x2320 },
        new EchoRequest(new byte[] { 1, 2, 3 }) { Xid = 3 },
        new EchoReply(new byte[] { 1, 2, 3 }) { Xid = 3 },
        new ExperimenterMessage(0x2320, 17, new byte[] { 0xde, 0xad }),
        new BundleControlMessage(5, BundleControlType.CommitRequest, BundleFlags.Atomic | BundleFlags.Ordered),
        BundleAddMessage.Create(5, BundleFlags.Atomic, new FlowMod { Xid = 9, Match = Match }),
        new FeaturesRequest { Xid = 4 },
        new FeaturesReply(
            0x0000_0242_ac11_0002, 256, 254, 0, SwitchCapabilities.FlowStats | SwitchCapabilities.PortBlocked),
        new GetConfigRequest(),
        new GetConfigReply(SwitchConfigFlags.FragReasm, 0xffff),
        new SetConfig(SwitchConfigFlags.FragDrop, 256),
        new PacketIn(OfpBufferId.NoBuffer, 60, PacketInReason.Action, 2, 0xc0ffee, Match, new byte[] { 1, 2, 3, 4 }),
        new FlowRemoved(7, 100, FlowRemovedReason.Delete, 3, 10, 500, 30, 60, 12, 3400, Match),
        new PortStatus(PortStatusReason.Modify, Port),
        new PacketOut(Actions, new byte[] { 0xff, 0xff }, 3),
        new FlowMod
        {
            Xid = 7,
            Cookie = 0x1234,
            CookieMask = ulong.MaxValue,
            TableId = 2,
            Command = FlowModCommand.ModifyStrict,
            IdleTimeout = 30,
            HardTimeout = 300,
            Priority = 100,
            Flags = FlowModFlags.SendFlowRemoved | FlowModFlags.CheckOverlap | (FlowModFlags)0x8000,
            Match = Match,
            Instructions = Instructions,
        },
        new GroupMod(GroupModCommand.Modify, GroupType.Select, 12, Buckets),
        new PortMod(1, Mac, PortConfig.PortDown, PortConfig.PortDown | PortConfig.NoFwd, PortFeatures.Fiber),
        new TableMod(3, 3),
        new BarrierRequest { Xid = 8 },
        new BarrierReply { Xid = 8 },
        new QueueGetConfigRequest(OfpPortNo.Any),
        new QueueGetConfigReply(2, [new PacketQueue(1, 2, [
            QueueProperty.MinRate(100),
            QueueProperty.MaxRate(900),
            new QueueProperty(QueuePropertyType.Experimenter, 0, 0x2320, new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }),
        ])]),
        new RoleRequest(ControllerRole.Master, 42),
        new RoleReply((ControllerRole)9, 43),
        new GetAsyncRequest(),
        new GetAsyncReply(1, 2, 3, 4, 5, 6),
        new SetAsync(6, 5, 4, 3, 2, 1),
        new MeterMod(MeterModCommand.Add, MeterFlags.Kbps | MeterFlags.Stats, 1, Bands),
        EmptyMultipartRequest.Desc,
        EmptyMultipartRequest.TableStats,
        EmptyMultipartRequest.GroupDesc,
        EmptyMultipartRequest.GroupFeatures,
        EmptyMultipartRequest.MeterFeatures with { Flags = MultipartRequestFlags.More },
        new FlowStatsRequest { TableId = 1, OutPort = 2, OutGroup = 3, Cookie = 4, CookieMask = 5, Match = Match },
        new AggregateStatsRequest { TableId = 1, Match = Match },
        new PortStatsRequest(5),
        new QueueStatsRequest(1, 2),
        IdMultipartRequest.GroupStats(3),
        IdMultipartRequest.MeterStats(4),
        IdMultipartRequest.MeterConfig(5),
        new TableFeaturesRequest([Table]),
        new PortDescRequest(),
        new ExperimenterMultipartRequest(0x2320, 1, new byte[] { 1 }),
        new DescReply("Nicira, Inc.", "Open vSwitch", "3.1.0", "None", "br-int"),
        new FlowStatsReply([new FlowStats(1, 2, 3, 4, 5, 6, FlowModFlags.NoByteCounts, 7, 8, 9, Match, Instructions)])
        {
            Flags = MultipartReplyFlags.More,
        },
        new AggregateStatsReply(1, 2, 3),
        new TableStatsReply([new TableStats(0, 1, 2, 3)]),
        new PortStatsReply([new PortStats(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)]),
        new QueueStatsReply([new QueueStats(1, 2, 3, 4, 5, 6, 7)]),
        new GroupStatsReply([new GroupStats(1, 2, 3, 4, 5, 6, [new Counters(7, 8)])]),
        new GroupDescReply([new GroupDescription(GroupType.FastFailover, 3, Buckets)]),
        new GroupFeaturesReply(15, GroupCapabilities.Chaining, [1, 2, 3, 4], [5, 6, 7, 8]),
        new MeterStatsReply([new MeterStats(1, 2, 3, 4, 5, 6, [new Counters(7, 8)])]),
        new MeterConfigReply([new MeterConfig(MeterFlags.PacketsPerSecond, 2, Bands)]),
        new MeterFeaturesReply(100, 6, MeterFlags.Kbps | MeterFlags.Burst, 2, 8),
        new TableFeaturesReply([Table]),
        new PortDescReply([Port]),
        new ExperimenterMultipartReply(0x2320, 1, new byte[] { 2 }),
    ];
}
