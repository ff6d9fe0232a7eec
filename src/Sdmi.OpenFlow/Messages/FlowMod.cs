using Sdmi.OpenFlow.Instructions;
using Sdmi.OpenFlow.Matching;
using Sdmi.OpenFlow.Wire;

namespace Sdmi.OpenFlow.Messages;

/// <summary>OFPFC_* flow table commands.</summary>
public enum FlowModCommand : byte
{
    Add = 0,
    Modify = 1,
    ModifyStrict = 2,
    Delete = 3,
    DeleteStrict = 4,
}

/// <summary>OFPFF_* flow entry flags.</summary>
[Flags]
public enum FlowModFlags : ushort
{
    None = 0,
    SendFlowRemoved = 1 << 0,
    CheckOverlap = 1 << 1,
    ResetCounts = 1 << 2,
    NoPacketCounts = 1 << 3,
    NoByteCounts = 1 << 4,
}

/// <summary>
/// OFPT_FLOW_MOD (section 7.3.4.1, <c>struct ofp_flow_mod</c>): 40 bytes of fixed fields after the
/// header, then the padded match, then the instructions.
/// </summary>
public sealed record FlowMod : OpenFlowMessage
{
    /// <summary>Size of the fields between the header and the match.</summary>
    public const int FixedBodySize = 40;

    /// <summary>OFP_DEFAULT_PRIORITY.</summary>
    public const ushort DefaultPriority = 0x8000;

    public ulong Cookie { get; init; }

    /// <summary>
    /// For modify and delete: which cookie bits must equal <see cref="Cookie"/>; 0 ignores the
    /// cookie.
    /// </summary>
    public ulong CookieMask { get; init; }

    public byte TableId { get; init; }

    public FlowModCommand Command { get; init; }

    /// <summary>Seconds without a matching packet before the entry expires; 0 for never.</summary>
    public ushort IdleTimeout { get; init; }

    /// <summary>Seconds after installation before the entry expires; 0 for never.</summary>
    public ushort HardTimeout { get; init; }

    public ushort Priority { get; init; } = DefaultPriority;

    /// <summary>
    /// Buffered packet to apply the entry to, or <see cref="OfpBufferId.NoBuffer"/>.
    /// </summary>
    public uint BufferId { get; init; } = OfpBufferId.NoBuffer;

    /// <summary>
    /// For delete commands: only entries that output to this port; <see cref="OfpPortNo.Any"/> for
    /// all.
    /// </summary>
    public uint OutPort { get; init; } = OfpPortNo.Any;

    /// <summary>
    /// For delete commands: only entries that output to this group; <see cref="OfpGroupId.Any"/>
    /// for all.
    /// </summary>
    public uint OutGroup { get; init; } = OfpGroupId.Any;

    public FlowModFlags Flags { get; init; }

    public Match Match { get; init; } = Match.Any;

    public EquatableArray<OfpInstruction> Instructions { get; init; }

    public override OfpType Type => OfpType.FlowMod;

    private protected override int BodyLength =>
        FixedBodySize + Match.PaddedLength + OfpInstruction.GetListLength(Instructions);

    private protected override void WriteBody(ref WireWriter writer)
    {
        writer.WriteUInt64(Cookie);
        writer.WriteUInt64(CookieMask);
        writer.WriteUInt8(TableId);
        writer.WriteUInt8((byte)Command);
        writer.WriteUInt16(IdleTimeout);
        writer.WriteUInt16(HardTimeout);
        writer.WriteUInt16(Priority);
        writer.WriteUInt32(BufferId);
        writer.WriteUInt32(OutPort);
        writer.WriteUInt32(OutGroup);
        writer.WriteUInt16((ushort)Flags);
        writer.WriteZeros(2);
        Match.Write(ref writer);
        OfpInstruction.WriteList(ref writer, Instructions);
    }

    internal static FlowMod ReadBody(ref WireReader reader)
    {
        ulong cookie = reader.ReadUInt64();
        ulong cookieMask = reader.ReadUInt64();
        byte tableId = reader.ReadUInt8();
        var command = (FlowModCommand)reader.ReadUInt8();
        ushort idleTimeout = reader.ReadUInt16();
        ushort hardTimeout = reader.ReadUInt16();
        ushort priority = reader.ReadUInt16();
        uint bufferId = reader.ReadUInt32();
        uint outPort = reader.ReadUInt32();
        uint outGroup = reader.ReadUInt32();
        var flags = (FlowModFlags)reader.ReadUInt16();
        reader.Skip(2);
        Match match = Match.Read(ref reader);
        EquatableArray<OfpInstruction> instructions = OfpInstruction.ReadList(ref reader);
        return new FlowMod
        {
            Cookie = cookie,
            CookieMask = cookieMask,
            TableId = tableId,
            Command = command,
            IdleTimeout = idleTimeout,
            HardTimeout = hardTimeout,
            Priority = priority,
            BufferId = bufferId,
            OutPort = outPort,
            OutGroup = outGroup,
            Flags = flags,
            Match = match,
            Instructions = instructions,
        };
    }
}
