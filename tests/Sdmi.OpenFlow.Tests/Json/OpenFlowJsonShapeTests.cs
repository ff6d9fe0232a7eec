using System.Net;
using Sdmi.OpenFlow.Actions;
using Sdmi.OpenFlow.Instructions;
using Sdmi.OpenFlow.Json;
using Sdmi.OpenFlow.Matching;
using Sdmi.OpenFlow.Messages;

namespace Sdmi.OpenFlow.Tests.Json;

/// <summary>
/// The documented JSON shape, property for property, so that a change to it shows up as a test
/// failure rather than as a silent change for the tools that read it.
/// </summary>
public sealed class OpenFlowJsonShapeTests
{
    [Fact]
    public void FlowMod_Serialize_WritesDocumentedShape()
    {
        var flowMod = new FlowMod
        {
            Xid = 7,
            TableId = 2,
            Priority = 100,
            Flags = FlowModFlags.SendFlowRemoved,
            Match = new Match(
            [
                Oxm.EthDst(MacAddress.Parse("02:00:00:00:00:01")),
                Oxm.EthType(OxmFieldTable.EthTypeIpv4),
                Oxm.Ipv4Src(IPAddress.Parse("10.0.0.0"), IPAddress.Parse("255.255.255.0")),
            ]),
            Instructions = [ActionsInstruction.Apply(SimpleAction.DecNwTtl, new OutputAction(3))],
        };

        string json = OpenFlowJson.Serialize(flowMod);

        Assert.Equal(
            """
            {"type":"FLOW_MOD","xid":7,"cookie":0,"cookie_mask":0,"table_id":2,"command":"ADD",
            "idle_timeout":0,"hard_timeout":0,"priority":100,"buffer_id":4294967295,"out_port":4294967295,
            "out_group":4294967295,"flags":["SEND_FLOW_REMOVED"],
            "match":[{"field":"eth_dst","value":"02:00:00:00:00:01","mask":null},
            {"field":"eth_type","value":2048,"mask":null},
            {"field":"ipv4_src","value":"10.0.0.0","mask":"255.255.255.0"}],
            "instructions":[{"type":"APPLY_ACTIONS","actions":[{"type":"DEC_NW_TTL"},
            {"type":"OUTPUT","port":3,"max_length":65535}]}]}
            """.ReplaceLineEndings(string.Empty),
            json);
    }

    [Fact]
    public void FlowStatsReply_Serialize_WritesMultipartType()
    {
        var reply = new FlowStatsReply([]) { Xid = 3, Flags = MultipartReplyFlags.More };

        string json = OpenFlowJson.Serialize(reply);

        Assert.Equal(
            """{"type":"MULTIPART_REPLY","multipart_type":"FLOW","xid":3,"flags":["MORE"],"stats":[]}""",
            json);
    }

    [Fact]
    public void OpaqueValues_Serialize_AsHexAndNumbers()
    {
        var packetIn = new PacketIn(
            OfpBufferId.NoBuffer,
            4,
            (PacketInReason)9,
            0,
            0,
            new Match([new OxmField(OxmClass.Nxm1, 3, new byte[] { 0, 0, 0, 10 })]),
            new byte[] { 0xde, 0xad, 0xbe, 0xef });

        string json = OpenFlowJson.Serialize(packetIn);

        Assert.Equal(
            """
            {"type":"PACKET_IN","xid":0,"buffer_id":4294967295,"total_length":4,"reason":9,"table_id":0,
            "cookie":0,"match":[{"class":1,"field":3,"value":"0000000a","mask":null}],"data":"deadbeef"}
            """.ReplaceLineEndings(string.Empty),
            json);
    }

    [Fact]
    public void MinimalFlowMod_Deserialize_UsesRecordDefaults()
    {
        OpenFlowMessage message = OpenFlowJson.Deserialize("""{"type": "FLOW_MOD"}""");

        Assert.Equal(new FlowMod(), message);
    }

    [Fact]
    public void HexAndNames_Deserialize_AreAccepted()
    {
        const string json = """
            {"type": "FLOW_MOD", "xid": "0x10", "cookie": "0xff", "command": "delete_strict",
             "flags": ["CHECK_OVERLAP", 16], "match": [{"field": "in_port", "value": 1}]}
            """;

        OpenFlowMessage message = OpenFlowJson.Deserialize(json);

        var flowMod = Assert.IsType<FlowMod>(message);
        Assert.Equal(16u, flowMod.Xid);
        Assert.Equal(255ul, flowMod.Cookie);
        Assert.Equal(FlowModCommand.DeleteStrict, flowMod.Command);
        Assert.Equal(FlowModFlags.CheckOverlap | FlowModFlags.NoByteCounts, flowMod.Flags);
        Assert.Equal(new Match([Oxm.InPort(1)]), flowMod.Match);
    }
}
