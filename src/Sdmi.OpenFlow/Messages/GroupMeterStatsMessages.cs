using Sdmi.OpenFlow.Actions;
using Sdmi.OpenFlow.Wire;

namespace Sdmi.OpenFlow.Messages;

// Section 7.3.5 of OpenFlow 1.3.5: group statistics (7.3.5.9), group description (7.3.5.10),
// group features (7.3.5.11), meter statistics (7.3.5.12), meter configuration (7.3.5.13) and
// meter features (7.3.5.14).

/// <summary>
/// OFPMP_GROUP or OFPMP_METER / OFPMP_METER_CONFIG request: an id (4) and 4 pad.
/// <see cref="OfpGroupId.All"/> and <see cref="OfpMeterId.All"/> select everything.
/// </summary>
public sealed record IdMultipartRequest(MultipartType Kind, uint Id) : MultipartRequest
{
    public static IdMultipartRequest GroupStats(uint groupId = OfpGroupId.All) => new(MultipartType.Group, groupId);

    public static IdMultipartRequest MeterStats(uint meterId = OfpMeterId.All) => new(MultipartType.Meter, meterId);

    public static IdMultipartRequest MeterConfig(uint meterId = OfpMeterId.All) =>
        new(MultipartType.MeterConfig, meterId);

    public override MultipartType MultipartType => Kind;

    private protected override int MultipartBodyLength => 8;

    private protected override void WriteMultipartBody(ref WireWriter writer)
    {
        writer.WriteUInt32(Id);
        writer.WriteZeros(4);
    }
}

/// <summary>Packet and byte counters of one group bucket or meter band.</summary>
public readonly record struct Counters(ulong PacketCount, ulong ByteCount)
{
    public const int Size = 16;

    internal void Write(ref WireWriter writer)
    {
        writer.WriteUInt64(PacketCount);
        writer.WriteUInt64(ByteCount);
    }

    internal static EquatableArray<Counters> ReadAll(ref WireReader reader) =>
        FixedSizeEntries.Read(
            ref reader,
            Size,
            static (ref WireReader r) => new Counters(r.ReadUInt64(), r.ReadUInt64()));
}

/// <summary>
/// One group's counters (<c>struct ofp_group_stats</c>): length (2), 2 pad, group_id (4),
/// ref_count (4), 4 pad, packet_count (8), byte_count (8), duration (4 + 4), bucket counters.
/// </summary>
public sealed record GroupStats(
    uint GroupId,
    uint RefCount,
    ulong PacketCount,
    ulong ByteCount,
    uint DurationSeconds,
    uint DurationNanoseconds,
    EquatableArray<Counters> BucketStats)
{
    public const int FixedSize = 40;

    public int Length => FixedSize + (BucketStats.Count * Counters.Size);

    internal void Write(ref WireWriter writer)
    {
        writer.WriteUInt16((ushort)Length);
        writer.WriteZeros(2);
        writer.WriteUInt32(GroupId);
        writer.WriteUInt32(RefCount);
        writer.WriteZeros(4);
        writer.WriteUInt64(PacketCount);
        writer.WriteUInt64(ByteCount);
        writer.WriteUInt32(DurationSeconds);
        writer.WriteUInt32(DurationNanoseconds);
        foreach (Counters counters in BucketStats)
        {
            counters.Write(ref writer);
        }
    }

    internal static GroupStats Read(ref WireReader reader)
    {
        WireReader entry = LengthPrefixed.Take(ref reader, 0, FixedSize);
        entry.Skip(4);
        uint groupId = entry.ReadUInt32();
        uint refCount = entry.ReadUInt32();
        entry.Skip(4);
        ulong packets = entry.ReadUInt64();
        ulong bytes = entry.ReadUInt64();
        uint seconds = entry.ReadUInt32();
        uint nanoseconds = entry.ReadUInt32();
        return new GroupStats(groupId, refCount, packets, bytes, seconds, nanoseconds, Counters.ReadAll(ref entry));
    }
}

