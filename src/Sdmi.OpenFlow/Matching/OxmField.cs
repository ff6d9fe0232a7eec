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

    /// <summary>Mask bytes, empty when there is no mask. A 1 bit means the value bit must match.</summary>
    public EquatableArray<byte> Mask { get; }

    /// <summary>The field as an OpenFlow basic field id, or null for other classes.</summary>
    public OxmFieldId? BasicField => Class == OxmClass.OpenFlowBasic ? (OxmFieldId)Field : null;

    /// <summary>The 32-bit OXM header that precedes the payload.</summary>
    public uint Header => OxmHeaders.Make(Class, Field, HasMask, (byte)(Value.Count + Mask.Count));

    /// <summary>Encoded size: header plus value and mask.</summary>
    public int Length => HeaderSize + Value.Count + Mask.Count;

    /// <summary>Reads the value as a big-endian unsigned integer of up to 8 bytes.</summary>
    public ulong ValueAsUInt64() => ReadBigEndian(Value.AsSpan());

    /// <summary>Reads the mask as a big-endian unsigned integer; all ones when there is no mask.</summary>
    public ulong MaskAsUInt64() => HasMask ? ReadBigEndian(Mask.AsSpan()) : ulong.MaxValue;

    internal void Write(ref WireWriter writer)
    {
        writer.WriteUInt32(Header);
        writer.WriteBytes(Value.AsSpan());
        writer.WriteBytes(Mask.AsSpan());
    }

    /// <summary>
    /// Reads one TLV. A known basic field whose length disagrees with its fixed size, or that has
    /// a mask where the spec allows none, raises an error of <paramref name="errorType"/> with the
    /// given codes (OFPBMC_BAD_LEN and OFPBMC_BAD_MASK inside a match).
    /// </summary>
    internal static OxmField Read(ref WireReader reader, OfpErrorType errorType, ushort badLenCode, ushort badMaskCode)
    {
        int start = reader.Offset;
        if (reader.Remaining < HeaderSize)
        {
            throw reader.Fail(errorType, badLenCode, $"{reader.Remaining} bytes left, too few for an OXM header");
        }

        uint header = reader.ReadUInt32();
        ushort oxmClass = OxmHeaders.GetClass(header);
        byte field = OxmHeaders.GetField(header);
        bool hasMask = OxmHeaders.GetHasMask(header);
        int length = OxmHeaders.GetPayloadLength(header);
        if (length > reader.Remaining)
        {
            throw Fail(
                ref reader,
                start,
                errorType,
                badLenCode,
                $"OXM 0x{header:x8} declares {length} payload bytes but {reader.Remaining} remain");
        }

        if (oxmClass == OxmClass.OpenFlowBasic && OxmFieldTable.TryGet(field, out OxmFieldInfo info))
        {
            ValidateBasic(ref reader, start, info, hasMask, length, header, errorType, badLenCode, badMaskCode);
        }

        ReadOnlySpan<byte> payload = reader.ReadBytes(length);
        if (!hasMask || oxmClass == OxmClass.Experimenter)
        {
            return new OxmField(oxmClass, field, hasMask, new EquatableArray<byte>(payload), default);
        }

        if (length % 2 != 0)
        {
            throw Fail(ref reader, start, errorType, badLenCode, $"masked OXM 0x{header:x8} has odd payload length {length}");
        }

        int half = length / 2;
        return new OxmField(
            oxmClass,
            field,
            true,
            new EquatableArray<byte>(payload[..half]),
            new EquatableArray<byte>(payload[half..]));
    }

    private static void ValidateBasic(
        ref WireReader reader,
        int start,
        OxmFieldInfo info,
        bool hasMask,
        int length,
        uint header,
        OfpErrorType errorType,
        ushort badLenCode,
        ushort badMaskCode)
    {
        if (hasMask && !info.Maskable)
        {
            throw Fail(ref reader, start, errorType, badMaskCode, $"OXM {info.Field} (0x{header:x8}) cannot have a mask");
        }

        int expected = hasMask ? info.Size * 2 : info.Size;
        if (length != expected)
        {
            throw Fail(
                ref reader,
                start,
                errorType,
                badLenCode,
                $"OXM {info.Field} (0x{header:x8}) has payload length {length}, expected {expected}");
        }
    }

    /// <summary>Builds an error that points at the start of the OXM rather than the reader's position.</summary>
    private static OpenFlowProtocolException Fail(
        ref WireReader reader, int start, OfpErrorType type, ushort code, string reason) =>
        new(type, code, reader.MessageType, reader.Xid, start, reason);

    private static ulong ReadBigEndian(ReadOnlySpan<byte> bytes)
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
