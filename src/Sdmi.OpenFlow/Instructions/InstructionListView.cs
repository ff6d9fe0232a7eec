using System.Buffers.Binary;
using Sdmi.OpenFlow.Actions;
using Sdmi.OpenFlow.Wire;

namespace Sdmi.OpenFlow.Instructions;

/// <summary>
/// Instructions read in place from a message buffer. Creating the view checks the framing of every
/// instruction and of the actions inside write-actions and apply-actions: each length is at least 8,
/// a multiple of 8 and within its parent. Bodies are not decoded; <see cref="ToInstructions"/> does that.
/// </summary>
public readonly ref struct InstructionListView
{
    private InstructionListView(ReadOnlySpan<byte> bytes)
    {
        Bytes = bytes;
    }

    /// <summary>The encoded instructions.</summary>
    public ReadOnlySpan<byte> Bytes { get; }

    public TlvEnumerator GetEnumerator() => new(Bytes);

    /// <summary>
    /// Decodes the instructions into records, with every check of the allocating decoder.
    /// </summary>
    public EquatableArray<OfpInstruction> ToInstructions()
    {
        var reader = new WireReader(Bytes, null, 0);
        return OfpInstruction.ReadList(ref reader);
    }

    /// <summary>
    /// Takes the rest of <paramref name="reader"/> as an instruction list after checking its
    /// framing.
    /// </summary>
    internal static InstructionListView Read(scoped ref WireReader reader)
    {
        ReadOnlySpan<byte> bytes = reader.PeekBytes(reader.Remaining);
        while (!reader.IsEmpty)
        {
            WireReader instruction = TakeTlv(
                ref reader,
                OfpErrorType.BadInstruction,
                (ushort)BadInstructionCode.BadLen);
            var type = (OfpInstructionType)instruction.ReadUInt16();
            instruction.Skip(2);
            if (type is OfpInstructionType.WriteActions or OfpInstructionType.ApplyActions)
            {
                instruction.Skip(4);
                while (!instruction.IsEmpty)
                {
                    TakeTlv(ref instruction, OfpErrorType.BadAction, (ushort)BadActionCode.BadLen);
                }
            }
        }

        return new InstructionListView(bytes);
    }

    private static WireReader TakeTlv(scoped ref WireReader reader, OfpErrorType errorType, ushort badLenCode)
    {
        if (reader.Remaining < OfpInstruction.HeaderSize)
        {
            throw reader.Fail(errorType, badLenCode, $"{reader.Remaining} bytes left, too few for a TLV header");
        }

        ushort length = reader.PeekUInt16At(2);
        if (length < 8 || length % 8 != 0 || length > reader.Remaining)
        {
            throw reader.Fail(
                errorType,
                badLenCode,
                $"length {length} is not a multiple of 8 within the {reader.Remaining} bytes left");
        }

        return reader.ReadNested(length, errorType, badLenCode);
    }
}

/// <summary>
/// An instruction or action in place: its type and the bytes after the type and length.
/// </summary>
public readonly ref struct TlvView
{
    internal TlvView(ushort type, ReadOnlySpan<byte> body)
    {
        Type = type;
        Body = body;
    }

    /// <summary>The OFPIT_* or OFPAT_* type number.</summary>
    public ushort Type { get; }

    public ReadOnlySpan<byte> Body { get; }

    public OfpInstructionType InstructionType => (OfpInstructionType)Type;

    public OfpActionType ActionType => (OfpActionType)Type;

    /// <summary>
    /// The actions of a write-actions or apply-actions instruction; empty for other types.
    /// </summary>
    public TlvEnumerator Actions =>
        InstructionType is OfpInstructionType.WriteActions or OfpInstructionType.ApplyActions
            ? new TlvEnumerator(Body[4..])
            : default;
}

/// <summary>Enumerates type-length-value structures whose framing was already checked.</summary>
public ref struct TlvEnumerator
{
    private ReadOnlySpan<byte> _remaining;

    internal TlvEnumerator(ReadOnlySpan<byte> bytes)
    {
        _remaining = bytes;
        Current = default;
    }

    public TlvView Current { get; private set; }

    public readonly TlvEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_remaining.Length < 4)
        {
            return false;
        }

        ushort type = BinaryPrimitives.ReadUInt16BigEndian(_remaining);
        int length = BinaryPrimitives.ReadUInt16BigEndian(_remaining[2..]);
        Current = new TlvView(type, _remaining[4..length]);
        _remaining = _remaining[length..];
        return true;
    }
}
