using Sdmi.OpenFlow.Instructions;
using Sdmi.OpenFlow.Matching;
using Sdmi.OpenFlow.Wire;

namespace Sdmi.OpenFlow.Messages;

/// <summary>
/// OFPMP_FLOW request (section 7.3.5.2, <c>struct ofp_flow_stats_request</c>): table_id (1),
/// 3 pad, out_port (4), out_group (4), 4 pad, cookie (8), cookie_mask (8), then the padded match.
/// </summary>
public sealed record FlowStatsRequest : MultipartRequest
{
    public const int FixedSize = 32;

    public byte TableId { get; init; } = OfpTableId.All;

    public uint OutPort { get; init; } = OfpPortNo.Any;

    public uint OutGroup { get; init; } = OfpGroupId.Any;

    public ulong Cookie { get; init; }

    public ulong CookieMask { get; init; }

    public Match Match { get; init; } = Match.Any;

    public override MultipartType MultipartType => MultipartType.Flow;

    private protected override int MultipartBodyLength => FixedSize + Match.PaddedLength;

    private protected override void WriteMultipartBody(ref WireWriter writer) => WriteSelectors(ref writer);

    /// <summary>Writes the body, which OFPMP_AGGREGATE requests share.</summary>
    internal void WriteSelectors(ref WireWriter writer)
    {
        writer.WriteUInt8(TableId);
        writer.WriteZeros(3);
        writer.WriteUInt32(OutPort);
        writer.WriteUInt32(OutGroup);
        writer.WriteZeros(4);
        writer.WriteUInt64(Cookie);
        writer.WriteUInt64(CookieMask);
        Match.Write(ref writer);
    }

    internal static FlowStatsRequest ReadBody(ref WireReader reader)
    {
        byte tableId = reader.ReadUInt8();
        reader.Skip(3);
        uint outPort = reader.ReadUInt32();
        uint outGroup = reader.ReadUInt32();
        reader.Skip(4);
        ulong cookie = reader.ReadUInt64();
        ulong cookieMask = reader.ReadUInt64();
        Match match = Match.Read(ref reader);
        return new FlowStatsRequest
        {
            TableId = tableId,
            OutPort = outPort,
            OutGroup = outGroup,
            Cookie = cookie,
            CookieMask = cookieMask,
            Match = match,
        };
    }
}

/// <summary>
/// One flow entry in a flow statistics reply (<c>struct ofp_flow_stats</c>): 48 bytes of fixed
/// fields, the padded match, then the instructions.
/// </summary>
public sealed record FlowStats(
    byte TableId,
    uint DurationSeconds,
    uint DurationNanoseconds,
    ushort Priority,
    ushort IdleTimeout,
    ushort HardTimeout,
    FlowModFlags Flags,
    ulong Cookie,
    ulong PacketCount,
    ulong ByteCount,
    Match Match,
    EquatableArray<OfpInstruction> Instructions)
{
    public const int FixedSize = 48;

    public int Length => FixedSize + Match.PaddedLength + OfpInstruction.GetListLength(Instructions);

    internal void Write(ref WireWriter writer)
    {
        writer.WriteUInt16((ushort)Length);
        writer.WriteUInt8(TableId);
        writer.WriteZeros(1);
        writer.WriteUInt32(DurationSeconds);
        writer.WriteUInt32(DurationNanoseconds);
        writer.WriteUInt16(Priority);
        writer.WriteUInt16(IdleTimeout);
        writer.WriteUInt16(HardTimeout);
        writer.WriteUInt16((ushort)Flags);
        writer.WriteZeros(4);
        writer.WriteUInt64(Cookie);
        writer.WriteUInt64(PacketCount);
        writer.WriteUInt64(ByteCount);
        Match.Write(ref writer);
        OfpInstruction.WriteList(ref writer, Instructions);
    }

    internal static FlowStats Read(ref WireReader reader)
    {
        ushort length = reader.PeekUInt16();
        if (length < FixedSize + Padding.To8(Match.HeaderSize) || length > reader.Remaining)
        {
            throw reader.FailLength($"flow stats length {length} does not fit the {reader.Remaining} bytes left");
        }

        WireReader entry = reader.ReadNested(length, OfpErrorType.BadRequest, (ushort)BadRequestCode.BadLen);
        entry.Skip(2);
        byte tableId = entry.ReadUInt8();
        entry.Skip(1);
        uint seconds = entry.ReadUInt32();
        uint nanoseconds = entry.ReadUInt32();
        ushort priority = entry.ReadUInt16();
        ushort idleTimeout = entry.ReadUInt16();
        ushort hardTimeout = entry.ReadUInt16();
        var flags = (FlowModFlags)entry.ReadUInt16();
        entry.Skip(4);
        ulong cookie = entry.ReadUInt64();
        ulong packets = entry.ReadUInt64();
        ulong bytes = entry.ReadUInt64();
        Match match = Match.Read(ref entry);
        EquatableArray<OfpInstruction> instructions = OfpInstruction.ReadList(ref entry);
        return new FlowStats(
            tableId, seconds, nanoseconds, priority, idleTimeout, hardTimeout, flags, cookie, packets, bytes, match,
            instructions);
    }
}

/// <summary>
/// OFPMP_FLOW reply: one part of the flow statistics, see <see cref="MultipartReply.HasMore"/>.
/// </summary>
public sealed record FlowStatsReply(EquatableArray<FlowStats> Stats) : MultipartReply
{
    public override MultipartType MultipartType => MultipartType.Flow;

    private protected override int MultipartBodyLength
    {
        get
        {
            int length = 0;
            foreach (FlowStats stats in Stats)
            {
                length += stats.Length;
            }

            return length;
        }
    }

    private protected override void WriteMultipartBody(ref WireWriter writer)
    {
        foreach (FlowStats stats in Stats)
        {
            stats.Write(ref writer);
        }
    }

    internal static FlowStatsReply ReadBody(ref WireReader reader)
    {
        var stats = new List<FlowStats>();
        while (!reader.IsEmpty)
        {
            stats.Add(FlowStats.Read(ref reader));
        }

        return new FlowStatsReply(EquatableArray<FlowStats>.FromOwned([.. stats]));
    }
}
