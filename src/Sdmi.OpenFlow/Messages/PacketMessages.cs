using Sdmi.OpenFlow.Actions;
using Sdmi.OpenFlow.Matching;
using Sdmi.OpenFlow.Wire;

namespace Sdmi.OpenFlow.Messages;

/// <summary>OFPR_* reasons for a PACKET_IN.</summary>
public enum PacketInReason : byte
{
    NoMatch = 0,
    Action = 1,
    InvalidTtl = 2,
}

/// <summary>
/// OFPT_PACKET_IN (section 7.4.1, <c>struct ofp_packet_in</c>): 16 bytes of fixed fields, the
/// padded match with the packet's pipeline fields (in_port at least), 2 bytes of padding, then the
/// Ethernet frame.
/// </summary>
public sealed record PacketIn(
    uint BufferId,
    ushort TotalLength,
    PacketInReason Reason,
    byte TableId,
    ulong Cookie,
    Match Match,
    EquatableArray<byte> Data) : OpenFlowMessage
{
    public const int FixedBodySize = 16;

    /// <summary>
    /// Padding between the match and the frame, which aligns the IP header of the frame.
    /// </summary>
    public const int DataPadding = 2;

    public override OfpType Type => OfpType.PacketIn;

    /// <summary>
    /// The in_port field of the match, or null when the switch did not include it.
    /// </summary>
    public uint? InPort => Match.Find(OxmFieldId.InPort) is { } inPort ? (uint)inPort.ValueAsUInt64() : null;

    private protected override int BodyLength => FixedBodySize + Match.PaddedLength + DataPadding + Data.Count;

    private protected override void WriteBody(ref WireWriter writer)
    {
        writer.WriteUInt32(BufferId);
        writer.WriteUInt16(TotalLength);
        writer.WriteUInt8((byte)Reason);
        writer.WriteUInt8(TableId);
        writer.WriteUInt64(Cookie);
        Match.Write(ref writer);
        writer.WriteZeros(DataPadding);
        writer.WriteBytes(Data.AsSpan());
    }

    internal static PacketIn ReadBody(ref WireReader reader)
    {
        uint bufferId = reader.ReadUInt32();
        ushort totalLength = reader.ReadUInt16();
        var reason = (PacketInReason)reader.ReadUInt8();
        byte tableId = reader.ReadUInt8();
        ulong cookie = reader.ReadUInt64();
        Match match = Match.Read(ref reader);
        reader.Skip(DataPadding);
        var data = new EquatableArray<byte>(reader.ReadRemaining());
        return new PacketIn(bufferId, totalLength, reason, tableId, cookie, match, data);
    }
}

/// <summary>
/// OFPT_PACKET_OUT (section 7.3.7, <c>struct ofp_packet_out</c>): 16 bytes of fixed fields, the
/// actions, then the frame when <see cref="BufferId"/> is <see cref="OfpBufferId.NoBuffer"/>.
/// </summary>
public sealed record PacketOut(
    EquatableArray<OfpAction> Actions,
    EquatableArray<byte> Data,
    uint InPort = OfpPortNo.Controller,
    uint BufferId = OfpBufferId.NoBuffer) : OpenFlowMessage
{
    public const int FixedBodySize = 16;

    public override OfpType Type => OfpType.PacketOut;

    private protected override int BodyLength => FixedBodySize + OfpAction.GetListLength(Actions) + Data.Count;

    private protected override void WriteBody(ref WireWriter writer)
    {
        writer.WriteUInt32(BufferId);
        writer.WriteUInt32(InPort);
        writer.WriteUInt16((ushort)OfpAction.GetListLength(Actions));
        writer.WriteZeros(6);
        OfpAction.WriteList(ref writer, Actions);
        writer.WriteBytes(Data.AsSpan());
    }

    internal static PacketOut ReadBody(ref WireReader reader)
    {
        uint bufferId = reader.ReadUInt32();
        uint inPort = reader.ReadUInt32();
        ushort actionsLength = reader.ReadUInt16();
        reader.Skip(6);
        WireReader actionsReader = reader.ReadNested(
            actionsLength,
            OfpErrorType.BadRequest,
            (ushort)BadRequestCode.BadLen);
        EquatableArray<OfpAction> actions = OfpAction.ReadList(ref actionsReader);
        var data = new EquatableArray<byte>(reader.ReadRemaining());
        return new PacketOut(actions, data, inPort, bufferId);
    }
}
