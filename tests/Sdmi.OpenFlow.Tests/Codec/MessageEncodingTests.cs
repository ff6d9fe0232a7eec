using Sdmi.OpenFlow.Actions;
using Sdmi.OpenFlow.Instructions;
using Sdmi.OpenFlow.Matching;
using Sdmi.OpenFlow.Messages;

namespace Sdmi.OpenFlow.Tests.Codec;

/// <summary>
/// Each message encodes to bytes written out by hand from the OpenFlow 1.3.5 structure layouts,
/// and those bytes decode back to an equal message.
/// </summary>
public sealed class MessageEncodingTests
{
    private static readonly MacAddress RouterMac = MacAddress.Parse("0a:00:00:00:00:fe");

    public static TheoryData<string, OpenFlowMessage, string> Cases() => new()
    {
        {
            "hello with version bitmap",
            HelloMessage.Version13Only() with { Xid = 1 },
            "04 00 0010 00000001  0001 0008 00000010"
        },
        {
            "error with data",
            new ErrorMessage(OfpErrorType.BadMatch, (ushort)BadMatchCode.BadLen, new byte[] { 1, 2 }) { Xid = 3 },
            "04 01 000e 00000003  0004 0001 0102"
        },
        {
            "experimenter error",
            new ErrorMessage(OfpErrorType.Experimenter, 0x1234, new byte[] { 9 }) { Xid = 3, Experimenter = 0x2320 },
            "04 01 0011 00000003  ffff 1234 00002320 09"
        },
        {
            "echo request",
            new EchoRequest(new byte[] { 0xaa }) { Xid = 1 },
            "04 02 0009 00000001  aa"
        },
        {
            "echo reply",
            new EchoReply(new byte[] { 0xaa }) { Xid = 1 },
            "04 03 0009 00000001  aa"
        },
        {
            "features request",
            new FeaturesRequest { Xid = 2 },
            "04 05 0008 00000002"
        },
        {
            "features reply",
            new FeaturesReply(0xabc, 256, 254, 0, SwitchCapabilities.FlowStats | SwitchCapabilities.TableStats
                | SwitchCapabilities.PortStats) { Xid = 2 },
            "04 06 0020 00000002  0000000000000abc 00000100 fe 00 0000 00000007 00000000"
        },
        {
            "set config",
            new SetConfig(SwitchConfigFlags.FragNormal, 0xffff) { Xid = 4 },
            "04 09 000c 00000004  0000 ffff"
        },
        {
            "barrier request",
            new BarrierRequest { Xid = 5 },
            "04 14 0008 00000005"
        },
        {
            "barrier reply",
            new BarrierReply { Xid = 5 },
            "04 15 0008 00000005"
        },
        {
            "role request",
            new RoleRequest(ControllerRole.Master, 5) { Xid = 6 },
            "04 18 0018 00000006  00000002 00000000 0000000000000005"
        },
        {
            "role reply",
            new RoleReply(ControllerRole.Slave, 7) { Xid = 6 },
            "04 19 0018 00000006  00000003 00000000 0000000000000007"
        },
        {
            "group mod with one weighted bucket",
            new GroupMod(GroupModCommand.Add, GroupType.Select, 1, [new Bucket([new OutputAction(2)], Weight: 10)])
            {
                Xid = 7,
            },
            "04 0f 0030 00000007  0000 01 00 00000001" +
            "  0020 000a ffffffff ffffffff 00000000  0000 0010 00000002 ffff 000000000000"
        },
        {
            "packet in with in_port match",
            new PacketIn(OfpBufferId.NoBuffer, 4, PacketInReason.Action, 0, 0, new Match([Oxm.InPort(3)]),
                new byte[] { 0xde, 0xad, 0xbe, 0xef }) { Xid = 8 },
            "04 0a 002e 00000008  ffffffff 0004 01 00 0000000000000000" +
            "  0001 000c 80000004 00000003 00000000  0000 deadbeef"
        },
        {
            "packet out with output action",
            new PacketOut([new OutputAction(1)], new byte[] { 0xab }) { Xid = 9 },
            "04 0d 0029 00000009  ffffffff fffffffd 0010 000000000000" +
            "  0000 0010 00000001 ffff 000000000000  ab"
        },
        {
            "flow removed",
            new FlowRemoved(1, 2, FlowRemovedReason.Delete, 3, 4, 5, 6, 7, 8, 9, Match.Any) { Xid = 10 },
            "04 0b 0038 0000000a  0000000000000001 0002 02 03 00000004 00000005 0006 0007" +
            "  0000000000000008 0000000000000009  0001 0004 00000000"
        },
        {
            "flow stats request for all tables",
            new FlowStatsRequest { Xid = 11 },
            "04 12 0038 0000000b  0001 0000 00000000" +
            "  ff 000000 ffffffff ffffffff 00000000 0000000000000000 0000000000000000  0001 0004 00000000"
        },
        {
            "flow stats reply with one entry",
            new FlowStatsReply([new FlowStats(1, 2, 3, 4, 5, 6, FlowModFlags.SendFlowRemoved, 7, 8, 9,
                new Match([Oxm.InPort(1)]), [new GotoTableInstruction(2)])]) { Xid = 12 },
            "04 13 0058 0000000c  0001 0000 00000000" +
            "  0048 01 00 00000002 00000003 0004 0005 0006 0001 00000000" +
            "  0000000000000007 0000000000000008 0000000000000009" +
            "  0001 000c 80000004 00000001 00000000  0001 0008 02 000000"
        },
        {
            "port desc request",
            new PortDescRequest { Xid = 13 },
            "04 12 0010 0000000d  000d 0000 00000000"
        },
        {
            "port desc reply",
            new PortDescReply([new PortDescription(1, RouterMac, "eth0", PortConfig.None, PortState.Live,
                PortFeatures.Rate10GbFd, PortFeatures.None, PortFeatures.None, PortFeatures.None, 10_000_000, 0)])
            {
                Xid = 13,
            },
            "04 13 0050 0000000d  000d 0000 00000000" +
            "  00000001 00000000 0a00000000fe 0000 65746830000000000000000000000000" +
            "  00000000 00000004 00000040 00000000 00000000 00000000 00989680 00000000"
        },
        {
            "port status",
            new PortStatus(PortStatusReason.Add, new PortDescription(2, RouterMac, "p2", PortConfig.PortDown,
                PortState.LinkDown, PortFeatures.None, PortFeatures.None, PortFeatures.None, PortFeatures.None, 0, 0))
            {
                Xid = 0,
            },
            "04 0c 0050 00000000  00 00000000000000" +
            "  00000002 00000000 0a00000000fe 0000 70320000000000000000000000000000" +
            "  00000001 00000001 00000000 00000000 00000000 00000000 00000000 00000000"
        },
        {
            "bundle open request",
            new BundleControlMessage(7, BundleControlType.OpenRequest, BundleFlags.Atomic | BundleFlags.Ordered)
            {
                Xid = 5,
            },
            "04 04 0018 00000005  4f4e4600 000008fc 00000007 0000 0003"
        },
        {
            "bundle commit reply",
            new BundleControlMessage(7, BundleControlType.CommitReply) { Xid = 6 },
            "04 04 0018 00000006  4f4e4600 000008fc 00000007 0005 0000"
        },
        {
            "bundle add with embedded barrier",
            BundleAddMessage.Create(7, BundleFlags.Atomic, new BarrierRequest { Xid = 9 }),
            "04 04 0020 00000009  4f4e4600 000008fd 00000007 0000 0001  04 14 0008 00000009"
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Message_Encode_MatchesSpecBytes(string name, OpenFlowMessage message, string expectedHex)
    {
        byte[] encoded = message.ToArray();

        Assert.True(Hex.Normalize(expectedHex) == Hex.Of(encoded), $"{name}: {Hex.Of(encoded)}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Message_Decode_EqualsOriginal(string name, OpenFlowMessage message, string expectedHex)
    {
        OpenFlowMessage decoded = OpenFlowCodec.Decode(Hex.Bytes(expectedHex));

        Assert.True(message.Equals(decoded), $"{name}: {decoded}");
    }

    [Fact]
    public void FlowMod_ArpResponder_MatchesSpecBytes()
    {
        var flowMod = new FlowMod
        {
            Xid = 42,
            Cookie = 0x1122334455667788,
            TableId = 2,
            Priority = 100,
            Match = new Match([Oxm.EthType(OxmFieldTable.EthTypeArp), Oxm.ArpOp(1)]),
            Instructions =
            [
                ActionsInstruction.Apply(
                    NxRegMoveAction.MoveWholeField(OxmHeaders.EthSrc, OxmHeaders.EthDst),
                    new SetFieldAction(Oxm.EthSrc(RouterMac)),
                    new OutputAction(OfpPortNo.InPort, 0)),
            ],
        };

        byte[] encoded = flowMod.ToArray();

        string expected = Hex.Normalize(
            "04 0e 0080 0000002a  1122334455667788 0000000000000000 02 00 0000 0000 0064" +
            "  ffffffff ffffffff ffffffff 0000 0000" +
            "  0001 0010 8000 0a02 0806 8000 2a02 0001" +
            "  0004 0040 00000000" +
            "  ffff 0018 00002320 0006 0030 0000 0000 80000806 80000606" +
            "  0019 0010 80000806 0a00000000fe 0000" +
            "  0000 0010 fffffff8 0000 000000000000");
        Assert.Equal(expected, Hex.Of(encoded));
        Assert.Equal(flowMod, OpenFlowCodec.Decode(encoded));
    }

    [Fact]
    public void FlowMod_DefaultFields_UseSpecDefaults()
    {
        var flowMod = new FlowMod();

        Assert.Equal(FlowMod.DefaultPriority, flowMod.Priority);
        Assert.Equal(OfpBufferId.NoBuffer, flowMod.BufferId);
        Assert.Equal(OfpPortNo.Any, flowMod.OutPort);
        Assert.Equal(OfpGroupId.Any, flowMod.OutGroup);
        Assert.Equal(56, flowMod.Length);
    }

    [Fact]
    public void WriteTo_BufferWriter_AppendsMessage()
    {
        var output = new System.Buffers.ArrayBufferWriter<byte>();

        new BarrierRequest { Xid = 1 }.WriteTo(output);
        new BarrierReply { Xid = 2 }.WriteTo(output);

        Assert.Equal(Hex.Normalize("04 14 0008 00000001 04 15 0008 00000002"), Hex.Of(output.WrittenSpan));
    }
}
