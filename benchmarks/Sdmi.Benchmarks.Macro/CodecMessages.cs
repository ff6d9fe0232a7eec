using System.Net;
using Sdmi.OpenFlow;
using Sdmi.OpenFlow.Actions;
using Sdmi.OpenFlow.Instructions;
using Sdmi.OpenFlow.Matching;
using Sdmi.OpenFlow.Messages;

namespace Sdmi.Benchmarks.Macro;

/// <summary>
/// The three messages of the codec comparison. tools/bench/osken_codec.py builds the same FLOW_MOD
/// with os-ken and checks that its bytes equal <see cref="FlowMod"/>'s, and decodes the PACKET_IN
/// and flow stats reply from the bytes written here. Match fields are in OXM field order because
/// os-ken sorts them that way.
/// </summary>
internal static class CodecMessages
{
    public const uint Xid = 0x1234_5678;
    public const int FlowStatsEntries = 10;

    public static FlowMod FlowMod { get; } = new()
    {
        Xid = Xid,
        Cookie = 0x1234,
        Priority = 100,
        Match = new Match(
        [
            Oxm.InPort(1),
            Oxm.EthType(OxmFieldTable.EthTypeIpv4),
            Oxm.IpProto(OxmFieldTable.IpProtoTcp),
            Oxm.Ipv4Dst(IPAddress.Parse("172.16.20.0"), IPAddress.Parse("255.255.255.0")),
            Oxm.TcpDst(5432),
        ]),
        Instructions =
        [
            ActionsInstruction.Apply(
                new SetFieldAction(Oxm.EthDst(MacAddress.Parse("02:00:ac:10:14:01"))),
                SimpleAction.DecNwTtl,
                new OutputAction(2)),
            new GotoTableInstruction(1),
        ],
    };

    /// <summary>A PACKET_IN carrying a 64-byte frame from port 1, as a table miss would send it.</summary>
    public static PacketIn PacketIn { get; } = new(
        OfpBufferId.NoBuffer,
        64,
        PacketInReason.NoMatch,
        0,
        ulong.MaxValue,
        new Match([Oxm.InPort(1)]),
        BuildFrame()) { Xid = Xid };

    /// <summary>One flow stats reply with <see cref="FlowStatsEntries"/> entries shaped like <see cref="FlowMod"/>.</summary>
    public static FlowStatsReply FlowStatsReply { get; } = new(
    [
        .. Enumerable.Range(0, FlowStatsEntries).Select(i => new FlowStats(
            0, (uint)i, 500_000, 100, 0, 0, FlowModFlags.None, (ulong)i + 1, (ulong)i * 10, (ulong)i * 640,
            FlowMod.Match, FlowMod.Instructions)),
    ]) { Xid = Xid };

    /// <summary>Writes each message as hex, one file per message, for the os-ken script.</summary>
    public static void WriteHexFiles(string directory)
    {
        File.WriteAllText(Path.Combine(directory, "flow_mod.hex"), Convert.ToHexString(FlowMod.ToArray()));
        File.WriteAllText(Path.Combine(directory, "packet_in.hex"), Convert.ToHexString(PacketIn.ToArray()));
        File.WriteAllText(Path.Combine(directory, "flow_stats_reply.hex"), Convert.ToHexString(FlowStatsReply.ToArray()));
    }

    private static byte[] BuildFrame()
    {
        byte[] frame = new byte[64];
        MacAddress.Parse("02:00:ac:10:14:01").WriteTo(frame);
        MacAddress.Parse("02:00:ac:10:0a:01").WriteTo(frame.AsSpan(6));
        frame[12] = 0x08;
        for (int i = 14; i < frame.Length; i++)
        {
            frame[i] = (byte)i;
        }

        return frame;
    }
}
