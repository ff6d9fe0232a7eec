using Sdmi.OpenFlow.Matching;
using Sdmi.OpenFlow.Wire;

namespace Sdmi.OpenFlow.Messages;

// Section 7.3.5 of OpenFlow 1.3.5: the multipart bodies for switch description (7.3.5.1),
// aggregate flow statistics (7.3.5.3), table statistics (7.3.5.4), port statistics (7.3.5.6)
// and queue statistics (7.3.5.8).

/// <summary>
/// A multipart request whose body is empty: OFPMP_DESC, TABLE, GROUP_DESC, GROUP_FEATURES or
/// METER_FEATURES.
/// </summary>
public sealed record EmptyMultipartRequest(MultipartType Kind) : MultipartRequest
{
    public static EmptyMultipartRequest Desc => new(MultipartType.Desc);

    public static EmptyMultipartRequest TableStats => new(MultipartType.Table);

    public static EmptyMultipartRequest GroupDesc => new(MultipartType.GroupDesc);

    public static EmptyMultipartRequest GroupFeatures => new(MultipartType.GroupFeatures);

    public static EmptyMultipartRequest MeterFeatures => new(MultipartType.MeterFeatures);

    public override MultipartType MultipartType => Kind;

    private protected override int MultipartBodyLength => 0;

    private protected override void WriteMultipartBody(ref WireWriter writer)
    {
    }
}

/// <summary>
/// OFPMP_DESC reply (<c>struct ofp_desc</c>): NUL-padded strings of 256, 256, 256, 32 and 256 bytes.
/// </summary>
public sealed record DescReply(
    string Manufacturer,
    string Hardware,
    string Software,
    string SerialNumber,
    string DatapathDescription) : MultipartReply
{
    public const int DescriptionSize = 256;
    public const int SerialNumberSize = 32;
    public const int BodySize = (4 * DescriptionSize) + SerialNumberSize;

    public override MultipartType MultipartType => MultipartType.Desc;

    private protected override int MultipartBodyLength => BodySize;

    private protected override void WriteMultipartBody(ref WireWriter writer)
    {
        PortDescription.WriteFixedString(ref writer, Manufacturer, DescriptionSize);
        PortDescription.WriteFixedString(ref writer, Hardware, DescriptionSize);
        PortDescription.WriteFixedString(ref writer, Software, DescriptionSize);
        PortDescription.WriteFixedString(ref writer, SerialNumber, SerialNumberSize);
        PortDescription.WriteFixedString(ref writer, DatapathDescription, DescriptionSize);
    }

    internal static DescReply ReadBody(ref WireReader reader) => new(
        PortDescription.ReadFixedString(reader.ReadBytes(DescriptionSize)),
        PortDescription.ReadFixedString(reader.ReadBytes(DescriptionSize)),
        PortDescription.ReadFixedString(reader.ReadBytes(DescriptionSize)),
        PortDescription.ReadFixedString(reader.ReadBytes(SerialNumberSize)),
        PortDescription.ReadFixedString(reader.ReadBytes(DescriptionSize)));
}

/// <summary>OFPMP_AGGREGATE request: the same body as <see cref="FlowStatsRequest"/>.</summary>
public sealed record AggregateStatsRequest : MultipartRequest
{
    public byte TableId { get; init; } = OfpTableId.All;

    public uint OutPort { get; init; } = OfpPortNo.Any;

    public uint OutGroup { get; init; } = OfpGroupId.Any;

    public ulong Cookie { get; init; }

    public ulong CookieMask { get; init; }

    public Match Match { get; init; } = Match.Any;

    public override MultipartType MultipartType => MultipartType.Aggregate;

    private protected override int MultipartBodyLength => FlowStatsRequest.FixedSize + Match.PaddedLength;

    private protected override void WriteMultipartBody(ref WireWriter writer) =>
        ToFlowStatsRequest().WriteSelectors(ref writer);

    internal static AggregateStatsRequest ReadBody(ref WireReader reader)
    {
        FlowStatsRequest selectors = FlowStatsRequest.ReadBody(ref reader);
        return new AggregateStatsRequest
        {
            TableId = selectors.TableId,
            OutPort = selectors.OutPort,
            OutGroup = selectors.OutGroup,
            Cookie = selectors.Cookie,
            CookieMask = selectors.CookieMask,
            Match = selectors.Match,
        };
    }

