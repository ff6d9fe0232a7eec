using Sdmi.OpenFlow.Wire;

namespace Sdmi.OpenFlow.Messages;

// Section 7.3.5.5 of OpenFlow 1.3.5, "Table Features", and OFPMP_EXPERIMENTER (7.3.5.15).

/// <summary>OFPTFPT_* table feature property types.</summary>
public enum TableFeaturePropertyType : ushort
{
    Instructions = 0,
    InstructionsMiss = 1,
    NextTables = 2,
    NextTablesMiss = 3,
    WriteActions = 4,
    WriteActionsMiss = 5,
    ApplyActions = 6,
    ApplyActionsMiss = 7,
    Match = 8,
    Wildcards = 10,
    WriteSetField = 12,
    WriteSetFieldMiss = 13,
    ApplySetField = 14,
    ApplySetFieldMiss = 15,
    Experimenter = 0xfffe,
    ExperimenterMiss = 0xffff,
}

/// <summary>
/// One table's features (<c>struct ofp_table_features</c>): length (2), table_id (1), 5 pad,
/// name (32), metadata_match (8), metadata_write (8), config (4), max_entries (4), properties.
/// </summary>
public sealed record TableFeatures(
    byte TableId,
    string Name,
    ulong MetadataMatch,
    ulong MetadataWrite,
    uint Config,
    uint MaxEntries,
    EquatableArray<TableFeatureProperty> Properties)
{
    public const int FixedSize = 64;

    /// <summary>OFP_MAX_TABLE_NAME_LEN.</summary>
    public const int NameFieldSize = 32;

    public int Length => FixedSize + Properties.Sum(property => Padding.To8(property.Length));

    internal void Write(ref WireWriter writer)
    {
        writer.WriteUInt16((ushort)Length);
        writer.WriteUInt8(TableId);
        writer.WriteZeros(5);
        PortDescription.WriteFixedString(ref writer, Name, NameFieldSize);
        writer.WriteUInt64(MetadataMatch);
        writer.WriteUInt64(MetadataWrite);
        writer.WriteUInt32(Config);
        writer.WriteUInt32(MaxEntries);
        foreach (TableFeatureProperty property in Properties)
        {
            int start = writer.Position;
            property.Write(ref writer);
            writer.PadTo8(start);
        }
    }

    internal static TableFeatures Read(ref WireReader reader)
    {
        WireReader entry = LengthPrefixed.Take(ref reader, 0, FixedSize);
        entry.Skip(2);
        byte tableId = entry.ReadUInt8();
        entry.Skip(5);
        string name = PortDescription.ReadFixedString(entry.ReadBytes(NameFieldSize));
        ulong metadataMatch = entry.ReadUInt64();
        ulong metadataWrite = entry.ReadUInt64();
        uint config = entry.ReadUInt32();
        uint maxEntries = entry.ReadUInt32();
        var properties = new List<TableFeatureProperty>();
        while (!entry.IsEmpty)
        {
            properties.Add(TableFeatureProperty.Read(ref entry));
        }

        return new TableFeatures(
            tableId, name, metadataMatch, metadataWrite, config, maxEntries,
            EquatableArray<TableFeatureProperty>.FromOwned([.. properties]));
    }
}

/// <summary>
/// An instruction or action id in a table feature property: its type, and for experimenter
/// types the bytes after the 4-byte type and length (the experimenter id and any data).
/// </summary>
public readonly record struct FeatureId(ushort Type, EquatableArray<byte> ExperimenterData = default)
{
    public int Length => 4 + ExperimenterData.Count;
}

/// <summary>
/// An OXM id in a table feature property: a 32-bit OXM header, followed by a 32-bit experimenter
/// id when the header's class is OFPXMC_EXPERIMENTER.
/// </summary>
public readonly record struct OxmId(uint Header, uint Experimenter = 0)
{
    public bool IsExperimenter => Header >> 16 == Matching.OxmClass.Experimenter;

    public int Length => IsExperimenter ? 8 : 4;
}

/// <summary>
/// A table feature property (<c>struct ofp_table_feature_prop_header</c>): type (2), length (2) that
/// excludes the padding to 8 bytes, then a body that depends on the type.
/// </summary>
public abstract record TableFeatureProperty(TableFeaturePropertyType PropertyType)
{
    public const int HeaderSize = 4;

    /// <summary>Value of the length field: header and body, no padding.</summary>
    public abstract int Length { get; }

    internal void Write(ref WireWriter writer)
    {
        writer.WriteUInt16((ushort)PropertyType);
        writer.WriteUInt16((ushort)Length);
        WriteBody(ref writer);
    }

    private protected abstract void WriteBody(ref WireWriter writer);

