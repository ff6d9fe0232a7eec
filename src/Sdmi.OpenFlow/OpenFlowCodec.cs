using System.Buffers;
using Sdmi.OpenFlow.Actions;
using Sdmi.OpenFlow.Messages;
using Sdmi.OpenFlow.Wire;

namespace Sdmi.OpenFlow;

/// <summary>
/// Decodes OpenFlow 1.3 messages. The Try methods return <see cref="OperationStatus.NeedMoreData"/>
/// while the input contains less than one whole message and never throw for that. Malformed input
/// raises <see cref="OpenFlowProtocolException"/>.
/// </summary>
public static class OpenFlowCodec
{
    /// <summary>
    /// Decodes the first message of <paramref name="buffer"/>. The length field is checked before
    /// the body is looked at, so a bad length fails at once instead of waiting for more data.
    /// </summary>
    public static OperationStatus TryDecode(
        ReadOnlySpan<byte> buffer, out OpenFlowMessage? message, out int bytesConsumed)
    {
        message = null;
        bytesConsumed = 0;
        if (OfpHeader.TryRead(buffer, out OfpHeader header) != OperationStatus.Done)
        {
            return OperationStatus.NeedMoreData;
        }

        header.ValidateLength();
        if (buffer.Length < header.Length)
        {
            return OperationStatus.NeedMoreData;
        }

        message = DecodeExact(buffer[..header.Length], 0);
        bytesConsumed = header.Length;
        return OperationStatus.Done;
    }

    /// <summary>
    /// Decodes the first message of a possibly segmented <paramref name="buffer"/>, as read from a
    /// <see cref="System.IO.Pipelines.PipeReader"/>. <paramref name="consumed"/> is the position after the message.
    /// </summary>
    public static OperationStatus TryDecode(
        in ReadOnlySequence<byte> buffer, out OpenFlowMessage? message, out SequencePosition consumed)
    {
        message = null;
        consumed = buffer.Start;
        if (!TryReadFrame(buffer, out ReadOnlySequence<byte> frame))
        {
            return OperationStatus.NeedMoreData;
        }

        message = Decode(frame);
        consumed = frame.End;
        return OperationStatus.Done;
    }

    /// <summary>
    /// Finds the first whole message in <paramref name="buffer"/> without decoding its body.
    /// Returns false while the message is incomplete and throws when its length field is below 8.
    /// </summary>
    public static bool TryReadFrame(in ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> frame)
    {
        frame = default;
        Span<byte> headerBytes = stackalloc byte[OfpHeader.Size];
        if (buffer.Length < OfpHeader.Size)
        {
            return false;
        }

        buffer.Slice(0, OfpHeader.Size).CopyTo(headerBytes);
        OfpHeader.TryRead(headerBytes, out OfpHeader header);
        header.ValidateLength();
        if (buffer.Length < header.Length)
        {
            return false;
        }

        frame = buffer.Slice(0, header.Length);
        return true;
    }

