using Sdmi.OpenFlow.Actions;
using Sdmi.OpenFlow.Wire;

namespace Sdmi.OpenFlow.Instructions;

/// <summary>
/// Instruction types (section 7.2.4, <c>enum ofp_instruction_type</c>), OFPIT_* in PascalCase.
/// </summary>
public enum OfpInstructionType : ushort
{
    GotoTable = 1,
    WriteMetadata = 2,
    WriteActions = 3,
    ApplyActions = 4,
    ClearActions = 5,
    Meter = 6,
    Experimenter = 0xffff,
}

/// <summary>
/// An instruction of a flow entry (section 7.2.4): type, length, then the type's fields.
/// </summary>
public abstract record OfpInstruction
{
    /// <summary>Size of the type and length fields.</summary>
    public const int HeaderSize = 4;

    private protected OfpInstruction()
    {
    }

    public abstract OfpInstructionType Type { get; }

    /// <summary>Encoded size in bytes, header included.</summary>
    public abstract int Length { get; }

    /// <summary>Sum of the encoded sizes of <paramref name="instructions"/>.</summary>
    public static int GetListLength(EquatableArray<OfpInstruction> instructions)
    {
        int length = 0;
        foreach (OfpInstruction instruction in instructions)
        {
            length += instruction.Length;
        }

        return length;
    }

    internal static void WriteList(ref WireWriter writer, EquatableArray<OfpInstruction> instructions)
    {
        foreach (OfpInstruction instruction in instructions)
        {
            writer.WriteUInt16((ushort)instruction.Type);
            writer.WriteUInt16((ushort)instruction.Length);
            instruction.WriteBody(ref writer);
        }
    }

    private protected abstract void WriteBody(ref WireWriter writer);

    /// <summary>Reads instructions until <paramref name="reader"/> is empty.</summary>
    internal static EquatableArray<OfpInstruction> ReadList(ref WireReader reader)
    {
        if (reader.IsEmpty)
        {
            return EquatableArray<OfpInstruction>.Empty;
        }

        var instructions = new List<OfpInstruction>();
        while (!reader.IsEmpty)
        {
            instructions.Add(Read(ref reader));
        }

        return EquatableArray<OfpInstruction>.FromOwned([.. instructions]);
    }

    private static OfpInstruction Read(ref WireReader reader)
    {
        const ushort badLen = (ushort)BadInstructionCode.BadLen;
        if (reader.Remaining < HeaderSize)
        {
            throw reader.Fail(
                OfpErrorType.BadInstruction,
                badLen,
                $"{reader.Remaining} bytes left, too few for an instruction");
        }

        var type = (OfpInstructionType)reader.PeekUInt16();
        ushort length = reader.PeekUInt16At(2);
        if (length < 8 || length % 8 != 0 || length > reader.Remaining)
        {
            throw reader.Fail(
                OfpErrorType.BadInstruction,
                badLen,
                $"{type} instruction length {length} is not a multiple of 8 within the {reader.Remaining} bytes left");
        }

        WireReader body = reader.ReadNested(length, OfpErrorType.BadInstruction, badLen);
        body.Skip(HeaderSize);
        switch (type)
        {
            case OfpInstructionType.GotoTable:
                RequireLength(ref body, type, GotoTableInstruction.Size);
                return new GotoTableInstruction(body.ReadUInt8());
            case OfpInstructionType.WriteMetadata:
                RequireLength(ref body, type, WriteMetadataInstruction.Size);
                body.Skip(4);
                return new WriteMetadataInstruction(body.ReadUInt64(), body.ReadUInt64());
            case OfpInstructionType.WriteActions or OfpInstructionType.ApplyActions or OfpInstructionType.ClearActions:
                body.Skip(4);
                return ActionsInstruction.For(type, OfpAction.ReadList(ref body));
            case OfpInstructionType.Meter:
                RequireLength(ref body, type, MeterInstruction.Size);
                return new MeterInstruction(body.ReadUInt32());
            case OfpInstructionType.Experimenter:
                uint experimenter = body.ReadUInt32();
                return new ExperimenterInstruction(experimenter, new EquatableArray<byte>(body.ReadRemaining()));
            default:
                return new UnknownInstruction((ushort)type, new EquatableArray<byte>(body.ReadRemaining()));
        }
    }

    private static void RequireLength(ref WireReader body, OfpInstructionType type, int expected)
    {
        int actual = body.Remaining + HeaderSize;
        if (actual != expected)
        {
            throw body.FailLength($"{type} instruction has length {actual}, expected {expected}");
        }
    }
}