    internal static TableFeatureProperty Read(ref WireReader reader)
    {
        if (reader.Remaining < HeaderSize)
        {
            throw BadLength(ref reader, $"{reader.Remaining} bytes left, too few for a table feature property");
        }

        var type = (TableFeaturePropertyType)reader.PeekUInt16();
        ushort length = reader.PeekUInt16At(2);
        if (length < HeaderSize || Padding.To8(length) > reader.Remaining)
        {
            throw BadLength(
                ref reader,
                $"table feature property {type} length {length} exceeds the {reader.Remaining} bytes left");
        }

        WireReader body = reader.ReadNested(
            length, OfpErrorType.TableFeaturesFailed, (ushort)TableFeaturesFailedCode.BadLen);
        reader.Skip(Padding.To8(length) - length);
        body.Skip(HeaderSize);
        return type switch
        {
            TableFeaturePropertyType.Instructions or TableFeaturePropertyType.InstructionsMiss
                or TableFeaturePropertyType.WriteActions or TableFeaturePropertyType.WriteActionsMiss
                or TableFeaturePropertyType.ApplyActions or TableFeaturePropertyType.ApplyActionsMiss =>
                new FeatureIdsProperty(type, ReadFeatureIds(ref body)),
            TableFeaturePropertyType.NextTables or TableFeaturePropertyType.NextTablesMiss =>
                new NextTablesProperty(type, new EquatableArray<byte>(body.ReadRemaining())),
            TableFeaturePropertyType.Match or TableFeaturePropertyType.Wildcards
                or TableFeaturePropertyType.WriteSetField or TableFeaturePropertyType.WriteSetFieldMiss
                or TableFeaturePropertyType.ApplySetField or TableFeaturePropertyType.ApplySetFieldMiss =>
                new OxmIdsProperty(type, ReadOxmIds(ref body)),
            TableFeaturePropertyType.Experimenter or TableFeaturePropertyType.ExperimenterMiss =>
                new ExperimenterTableProperty(
                    type, body.ReadUInt32(), body.ReadUInt32(), new EquatableArray<byte>(body.ReadRemaining())),
            _ => new UnknownTableProperty((ushort)type, new EquatableArray<byte>(body.ReadRemaining())),
        };
    }

    private static EquatableArray<FeatureId> ReadFeatureIds(ref WireReader body)
    {
        var ids = new List<FeatureId>();
        while (!body.IsEmpty)
        {
            ushort type = body.ReadUInt16();
            ushort length = body.ReadUInt16();
            if (length < 4 || length - 4 > body.Remaining)
            {
                throw BadLength(ref body, $"instruction or action id length {length} is invalid");
            }

            ids.Add(new FeatureId(type, new EquatableArray<byte>(body.ReadBytes(length - 4))));
        }

        return EquatableArray<FeatureId>.FromOwned([.. ids]);
    }

    private static EquatableArray<OxmId> ReadOxmIds(ref WireReader body)
    {
        var ids = new List<OxmId>();
        while (!body.IsEmpty)
        {
            uint header = body.ReadUInt32();
            var id = new OxmId(header);
            ids.Add(id.IsExperimenter ? id with { Experimenter = body.ReadUInt32() } : id);
        }

        return EquatableArray<OxmId>.FromOwned([.. ids]);
    }

    private static OpenFlowProtocolException BadLength(ref WireReader reader, string reason) =>
        reader.Fail(OfpErrorType.TableFeaturesFailed, (ushort)TableFeaturesFailedCode.BadLen, reason);
}

/// <summary>
/// OFPTFPT_INSTRUCTIONS, WRITE_ACTIONS or APPLY_ACTIONS (and their _MISS forms): supported ids.
/// </summary>
public sealed record FeatureIdsProperty(TableFeaturePropertyType PropertyType, EquatableArray<FeatureId> Ids)
    : TableFeatureProperty(PropertyType)
{
    public override int Length => HeaderSize + Ids.Sum(id => id.Length);

    private protected override void WriteBody(ref WireWriter writer)
    {
        foreach (FeatureId id in Ids)
        {
            writer.WriteUInt16(id.Type);
            writer.WriteUInt16((ushort)id.Length);
            writer.WriteBytes(id.ExperimenterData.AsSpan());
        }
    }
}

/// <summary>OFPTFPT_NEXT_TABLES or NEXT_TABLES_MISS: the tables a goto_table may reach.</summary>
public sealed record NextTablesProperty(TableFeaturePropertyType PropertyType, EquatableArray<byte> TableIds)
    : TableFeatureProperty(PropertyType)
{
    public override int Length => HeaderSize + TableIds.Count;

    private protected override void WriteBody(ref WireWriter writer) => writer.WriteBytes(TableIds.AsSpan());
}