    /// <summary>Decodes one whole message held in a possibly segmented sequence.</summary>
    public static OpenFlowMessage Decode(in ReadOnlySequence<byte> message)
    {
        if (message.IsSingleSegment)
        {
            return Decode(message.FirstSpan);
        }

        int length = checked((int)message.Length);
        byte[] rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            message.CopyTo(rented);
            return Decode(rented.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Decodes exactly one message. Throws when <paramref name="message"/> is shorter or longer
    /// than the header's length field.
    /// </summary>
    public static OpenFlowMessage Decode(ReadOnlySpan<byte> message)
    {
        if (OfpHeader.TryRead(message, out OfpHeader header) != OperationStatus.Done)
        {
            throw new OpenFlowProtocolException(
                OfpErrorType.BadRequest,
                (ushort)BadRequestCode.BadLen,
                null,
                0,
                0,
                $"{message.Length} bytes are too few for an OpenFlow header");
        }

        header.ValidateLength();
        if (header.Length != message.Length)
        {
            throw new OpenFlowProtocolException(
                OfpErrorType.BadRequest,
                (ushort)BadRequestCode.BadLen,
                header.Type,
                header.Xid,
                2,
                $"header length {header.Length} differs from the {message.Length} bytes given");
        }

        return DecodeExact(message, 0);
    }

    /// <summary>Decodes a message whose length the caller has checked against its header.</summary>
    internal static OpenFlowMessage DecodeExact(ReadOnlySpan<byte> message, int baseOffset)
    {
        OfpHeader.TryRead(message, out OfpHeader header);
        if (header.Version != OfpHeader.Version13 && header.Type != OfpType.Hello)
        {
            throw new OpenFlowProtocolException(
                OfpErrorType.BadRequest,
                (ushort)BadRequestCode.BadVersion,
                header.Type,
                header.Xid,
                baseOffset,
                $"version 0x{header.Version:x2} is not OpenFlow 1.3 (0x04)");
        }

        var reader = new WireReader(message, header.Type, header.Xid, baseOffset);
        reader.Skip(OfpHeader.Size);
        OpenFlowMessage decoded = DecodeBody(header, ref reader);
        if (!reader.IsEmpty)
        {
            throw reader.FailLength($"{reader.Remaining} bytes are left after the {header.Type} body");
        }

        decoded.SetDecodedXid(header.Xid);
        return decoded;
    }

    private static OpenFlowMessage DecodeBody(OfpHeader header, ref WireReader reader)
    {
        switch (header.Type)
        {
            case OfpType.Hello:
                return HelloMessage.ReadBody(ref reader, header.Version);
            case OfpType.Error:
                return ErrorMessage.ReadBody(ref reader);
            case OfpType.EchoRequest:
                return new EchoRequest(new EquatableArray<byte>(reader.ReadRemaining()));
            case OfpType.EchoReply:
                return new EchoReply(new EquatableArray<byte>(reader.ReadRemaining()));
            case OfpType.Experimenter:
                return DecodeExperimenter(ref reader);
            case OfpType.FeaturesRequest:
                return new FeaturesRequest();
            case OfpType.FeaturesReply:
                return FeaturesReply.ReadBody(ref reader);
            case OfpType.GetConfigRequest:
                return new GetConfigRequest();
            case OfpType.GetConfigReply:
                return new GetConfigReply((SwitchConfigFlags)reader.ReadUInt16(), reader.ReadUInt16());
            case OfpType.SetConfig:
                return new SetConfig((SwitchConfigFlags)reader.ReadUInt16(), reader.ReadUInt16());
            case OfpType.PacketIn:
                return PacketIn.ReadBody(ref reader);
            case OfpType.FlowRemoved:
                return FlowRemoved.ReadBody(ref reader);
            case OfpType.PortStatus:
                return PortStatus.ReadBody(ref reader);
            case OfpType.PacketOut:
                return PacketOut.ReadBody(ref reader);
            case OfpType.FlowMod:
                return FlowMod.ReadBody(ref reader);
            case OfpType.GroupMod:
                return GroupMod.ReadBody(ref reader);
            case OfpType.MultipartRequest:
                return MultipartCodec.ReadRequest(ref reader);
            case OfpType.MultipartReply:
                return MultipartCodec.ReadReply(ref reader);
            case OfpType.BarrierRequest:
                return new BarrierRequest();
            case OfpType.BarrierReply:
                return new BarrierReply();
            case OfpType.RoleRequest:
                (ControllerRole role, ulong generation) = RoleMessage.ReadFields(ref reader);
                return new RoleRequest(role, generation);
            case OfpType.RoleReply:
                (ControllerRole replyRole, ulong replyGeneration) = RoleMessage.ReadFields(ref reader);
                return new RoleReply(replyRole, replyGeneration);
            case OfpType.PortMod:
                return PortMod.ReadBody(ref reader);
            case OfpType.TableMod:
                return TableMod.ReadBody(ref reader);
            case OfpType.QueueGetConfigRequest:
                uint port = reader.ReadUInt32();
                reader.Skip(4);
                return new QueueGetConfigRequest(port);
            case OfpType.QueueGetConfigReply:
                return QueueGetConfigReply.ReadBody(ref reader);
            case OfpType.GetAsyncRequest:
                return new GetAsyncRequest();
            case OfpType.GetAsyncReply:
                return GetAsyncReply.ReadBody(ref reader);
            case OfpType.SetAsync:
                return SetAsync.ReadBody(ref reader);
            case OfpType.MeterMod:
                return MeterMod.ReadBody(ref reader);
            default:
                throw new OpenFlowProtocolException(
                    OfpErrorType.BadRequest,
                    (ushort)BadRequestCode.BadType,
                    header.Type,
                    header.Xid,
                    1,
                    $"message type {(byte)header.Type} is not defined by OpenFlow 1.3");
        }
    }

    private static OpenFlowMessage DecodeExperimenter(ref WireReader reader)
    {
        uint experimenter = reader.ReadUInt32();
        uint experimenterType = reader.ReadUInt32();
        if (experimenter == ExperimenterIds.OpenNetworkingFoundation)
        {
            switch (experimenterType)
            {
                case OnfExperimenterTypes.BundleControl:
                    return BundleControlMessage.ReadBody(ref reader);
                case OnfExperimenterTypes.BundleAddMessage:
                    return BundleAddMessage.ReadBody(ref reader);
            }
        }

        return new ExperimenterMessage(
            experimenter,
            experimenterType,
            new EquatableArray<byte>(reader.ReadRemaining()));
    }
}
