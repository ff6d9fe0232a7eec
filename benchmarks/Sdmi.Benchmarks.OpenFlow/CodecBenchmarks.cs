using System.Net;
using BenchmarkDotNet.Attributes;
using Sdmi.OpenFlow;
using Sdmi.OpenFlow.Actions;
using Sdmi.OpenFlow.Instructions;
using Sdmi.OpenFlow.Matching;
using Sdmi.OpenFlow.Messages;

namespace Sdmi.Benchmarks.OpenFlow;

/// <summary>
/// Encode and decode costs of the three hot-path messages: a FLOW_MOD like the ARP responder's, a
/// PACKET_IN with a 128-byte frame, and a flow statistics reply with 50 entries. Each decode is
/// measured twice: into records (<see cref="OpenFlowCodec"/>) and in place (the view types).
/// </summary>
[MemoryDiagnoser]
public class CodecBenchmarks
{
    private static readonly MacAddress GatewayMac = MacAddress.Parse("0a:00:00:00:00:fe");
    private static readonly IPAddress GatewayIp = IPAddress.Parse("10.0.0.1");

    private readonly byte[] _buffer = new byte[65_535];
    private FlowMod _flowMod = null!;
    private PacketIn _packetIn = null!;
    private FlowStatsReply _flowStatsReply = null!;
    private byte[] _flowModBytes = null!;
    private byte[] _packetInBytes = null!;
    private byte[] _flowStatsReplyBytes = null!;

    [GlobalSetup]
    public void Setup()
    {
        _flowMod = new FlowMod
        {
            TableId = 2,
            Priority = 100,
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
        };
        _packetIn = new PacketIn(
            OfpBufferId.NoBuffer, 128, PacketInReason.NoMatch, 0, 0, new Match([Oxm.InPort(7)]), new byte[128]);
        var entry = new FlowStats(0, 10, 0, 100, 0, 0, FlowModFlags.None, 1, 1000, 64000, _flowMod.Match,
            _flowMod.Instructions);
        _flowStatsReply = new FlowStatsReply(Enumerable.Range(
            0,
            50).Select(i => entry with { Cookie = (ulong)i }).ToArray());
        _flowModBytes = _flowMod.ToArray();
        _packetInBytes = _packetIn.ToArray();
        _flowStatsReplyBytes = _flowStatsReply.ToArray();
    }

    [Benchmark]
    public int EncodeFlowMod() => _flowMod.WriteTo(_buffer);

    [Benchmark]
    public OpenFlowMessage DecodeFlowMod() => OpenFlowCodec.Decode(_flowModBytes);

    [Benchmark]
    public ushort ReadFlowModView() => FlowModView.Read(_flowModBytes).Priority;

    [Benchmark]
    public int EncodePacketIn() => _packetIn.WriteTo(_buffer);

    [Benchmark]
    public OpenFlowMessage DecodePacketIn() => OpenFlowCodec.Decode(_packetInBytes);

    [Benchmark]
    public uint ReadPacketInView() => PacketInView.Read(_packetInBytes).InPort ?? 0;

    [Benchmark]
    public int EncodeFlowStatsReply() => _flowStatsReply.WriteTo(_buffer);

    [Benchmark]
    public OpenFlowMessage DecodeFlowStatsReply() => OpenFlowCodec.Decode(_flowStatsReplyBytes);

    [Benchmark]
    public ulong ReadFlowStatsReplyView()
    {
        ulong packets = 0;
        foreach (FlowStatsView entry in FlowStatsReplyView.Read(_flowStatsReplyBytes).Entries)
        {
            packets += entry.PacketCount;
        }

        return packets;
    }
}
