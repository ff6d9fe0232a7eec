using Sdmi.OpenFlow.Matching;
using Sdmi.OpenFlow.Wire;

namespace Sdmi.OpenFlow.Messages;

/// <summary>OFPRR_* reasons for a FLOW_REMOVED.</summary>
public enum FlowRemovedReason : byte
{
    IdleTimeout = 0,
    HardTimeout = 1,
    Delete = 2,
    GroupDelete = 3,
}

/// <summary>
/// OFPT_FLOW_REMOVED (section 7.4.2, <c>struct ofp_flow_removed</c>): cookie (8), priority (2),
/// reason (1), table_id (1), duration_sec (4), duration_nsec (4), idle_timeout (2),
/// hard_timeout (2), packet_count (8), byte_count (8), then the padded match.
/// </summary>
public sealed record FlowRemoved(
    ulong Cookie,
    ushort Priority,
    FlowRemovedReason Reason,
    byte TableId,
    uint DurationSeconds,
    uint DurationNanoseconds,
    ushort IdleTimeout,
    ushort HardTimeout,
    ulong PacketCount,
    ulong ByteCount,
    Match Match) : OpenFlowMessage
{
    public const int FixedBodySize = 40;

    public override OfpType Type => OfpType.FlowRemoved;

    private protected override int BodyLength => FixedBodySize + Match.PaddedLength;

    private protected override void WriteBody(ref WireWriter writer)
    {
        writer.WriteUInt64(Cookie);
        writer.WriteUInt16(Priority);
        writer.WriteUInt8((byte)Reason);
        writer.WriteUInt8(TableId);
        writer.WriteUInt32(DurationSeconds);
        writer.WriteUInt32(DurationNanoseconds);
        writer.WriteUInt16(IdleTimeout);
        writer.WriteUInt16(HardTimeout);
        writer.WriteUInt64(PacketCount);
        writer.WriteUInt64(ByteCount);
        Match.Write(ref writer);
    }

    internal static FlowRemoved ReadBody(ref WireReader reader) => new(
        reader.ReadUInt64(),
        reader.ReadUInt16(),
        (FlowRemovedReason)reader.ReadUInt8(),
        reader.ReadUInt8(),
        reader.ReadUInt32(),
        reader.ReadUInt32(),
        reader.ReadUInt16(),
        reader.ReadUInt16(),
        reader.ReadUInt64(),
        reader.ReadUInt64(),
        Match.Read(ref reader));
}