    private FlowStatsRequest ToFlowStatsRequest() => new()
    {
        TableId = TableId,
        OutPort = OutPort,
        OutGroup = OutGroup,
        Cookie = Cookie,
        CookieMask = CookieMask,
        Match = Match,
    };
}

/// <summary>
/// OFPMP_AGGREGATE reply: packet_count (8), byte_count (8), flow_count (4), 4 pad.
/// </summary>
public sealed record AggregateStatsReply(ulong PacketCount, ulong ByteCount, uint FlowCount) : MultipartReply
{
    public const int BodySize = 24;

    public override MultipartType MultipartType => MultipartType.Aggregate;

    private protected override int MultipartBodyLength => BodySize;

    private protected override void WriteMultipartBody(ref WireWriter writer)
    {
        writer.WriteUInt64(PacketCount);
        writer.WriteUInt64(ByteCount);
        writer.WriteUInt32(FlowCount);
        writer.WriteZeros(4);
    }

    internal static AggregateStatsReply ReadBody(ref WireReader reader)
    {
        var reply = new AggregateStatsReply(reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadUInt32());
        reader.Skip(4);
        return reply;
    }
}

/// <summary>One table's counters (<c>struct ofp_table_stats</c>), 24 bytes.</summary>
public sealed record TableStats(byte TableId, uint ActiveCount, ulong LookupCount, ulong MatchedCount)
{
    public const int Size = 24;

    internal void Write(ref WireWriter writer)
    {
        writer.WriteUInt8(TableId);
        writer.WriteZeros(3);
        writer.WriteUInt32(ActiveCount);
        writer.WriteUInt64(LookupCount);
        writer.WriteUInt64(MatchedCount);
    }

    internal static TableStats Read(ref WireReader reader)
    {
        byte tableId = reader.ReadUInt8();
        reader.Skip(3);
        return new TableStats(tableId, reader.ReadUInt32(), reader.ReadUInt64(), reader.ReadUInt64());
    }
}

/// <summary>OFPMP_TABLE reply.</summary>
public sealed record TableStatsReply(EquatableArray<TableStats> Stats) : MultipartReply
{
    public override MultipartType MultipartType => MultipartType.Table;

    private protected override int MultipartBodyLength => Stats.Count * TableStats.Size;

    private protected override void WriteMultipartBody(ref WireWriter writer)
    {
        foreach (TableStats stats in Stats)
        {
            stats.Write(ref writer);
        }
    }

    internal static TableStatsReply ReadBody(ref WireReader reader) =>
        new(FixedSizeEntries.Read(ref reader, TableStats.Size, TableStats.Read));
}

/// <summary>
/// OFPMP_PORT_STATS request: port_no (4), 4 pad. <see cref="OfpPortNo.Any"/> selects every port.
/// </summary>
public sealed record PortStatsRequest(uint PortNo = OfpPortNo.Any) : MultipartRequest
{
    public override MultipartType MultipartType => MultipartType.PortStats;

    private protected override int MultipartBodyLength => 8;

    private protected override void WriteMultipartBody(ref WireWriter writer)
    {
        writer.WriteUInt32(PortNo);
        writer.WriteZeros(4);
    }
}

/// <summary>
/// One port's counters (<c>struct ofp_port_stats</c>), 112 bytes. Counters the switch lacks are all
/// ones.
/// </summary>
public sealed record PortStats(
    uint PortNo,
    ulong RxPackets,
    ulong TxPackets,
    ulong RxBytes,
    ulong TxBytes,
    ulong RxDropped,
    ulong TxDropped,
    ulong RxErrors,
    ulong TxErrors,
    ulong RxFrameErrors,
    ulong RxOverErrors,
    ulong RxCrcErrors,
    ulong Collisions,
    uint DurationSeconds,
    uint DurationNanoseconds)
{
    public const int Size = 112;

    internal void Write(ref WireWriter writer)
    {
        writer.WriteUInt32(PortNo);
        writer.WriteZeros(4);
        writer.WriteUInt64(RxPackets);
        writer.WriteUInt64(TxPackets);
        writer.WriteUInt64(RxBytes);
        writer.WriteUInt64(TxBytes);
        writer.WriteUInt64(RxDropped);
        writer.WriteUInt64(TxDropped);
        writer.WriteUInt64(RxErrors);
        writer.WriteUInt64(TxErrors);
        writer.WriteUInt64(RxFrameErrors);
        writer.WriteUInt64(RxOverErrors);
        writer.WriteUInt64(RxCrcErrors);
        writer.WriteUInt64(Collisions);
        writer.WriteUInt32(DurationSeconds);
        writer.WriteUInt32(DurationNanoseconds);
    }

    internal static PortStats Read(ref WireReader reader)
    {
        uint portNo = reader.ReadUInt32();
        reader.Skip(4);
        return new PortStats(
            portNo,
            reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadUInt64(),
            reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadUInt64(),
            reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadUInt64(),
            reader.ReadUInt32(), reader.ReadUInt32());
    }
}

