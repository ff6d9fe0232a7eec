using CsCheck;
using Sdmi.OpenFlow.Actions;
using Sdmi.OpenFlow.Instructions;
using Sdmi.OpenFlow.Matching;
using Sdmi.OpenFlow.Messages;
using Sdmi.OpenFlow.Tests.Properties;

namespace Sdmi.OpenFlow.Tests.Codec;

public sealed class MessageViewTests
{
    private static readonly FlowMod SampleFlowMod = new()
    {
        Xid = 7,
        Cookie = 0xabc,
        TableId = 3,
        Priority = 200,
        Match = new Match([Oxm.InPort(4), Oxm.EthType(OxmFieldTable.EthTypeArp)]),
        Instructions =
        [
            ActionsInstruction.Apply(new OutputAction(1), SimpleAction.DecNwTtl),
            new GotoTableInstruction(4),
        ],
    };

    private static readonly PacketIn SamplePacketIn = new(
        OfpBufferId.NoBuffer, 60, PacketInReason.NoMatch, 2, 9, new Match([Oxm.InPort(12)]), new byte[60]) { Xid = 3 };

    private static readonly FlowStatsReply SampleReply = new(
    [
        new FlowStats(1, 2, 3, 4, 5, 6, FlowModFlags.None, 7, 8, 9, new Match([Oxm.InPort(1)]), []),
        new FlowStats(2, 2, 3, 4, 5, 6, FlowModFlags.None, 8, 8, 9, Match.Any, SampleFlowMod.Instructions),
    ]) { Xid = 5, Flags = MultipartReplyFlags.More };

    [Fact]
    public void PacketInView_ReadsFields()
    {
        byte[] bytes = SamplePacketIn.ToArray();

        PacketInView view = PacketInView.Read(bytes);

        Assert.Equal(3u, view.Xid);
        Assert.Equal(OfpBufferId.NoBuffer, view.BufferId);
        Assert.Equal(60, view.TotalLength);
        Assert.Equal(PacketInReason.NoMatch, view.Reason);
        Assert.Equal(2, view.TableId);
        Assert.Equal(9UL, view.Cookie);
        Assert.Equal(12u, view.InPort);
        Assert.Equal(60, view.Data.Length);
        Assert.Equal(SamplePacketIn.Match, view.Match.ToMatch());
    }

    [Fact]
    public void FlowModView_ReadsFieldsAndInstructions()
    {
        byte[] bytes = SampleFlowMod.ToArray();

        FlowModView view = FlowModView.Read(bytes);
        int actionCount = 0;
        foreach (TlvView instruction in view.Instructions)
        {
            foreach (TlvView action in instruction.Actions)
            {
                actionCount++;
            }
        }

        Assert.Equal(0xabcUL, view.Cookie);
        Assert.Equal(3, view.TableId);
        Assert.Equal(200, view.Priority);
        Assert.Equal(OfpPortNo.Any, view.OutPort);
        Assert.Equal(SampleFlowMod.Match, view.Match.ToMatch());
        Assert.Equal(SampleFlowMod.Instructions, view.Instructions.ToInstructions());
        Assert.Equal(2, actionCount);
    }

    [Fact]
    public void FlowStatsReplyView_EnumeratesEntries()
    {
        byte[] bytes = SampleReply.ToArray();

        FlowStatsReplyView view = FlowStatsReplyView.Read(bytes);
        var cookies = new List<ulong>();
        foreach (FlowStatsView entry in view.Entries)
        {
            cookies.Add(entry.Cookie);
        }

        Assert.True(view.HasMore);
        Assert.Equal([7UL, 8UL], cookies);
    }

    [Fact]
    public void FlowModView_BadOxmLength_ThrowsBadMatch()
    {
        byte[] bytes = new FlowMod { Match = new Match([Oxm.InPort(1)]) }.ToArray();
        bytes[OfpHeader.Size + FlowMod.FixedBodySize + 7] = 2;

        var exception = Assert.Throws<OpenFlowProtocolException>(() => FlowModView.Read(bytes));

        Assert.Equal(OfpErrorType.BadMatch, exception.ErrorType);
        Assert.Equal((ushort)BadMatchCode.BadLen, exception.ErrorCode);
    }

    [Fact]
    public void FlowModView_BadActionLength_ThrowsBadAction()
    {
        byte[] bytes = SampleFlowMod.ToArray();
        int firstAction = OfpHeader.Size + FlowMod.FixedBodySize + SampleFlowMod.Match.PaddedLength + 8;
        bytes[firstAction + 3] = 12;

        var exception = Assert.Throws<OpenFlowProtocolException>(() => FlowModView.Read(bytes));

        Assert.Equal(OfpErrorType.BadAction, exception.ErrorType);
    }

    [Fact]
    public void GeneratedFlowMod_View_MatchesDecoder()
    {
        MessageGenerators.FlowMod.Sample(flowMod =>
        {
            byte[] bytes = flowMod.ToArray();

            FlowModView view = FlowModView.Read(bytes);

            Assert.Equal(flowMod.Cookie, view.Cookie);
            Assert.Equal(flowMod.Flags, view.Flags);
            Assert.Equal(flowMod.Match, view.Match.ToMatch());
            Assert.Equal(flowMod.Instructions, view.Instructions.ToInstructions());
        }, iter: 1_000);
    }

    [Fact]
    public void HotPath_EncodeAndViews_AllocateNothing()
    {
        byte[] buffer = new byte[1024];
        byte[] packetIn = SamplePacketIn.ToArray();
        byte[] reply = SampleReply.ToArray();
        RunHotPath(buffer, packetIn, reply);

        long before = GC.GetAllocatedBytesForCurrentThread();
        long checksum = 0;
        for (int i = 0; i < 1_000; i++)
        {
            checksum += RunHotPath(buffer, packetIn, reply);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.NotEqual(0, checksum);
    }

    private static long RunHotPath(byte[] buffer, byte[] packetIn, byte[] reply)
    {
        long checksum = SampleFlowMod.WriteTo(buffer);
        checksum += FlowModView.Read(buffer.AsSpan(0, SampleFlowMod.Length)).Priority;
        PacketInView packet = PacketInView.Read(packetIn);
        checksum += packet.InPort ?? 0;
        foreach (FlowStatsView entry in FlowStatsReplyView.Read(reply).Entries)
        {
            foreach (OxmView field in entry.Match)
            {
                checksum += field.Value.Length;
            }
        }

        return checksum;
    }
}