/// <summary>OFPMP_GROUP reply.</summary>
public sealed record GroupStatsReply(EquatableArray<GroupStats> Stats) : MultipartReply
{
    public override MultipartType MultipartType => MultipartType.Group;

    private protected override int MultipartBodyLength => Stats.Sum(stats => stats.Length);

    private protected override void WriteMultipartBody(ref WireWriter writer)
    {
        foreach (GroupStats stats in Stats)
        {
            stats.Write(ref writer);
        }
    }

    internal static GroupStatsReply ReadBody(ref WireReader reader) =>
        new(LengthPrefixed.ReadAll(ref reader, GroupStats.Read));
}

/// <summary>
/// One group's configuration (<c>struct ofp_group_desc</c>): length (2), type (1), 1 pad, group_id
/// (4), buckets.
/// </summary>
public sealed record GroupDescription(GroupType GroupType, uint GroupId, EquatableArray<Bucket> Buckets)
{
    public const int FixedSize = 8;

    public int Length => FixedSize + Buckets.Sum(bucket => bucket.Length);

    internal void Write(ref WireWriter writer)
    {
        writer.WriteUInt16((ushort)Length);
        writer.WriteUInt8((byte)GroupType);
        writer.WriteZeros(1);
        writer.WriteUInt32(GroupId);
        foreach (Bucket bucket in Buckets)
        {
            bucket.Write(ref writer);
        }
    }

    internal static GroupDescription Read(ref WireReader reader)
    {
        WireReader entry = LengthPrefixed.Take(ref reader, 0, FixedSize);
        entry.Skip(2);
        var type = (GroupType)entry.ReadUInt8();
        entry.Skip(1);
        uint groupId = entry.ReadUInt32();
        return new GroupDescription(type, groupId, Bucket.ReadList(ref entry));
    }
}

/// <summary>OFPMP_GROUP_DESC reply.</summary>
public sealed record GroupDescReply(EquatableArray<GroupDescription> Groups) : MultipartReply
{
    public override MultipartType MultipartType => MultipartType.GroupDesc;

    private protected override int MultipartBodyLength => Groups.Sum(group => group.Length);

    private protected override void WriteMultipartBody(ref WireWriter writer)
    {
        foreach (GroupDescription group in Groups)
        {
            group.Write(ref writer);
        }
    }

    internal static GroupDescReply ReadBody(ref WireReader reader) =>
        new(LengthPrefixed.ReadAll(ref reader, GroupDescription.Read));
}

/// <summary>OFPGFC_* group capabilities.</summary>
[Flags]
public enum GroupCapabilities : uint
{
    None = 0,
    SelectWeight = 1 << 0,
    SelectLiveness = 1 << 1,
    Chaining = 1 << 2,
    ChainingChecks = 1 << 3,
}

/// <summary>
/// OFPMP_GROUP_FEATURES reply (<c>struct ofp_group_features</c>): supported group types as a bitmap
/// of 1 &lt;&lt; <see cref="GroupType"/>, capabilities, then per group type the maximum number of
/// groups and a bitmap of supported <see cref="OfpActionType"/>s.
/// </summary>
public sealed record GroupFeaturesReply(
    uint Types,
    GroupCapabilities Capabilities,
    EquatableArray<uint> MaxGroups,
    EquatableArray<uint> Actions) : MultipartReply
{
    /// <summary>Number of group types in the max_groups and actions arrays.</summary>
    public const int GroupTypeCount = 4;

    public const int BodySize = 8 + (2 * GroupTypeCount * 4);

    public override MultipartType MultipartType => MultipartType.GroupFeatures;

    private protected override int MultipartBodyLength => BodySize;

    private protected override void WriteMultipartBody(ref WireWriter writer)
    {
        writer.WriteUInt32(Types);
        writer.WriteUInt32((uint)Capabilities);
        WriteFour(ref writer, MaxGroups);
        WriteFour(ref writer, Actions);
    }

    internal static GroupFeaturesReply ReadBody(ref WireReader reader)
    {
        uint types = reader.ReadUInt32();
        var capabilities = (GroupCapabilities)reader.ReadUInt32();
        return new GroupFeaturesReply(types, capabilities, ReadFour(ref reader), ReadFour(ref reader));
    }

    private static void WriteFour(ref WireWriter writer, EquatableArray<uint> values)
    {
        for (int i = 0; i < GroupTypeCount; i++)
        {
            writer.WriteUInt32(i < values.Count ? values[i] : 0);
        }
    }

    private static EquatableArray<uint> ReadFour(ref WireReader reader)
    {
        uint[] values = new uint[GroupTypeCount];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = reader.ReadUInt32();
        }

        return EquatableArray<uint>.FromOwned(values);
    }
}