/// <summary>
/// OFPTFPT_MATCH, WILDCARDS, WRITE_SETFIELD or APPLY_SETFIELD (and _MISS forms): supported fields.
/// </summary>
public sealed record OxmIdsProperty(TableFeaturePropertyType PropertyType, EquatableArray<OxmId> Ids)
    : TableFeatureProperty(PropertyType)
{
    public override int Length => HeaderSize + Ids.Sum(id => id.Length);

    private protected override void WriteBody(ref WireWriter writer)
    {
        foreach (OxmId id in Ids)
        {
            writer.WriteUInt32(id.Header);
            if (id.IsExperimenter)
            {
                writer.WriteUInt32(id.Experimenter);
            }
        }
    }
}

/// <summary>OFPTFPT_EXPERIMENTER or EXPERIMENTER_MISS, with its data as raw bytes.</summary>
public sealed record ExperimenterTableProperty(
    TableFeaturePropertyType PropertyType,
    uint Experimenter,
    uint ExperimenterType,
    EquatableArray<byte> Data) : TableFeatureProperty(PropertyType)
{
    public override int Length => HeaderSize + 8 + Data.Count;

    private protected override void WriteBody(ref WireWriter writer)
    {
        writer.WriteUInt32(Experimenter);
        writer.WriteUInt32(ExperimenterType);
        writer.WriteBytes(Data.AsSpan());
    }
}

/// <summary>
/// A table feature property of a type this library does not know, kept as raw bytes.
/// </summary>
public sealed record UnknownTableProperty(ushort Type, EquatableArray<byte> Body)
    : TableFeatureProperty((TableFeaturePropertyType)Type)
{
    public override int Length => HeaderSize + Body.Count;

    private protected override void WriteBody(ref WireWriter writer) => writer.WriteBytes(Body.AsSpan());
}

/// <summary>
/// OFPMP_TABLE_FEATURES request: empty to read the features, or the complete new table
/// configuration to set them.
/// </summary>
public sealed record TableFeaturesRequest(EquatableArray<TableFeatures> Tables = default) : MultipartRequest
{
    public override MultipartType MultipartType => MultipartType.TableFeatures;

    private protected override int MultipartBodyLength => Tables.Sum(table => table.Length);

    private protected override void WriteMultipartBody(ref WireWriter writer)
    {
        foreach (TableFeatures table in Tables)
        {
            table.Write(ref writer);
        }
    }

    internal static TableFeaturesRequest ReadBody(ref WireReader reader) =>
        new(LengthPrefixed.ReadAll(ref reader, TableFeatures.Read));
}

/// <summary>OFPMP_TABLE_FEATURES reply.</summary>
public sealed record TableFeaturesReply(EquatableArray<TableFeatures> Tables) : MultipartReply
{
    public override MultipartType MultipartType => MultipartType.TableFeatures;

    private protected override int MultipartBodyLength => Tables.Sum(table => table.Length);

    private protected override void WriteMultipartBody(ref WireWriter writer)
    {
        foreach (TableFeatures table in Tables)
        {
            table.Write(ref writer);
        }
    }

    internal static TableFeaturesReply ReadBody(ref WireReader reader) =>
        new(LengthPrefixed.ReadAll(ref reader, TableFeatures.Read));
}

/// <summary>OFPMP_EXPERIMENTER request: experimenter (4), exp_type (4), data.</summary>
public sealed record ExperimenterMultipartRequest(uint Experimenter, uint ExperimenterType, EquatableArray<byte> Data)
    : MultipartRequest
{
    public override MultipartType MultipartType => MultipartType.Experimenter;

    private protected override int MultipartBodyLength => 8 + Data.Count;

    private protected override void WriteMultipartBody(ref WireWriter writer)
    {
        writer.WriteUInt32(Experimenter);
        writer.WriteUInt32(ExperimenterType);
        writer.WriteBytes(Data.AsSpan());
    }
}

/// <summary>OFPMP_EXPERIMENTER reply: experimenter (4), exp_type (4), data.</summary>
public sealed record ExperimenterMultipartReply(uint Experimenter, uint ExperimenterType, EquatableArray<byte> Data)
    : MultipartReply
{
    public override MultipartType MultipartType => MultipartType.Experimenter;

    private protected override int MultipartBodyLength => 8 + Data.Count;

    private protected override void WriteMultipartBody(ref WireWriter writer)
    {
        writer.WriteUInt32(Experimenter);
        writer.WriteUInt32(ExperimenterType);
        writer.WriteBytes(Data.AsSpan());
    }
}
