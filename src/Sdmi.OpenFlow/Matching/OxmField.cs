using System.Buffers.Binary;
using Sdmi.OpenFlow.Wire;

namespace Sdmi.OpenFlow.Matching;

/// <summary>
/// One OXM TLV (section 7.2.3.2): a 4-byte header of class, field, has-mask bit and payload
/// length, then the value and, when <see cref="HasMask"/> is set, a mask of the same size.
/// Fields of unknown classes are kept as they are. For the experimenter class the payload
/// (experimenter id, value and mask) stays whole in <see cref="Value"/> and <see cref="Mask"/> is empty.
/// </summary>
public sealed record OxmField
{
    /// <summary>Size of the OXM header.</summary>
    public const int HeaderSize = 4;

    public OxmField(ushort oxmClass, byte field, EquatableArray<byte> value, EquatableArray<byte> mask = default)
        : this(oxmClass, field, !mask.IsEmpty, value, mask)
    {
    }

    internal OxmField(ushort oxmClass, byte field, bool hasMask, EquatableArray<byte> value, EquatableArray<byte> mask)
    {
        if (field > 0x7f)
        {
            throw new ArgumentOutOfRangeException(nameof(field), field, "An OXM field number has 7 bits.");
        }

        if (value.Count + mask.Count > byte.MaxValue)
        {
            throw new ArgumentException(
                $"OXM payload of {value.Count + mask.Count} bytes exceeds the maximum of 255.", nameof(value));
        }

        Class = oxmClass;
        Field = field;
        HasMask = hasMask;
        Value = value;
        Mask = mask;
    }

    public ushort Class { get; }

    /// <summary>7-bit field number within <see cref="Class"/>.</summary>
    public byte Field { get; }

    public bool HasMask { get; }

    public EquatableArray<byte> Value { get; }

    /// <summary>
    /// Mask bytes, empty when there is no mask. A 1 bit means the value bit must match.
    /// </summary>
    public EquatableArray<byte> Mask { get; }

    /// <summary>The field as an OpenFlow basic field id, or null for other classes.</summary>
    public OxmFieldId? BasicField => Class == OxmClass.OpenFlowBasic ? (OxmFieldId)Field : null;

    /// <summary>The 32-bit OXM header that precedes the payload.</summary>
    public uint Header => OxmHeaders.Make(Class, Field, HasMask, (byte)(Value.Count + Mask.Count));

    /// <summary>Encoded size: header plus value and mask.</summary>
    public int Length => HeaderSize + Value.Count + Mask.Count;

    /// <summary>Reads the value as a big-endian unsigned integer of up to 8 bytes.</summary>
    public ulong ValueAsUInt64() => ReadBigEndian(Value.AsSpan());

    /// <summary>
    /// Reads the mask as a big-endian unsigned integer; all ones when there is no mask.
    /// </summary>
    public ulong MaskAsUInt64() => HasMask ? ReadBigEndian(Mask.AsSpan()) : ulong.MaxValue;

    internal void Write(ref WireWriter writer)
    {
        writer.WriteUInt32(Header);
        writer.WriteBytes(Value.AsSpan());
        writer.WriteBytes(Mask.AsSpan());
    }

    /// <summary>
    /// Reads and validates one TLV; see <see cref="OxmView.Read"/> for the errors.
    /// </summary>
    internal static OxmField Read(
        ref WireReader reader,
        OfpErrorType errorType,
        ushort badLenCode,
        ushort badMaskCode) =>
        OxmView.Read(ref reader, errorType, badLenCode, badMaskCode).ToField();

    internal static ulong ReadBigEndian(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > 8)
        {
            throw new InvalidOperationException($"OXM value of {bytes.Length} bytes does not fit 64 bits.");
        }

        Span<byte> buffer = stackalloc byte[8];
        buffer.Clear();
        bytes.CopyTo(buffer[(8 - bytes.Length)..]);
        return BinaryPrimitives.ReadUInt64BigEndian(buffer);
    }

    public override string ToString()
    {
        string name = BasicField?.ToString() ?? $"class 0x{Class:x4} field {Field}";
        return HasMask && !Mask.IsEmpty ? $"{name}={Value}/{Mask}" : $"{name}={Value}";
    }
}