/// <summary>
/// One meter's counters (<c>struct ofp_meter_stats</c>): meter_id (4), len (2), 6 pad,
/// flow_count (4), packet_in_count (8), byte_in_count (8), duration (4 + 4), band counters.
/// </summary>
public sealed record MeterStats(
    uint MeterId,
    uint FlowCount,
    ulong PacketInCount,
    ulong ByteInCount,
    uint DurationSeconds,
    uint DurationNanoseconds,
    EquatableArray<Counters> BandStats)
{
    public const int FixedSize = 40;

    public int Length => FixedSize + (BandStats.Count * Counters.Size);

    internal void Write(ref WireWriter writer)
    {
        writer.WriteUInt32(MeterId);
        writer.WriteUInt16((ushort)Length);
        writer.WriteZeros(6);
        writer.WriteUInt32(FlowCount);
        writer.WriteUInt64(PacketInCount);
        writer.WriteUInt64(ByteInCount);
        writer.WriteUInt32(DurationSeconds);
        writer.WriteUInt32(DurationNanoseconds);
        foreach (Counters counters in BandStats)
        {
            counters.Write(ref writer);
        }
    }

    internal static MeterStats Read(ref WireReader reader)
    {
        WireReader entry = LengthPrefixed.Take(ref reader, 4, FixedSize);
        uint meterId = entry.ReadUInt32();
        entry.Skip(8);
        uint flows = entry.ReadUInt32();
        ulong packets = entry.ReadUInt64();
        ulong bytes = entry.ReadUInt64();
        uint seconds = entry.ReadUInt32();
        uint nanoseconds = entry.ReadUInt32();
        return new MeterStats(meterId, flows, packets, bytes, seconds, nanoseconds, Counters.ReadAll(ref entry));
    }
}

/// <summary>OFPMP_METER reply.</summary>
public sealed record MeterStatsReply(EquatableArray<MeterStats> Stats) : MultipartReply
{
    public override MultipartType MultipartType => MultipartType.Meter;

    private protected override int MultipartBodyLength => Stats.Sum(stats => stats.Length);

    private protected override void WriteMultipartBody(ref WireWriter writer)
    {
        foreach (MeterStats stats in Stats)
        {
            stats.Write(ref writer);
        }
    }

    internal static MeterStatsReply ReadBody(ref WireReader reader) =>
        new(LengthPrefixed.ReadAll(ref reader, MeterStats.Read));
}

/// <summary>
/// One meter's configuration (<c>struct ofp_meter_config</c>): length (2), flags (2), meter_id (4),
/// bands.
/// </summary>
public sealed record MeterConfig(MeterFlags Flags, uint MeterId, EquatableArray<MeterBand> Bands)
{
    public const int FixedSize = 8;

    public int Length => FixedSize + MeterBand.GetListLength(Bands);

    internal void Write(ref WireWriter writer)
    {
        writer.WriteUInt16((ushort)Length);
        writer.WriteUInt16((ushort)Flags);
        writer.WriteUInt32(MeterId);
        MeterBand.WriteList(ref writer, Bands);
    }

