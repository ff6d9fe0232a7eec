using System.Buffers;
using Sdmi.OpenFlow.Actions;
using Sdmi.OpenFlow.Instructions;
using Sdmi.OpenFlow.Matching;
using Sdmi.OpenFlow.Messages;

namespace Sdmi.OpenFlow.Tests.Codec;

public sealed class DecoderTests
{
    private static readonly byte[] Barrier = Hex.Bytes("04 14 0008 00000005");

    [Fact]
    public void TryDecode_PartialHeader_NeedsMoreData()
    {
        OperationStatus status = OpenFlowCodec.TryDecode(
            Barrier.AsSpan(0, 7),
            out OpenFlowMessage? message,
            out int consumed);

        Assert.Equal(OperationStatus.NeedMoreData, status);
        Assert.Null(message);
        Assert.Equal(0, consumed);
    }

    [Fact]
    public void TryDecode_PartialBody_NeedsMoreData()
    {
        byte[] echo = new EchoRequest(new byte[] { 1, 2, 3 }).ToArray();

        OperationStatus status = OpenFlowCodec.TryDecode(echo.AsSpan(0, 10), out _, out int consumed);

        Assert.Equal(OperationStatus.NeedMoreData, status);
        Assert.Equal(0, consumed);
    }

    [Fact]
    public void TryDecode_TwoMessages_ConsumesFirstOnly()
    {
        byte[] two = [.. Barrier, .. Barrier];

        OperationStatus status = OpenFlowCodec.TryDecode(two, out OpenFlowMessage? message, out int consumed);

        Assert.Equal(OperationStatus.Done, status);
        Assert.Equal(new BarrierRequest { Xid = 5 }, message);
        Assert.Equal(8, consumed);
    }

    [Fact]
    public void TryDecode_LengthBelowHeaderSize_ThrowsBadLen()
    {
        var exception = Assert.Throws<OpenFlowProtocolException>(
            () => OpenFlowCodec.TryDecode(Hex.Bytes("04 14 0007 00000005"), out _, out _));

        Assert.Equal(OfpErrorType.BadRequest, exception.ErrorType);
        Assert.Equal((ushort)BadRequestCode.BadLen, exception.ErrorCode);
        Assert.Equal(5u, exception.Xid);
    }

    [Fact]
    public void TryDecode_MessageSplitAcrossSegments_DecodesWhole()
    {
        byte[] flowMod = new FlowMod { Xid = 9, Match = new Match([Oxm.InPort(1)]) }.ToArray();
        ReadOnlySequence<byte> split = Segments.Create(flowMod.AsMemory(0, 13), flowMod.AsMemory(13));

        OperationStatus status = OpenFlowCodec.TryDecode(split, out OpenFlowMessage? message, out SequencePosition end);

        Assert.Equal(OperationStatus.Done, status);
        Assert.Equal(9u, message!.Xid);
        Assert.Equal(split.End, end);
    }

    [Fact]
    public void Decode_WrongVersion_ThrowsBadVersion()
    {
        byte[] barrier = Hex.Bytes("01 14 0008 00000005");

        var exception = Assert.Throws<OpenFlowProtocolException>(() => OpenFlowCodec.Decode(barrier));

        Assert.Equal(OfpErrorType.BadRequest, exception.ErrorType);
        Assert.Equal((ushort)BadRequestCode.BadVersion, exception.ErrorCode);
    }

    [Fact]
    public void Decode_UndefinedType_ThrowsBadType()
    {
        byte[] undefined = Hex.Bytes("04 63 0008 00000005");

        var exception = Assert.Throws<OpenFlowProtocolException>(() => OpenFlowCodec.Decode(undefined));

        Assert.Equal((ushort)BadRequestCode.BadType, exception.ErrorCode);
    }

    [Fact]
    public void Match_LengthMultipleOfEight_HasNoPadding()
    {
        var match = new Match([Oxm.EthType(0x0806), Oxm.ArpOp(1)]);

        byte[] encoded = new FlowMod { Match = match }.ToArray();

        Assert.Equal(16, match.Length);
        Assert.Equal(16, match.PaddedLength);
        Assert.Equal(OfpHeader.Size + FlowMod.FixedBodySize + 16, encoded.Length);
    }