/// <summary>OFPMP_PORT_STATS reply.</summary>
public sealed record PortStatsReply(EquatableArray<PortStats> Stats) : MultipartReply
{
    public override MultipartType MultipartType => MultipartType.PortStats;

    private protected override int MultipartBodyLength => Stats.Count * PortStats.Size;

    private protected override void WriteMultipartBody(ref WireWriter writer)
    {
        foreach (PortStats stats in Stats)
        {
            stats.Write(ref writer);
        }
    }

    internal static PortStatsReply ReadBody(ref WireReader reader) =>
        new(FixedSizeEntries.Read(ref reader, PortStats.Size, PortStats.Read));
}

/// <summary>
/// OFPMP_QUEUE request: port_no (4), queue_id (4). OFPP_ANY and OFPQ_ALL select everything.
/// </summary>
public sealed record QueueStatsRequest(uint PortNo = OfpPortNo.Any, uint QueueId = QueueStatsRequest.AllQueues)
    : MultipartRequest
{
    /// <summary>OFPQ_ALL.</summary>
    public const uint AllQueues = 0xffff_ffff;

    public override MultipartType MultipartType => MultipartType.Queue;

    private protected override int MultipartBodyLength => 8;

    private protected override void WriteMultipartBody(ref WireWriter writer)
    {
        writer.WriteUInt32(PortNo);
        writer.WriteUInt32(QueueId);
    }
}

/// <summary>One queue's counters (<c>struct ofp_queue_stats</c>), 40 bytes.</summary>
public sealed record QueueStats(
    uint PortNo,
    uint QueueId,
    ulong TxBytes,
    ulong TxPackets,
    ulong TxErrors,
    uint DurationSeconds,
    uint DurationNanoseconds)
{
    public const int Size = 40;

    internal void Write(ref WireWriter writer)
    {
        writer.WriteUInt32(PortNo);
        writer.WriteUInt32(QueueId);
        writer.WriteUInt64(TxBytes);
        writer.WriteUInt64(TxPackets);
        writer.WriteUInt64(TxErrors);
        writer.WriteUInt32(DurationSeconds);
        writer.WriteUInt32(DurationNanoseconds);
    }

    internal static QueueStats Read(ref WireReader reader) => new(
        reader.ReadUInt32(), reader.ReadUInt32(), reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadUInt64(),
        reader.ReadUInt32(), reader.ReadUInt32());
}

/// <summary>OFPMP_QUEUE reply.</summary>
public sealed record QueueStatsReply(EquatableArray<QueueStats> Stats) : MultipartReply
{
    public override MultipartType MultipartType => MultipartType.Queue;

    private protected override int MultipartBodyLength => Stats.Count * QueueStats.Size;

    private protected override void WriteMultipartBody(ref WireWriter writer)
    {
        foreach (QueueStats stats in Stats)
        {
            stats.Write(ref writer);
        }
    }

    internal static QueueStatsReply ReadBody(ref WireReader reader) =>
        new(FixedSizeEntries.Read(ref reader, QueueStats.Size, QueueStats.Read));
}

/// <summary>Reads a multipart body that is an array of fixed-size entries.</summary>
internal static class FixedSizeEntries
{
    public delegate T EntryReader<out T>(ref WireReader reader);

    public static EquatableArray<T> Read<T>(ref WireReader reader, int entrySize, EntryReader<T> read)
    {
        if (reader.Remaining % entrySize != 0)
        {
            throw reader.FailLength(
                $"body of {reader.Remaining} bytes is not a multiple of the {entrySize}-byte entry");
        }

        var entries = new T[reader.Remaining / entrySize];
        for (int i = 0; i < entries.Length; i++)
        {
            entries[i] = read(ref reader);
        }

        return EquatableArray<T>.FromOwned(entries);
    }
}
