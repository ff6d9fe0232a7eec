using Sdmi.OpenFlow.Actions;
using Sdmi.OpenFlow.Wire;

namespace Sdmi.OpenFlow.Instructions;

// Section 7.2.4 of OpenFlow 1.3.5, "Flow Instruction Structures".

/// <summary>OFPIT_GOTO_TABLE: continues the pipeline at table <see cref="TableId"/>.</summary>
public sealed record GotoTableInstruction(byte TableId) : OfpInstruction
{
    public const int Size = 8;

    public override OfpInstructionType Type => OfpInstructionType.GotoTable;

    public override int Length => Size;

    private protected override void WriteBody(ref WireWriter writer)
    {
        writer.WriteUInt8(TableId);
        writer.WriteZeros(3);
    }
}

/// <summary>
/// OFPIT_WRITE_METADATA: sets the metadata bits selected by <see cref="MetadataMask"/>.
/// </summary>
public sealed record WriteMetadataInstruction(ulong Metadata, ulong MetadataMask = ulong.MaxValue) : OfpInstruction
{
    public const int Size = 24;

    public override OfpInstructionType Type => OfpInstructionType.WriteMetadata;

    public override int Length => Size;

    private protected override void WriteBody(ref WireWriter writer)
    {
        writer.WriteZeros(4);
        writer.WriteUInt64(Metadata);
        writer.WriteUInt64(MetadataMask);
    }
}

/// <summary>
/// OFPIT_WRITE_ACTIONS, OFPIT_APPLY_ACTIONS or OFPIT_CLEAR_ACTIONS with its action list.
/// Clear-actions carries no actions.
/// </summary>
public sealed record ActionsInstruction : OfpInstruction
{
    private readonly OfpInstructionType _type;

    private ActionsInstruction(OfpInstructionType type, EquatableArray<OfpAction> actions)
    {
        _type = type;
        Actions = actions;
    }

    public static ActionsInstruction ClearActions { get; } = new(OfpInstructionType.ClearActions, default);

    public EquatableArray<OfpAction> Actions { get; }

    public override OfpInstructionType Type => _type;

    public override int Length => 8 + OfpAction.GetListLength(Actions);

    /// <summary>OFPIT_APPLY_ACTIONS: runs <paramref name="actions"/> at once, in order.</summary>
    public static ActionsInstruction Apply(params ReadOnlySpan<OfpAction> actions) =>
        new(OfpInstructionType.ApplyActions, new EquatableArray<OfpAction>(actions));

    /// <summary>
    /// OFPIT_WRITE_ACTIONS: merges <paramref name="actions"/> into the action set.
    /// </summary>
    public static ActionsInstruction Write(params ReadOnlySpan<OfpAction> actions) =>
        new(OfpInstructionType.WriteActions, new EquatableArray<OfpAction>(actions));

    internal static ActionsInstruction For(OfpInstructionType type, EquatableArray<OfpAction> actions) =>
        new(type, actions);

    private protected override void WriteBody(ref WireWriter writer)
    {
        writer.WriteZeros(4);
        OfpAction.WriteList(ref writer, Actions);
    }

    public override string ToString() => $"{_type}Instruction {{ Actions = {Actions} }}";
}

/// <summary>OFPIT_METER: sends the packet through meter <see cref="MeterId"/>.</summary>
public sealed record MeterInstruction(uint MeterId) : OfpInstruction
{
    public const int Size = 8;

    public override OfpInstructionType Type => OfpInstructionType.Meter;

    public override int Length => Size;

    private protected override void WriteBody(ref WireWriter writer) => writer.WriteUInt32(MeterId);
}

/// <summary>
/// OFPIT_EXPERIMENTER kept as raw bytes; <see cref="Data"/> follows the experimenter id.
/// </summary>
public sealed record ExperimenterInstruction(uint Experimenter, EquatableArray<byte> Data) : OfpInstruction
{
    public override OfpInstructionType Type => OfpInstructionType.Experimenter;

    public override int Length => HeaderSize + 4 + Data.Count;

    private protected override void WriteBody(ref WireWriter writer)
    {
        writer.WriteUInt32(Experimenter);
        writer.WriteBytes(Data.AsSpan());
    }
}

/// <summary>An instruction of a type this library does not know, kept as its raw body.</summary>
public sealed record UnknownInstruction(ushort InstructionType, EquatableArray<byte> Body) : OfpInstruction
{
    public override OfpInstructionType Type => (OfpInstructionType)InstructionType;

    public override int Length => HeaderSize + Body.Count;

    private protected override void WriteBody(ref WireWriter writer) => writer.WriteBytes(Body.AsSpan());
}