    [Fact]
    public void Match_UnalignedLength_IsZeroPadded()
    {
        var match = new Match([Oxm.InPort(1)]);

        byte[] encoded = new FlowMod { Match = match }.ToArray();

        Assert.Equal(12, match.Length);
        Assert.Equal(16, match.PaddedLength);
        Assert.Equal("0001000C800000040000000100000000", Hex.Of(encoded.AsSpan(48, 16)));
    }

    [Fact]
    public void Oxm_WrongFieldSize_ThrowsBadLen()
    {
        // in_port is 4 bytes; this OXM claims 8 (and carries 8).
        byte[] flowMod = Hex.Bytes(
            "04 0e 0040 00000001  0000000000000000 0000000000000000 00 00 0000 0000 8000" +
            "  ffffffff ffffffff ffffffff 0000 0000  0001 0010 80000008 0000000000000001");

        var exception = Assert.Throws<OpenFlowProtocolException>(() => OpenFlowCodec.Decode(flowMod));

        Assert.Equal(OfpErrorType.BadMatch, exception.ErrorType);
        Assert.Equal((ushort)BadMatchCode.BadLen, exception.ErrorCode);
        Assert.Equal(OfpType.FlowMod, exception.MessageType);
        Assert.Equal(52, exception.Offset);
    }

    [Fact]
    public void Oxm_MaskOnUnmaskableField_ThrowsBadMask()
    {
        byte[] flowMod = Hex.Bytes(
            "04 0e 0040 00000001  0000000000000000 0000000000000000 00 00 0000 0000 8000" +
            "  ffffffff ffffffff ffffffff 0000 0000  0001 0010 80000108 00000001 ffffffff");

        var exception = Assert.Throws<OpenFlowProtocolException>(() => OpenFlowCodec.Decode(flowMod));

        Assert.Equal((ushort)BadMatchCode.BadMask, exception.ErrorCode);
    }

    [Fact]
    public void SetFieldVlanVid_NoPresentBit_RoundTrips()
    {
        var action = new SetFieldAction(Oxm.VlanVidRaw(0x0102));
        var flowMod = new FlowMod { Instructions = [ActionsInstruction.Apply(action)] };

        var decoded = (FlowMod)OpenFlowCodec.Decode(flowMod.ToArray());
        var instruction = (ActionsInstruction)decoded.Instructions[0];
        var setField = (SetFieldAction)instruction.Actions[0];

        Assert.Equal(0x0102UL, setField.Field.ValueAsUInt64());
        Assert.Equal("0019001080000C020102000000000000", Hex.Of(ToBytes(action)));
    }

    [Fact]
    public void VlanVidFactory_AddsPresentBit()
    {
        OxmField field = Oxm.VlanVid(258);

        Assert.Equal(0x1102UL, field.ValueAsUInt64());
    }

    [Fact]
    public void Action_OddLength_ThrowsBadLen()
    {
        byte[] packetOut = Hex.Bytes(
            "04 0d 0024 00000001  ffffffff fffffffd 000c 000000000000  0000 000c 00000001 ffff 0000");

        var exception = Assert.Throws<OpenFlowProtocolException>(() => OpenFlowCodec.Decode(packetOut));

        Assert.Equal(OfpErrorType.BadAction, exception.ErrorType);
        Assert.Equal((ushort)BadActionCode.BadLen, exception.ErrorCode);
    }

    [Fact]
    public void NxRegMove_ExperimenterFields_StaysOpaque()
    {
        byte[] action = Hex.Bytes("ffff 0018 00002320 0006 0010 0000 0000 ffff0000 80000606");
        byte[] packetOut = [.. Hex.Bytes("04 0d 0030 00000001 ffffffff fffffffd 0018 000000000000"), .. action];

        var decoded = (PacketOut)OpenFlowCodec.Decode(packetOut);

        Assert.IsType<ExperimenterAction>(decoded.Actions[0]);
        Assert.Equal(Hex.Of(packetOut), Hex.Of(decoded.ToArray()));
    }

    private static byte[] ToBytes(SetFieldAction action)
    {
        var packetOut = new PacketOut([action], default);
        return packetOut.ToArray()[24..];
    }
}