    internal static MeterConfig Read(ref WireReader reader)
    {
        WireReader entry = LengthPrefixed.Take(ref reader, 0, FixedSize);
        entry.Skip(2);
        var flags = (MeterFlags)entry.ReadUInt16();
        uint meterId = entry.ReadUInt32();
        return new MeterConfig(flags, meterId, MeterBand.ReadList(ref entry));
    }
}

/// <summary>OFPMP_METER_CONFIG reply.</summary>
public sealed record MeterConfigReply(EquatableArray<MeterConfig> Meters) : MultipartReply
{
    public override MultipartType MultipartType => MultipartType.MeterConfig;

    private protected override int MultipartBodyLength => Meters.Sum(meter => meter.Length);

    private protected override void WriteMultipartBody(ref WireWriter writer)
    {
        foreach (MeterConfig meter in Meters)
        {
            meter.Write(ref writer);
        }
    }

    internal static MeterConfigReply ReadBody(ref WireReader reader) =>
        new(LengthPrefixed.ReadAll(ref reader, MeterConfig.Read));
}

/// <summary>
/// OFPMP_METER_FEATURES reply (<c>struct ofp_meter_features</c>): max_meter (4), band_types (4,
/// a bitmap of 1 &lt;&lt; <see cref="MeterBandType"/>), capabilities (4, <see cref="MeterFlags"/>),
/// max_bands (1), max_color (1), 2 pad.
/// </summary>
public sealed record MeterFeaturesReply(
    uint MaxMeter,
    uint BandTypes,
    MeterFlags Capabilities,
    byte MaxBands,
    byte MaxColor) : MultipartReply
{
    public const int BodySize = 16;

    public override MultipartType MultipartType => MultipartType.MeterFeatures;

    private protected override int MultipartBodyLength => BodySize;

    private protected override void WriteMultipartBody(ref WireWriter writer)
    {
        writer.WriteUInt32(MaxMeter);
        writer.WriteUInt32(BandTypes);
        writer.WriteUInt32((uint)Capabilities);
        writer.WriteUInt8(MaxBands);
        writer.WriteUInt8(MaxColor);
        writer.WriteZeros(2);
    }

    internal static MeterFeaturesReply ReadBody(ref WireReader reader)
    {
        var reply = new MeterFeaturesReply(
            reader.ReadUInt32(), reader.ReadUInt32(), (MeterFlags)reader.ReadUInt32(), reader.ReadUInt8(),
            reader.ReadUInt8());
        reader.Skip(2);
        return reply;
    }
}

/// <summary>Reads multipart entries that carry their own 16-bit length.</summary>
internal static class LengthPrefixed
{
    /// <summary>
    /// Takes the next entry as a nested reader. The length field sits at <paramref name="lengthOffset"/>
    /// and must be at least <paramref name="minimumLength"/> and fit the remaining bytes.
    /// </summary>
    public static WireReader Take(ref WireReader reader, int lengthOffset, int minimumLength)
    {
        if (reader.Remaining < minimumLength)
        {
            throw reader.FailLength($"{reader.Remaining} bytes left, too few for a {minimumLength}-byte entry");
        }

        ushort length = reader.PeekUInt16At(lengthOffset);
        if (length < minimumLength || length > reader.Remaining)
        {
            throw reader.FailLength(
                $"entry length {length} is below {minimumLength} or exceeds the {reader.Remaining} bytes left");
        }

        return reader.ReadNested(length, OfpErrorType.BadRequest, (ushort)BadRequestCode.BadLen);
    }

    public static EquatableArray<T> ReadAll<T>(ref WireReader reader, FixedSizeEntries.EntryReader<T> read)
    {
        var entries = new List<T>();
        while (!reader.IsEmpty)
        {
            entries.Add(read(ref reader));
        }

        return EquatableArray<T>.FromOwned([.. entries]);
    }
}
