using Sdmi.OpenFlow.Wire;

namespace Sdmi.OpenFlow.Matching;

/// <summary>
/// One OXM TLV read in place from a message buffer, without copying. Valid only while the
/// buffer is. <see cref="ToField"/> copies it into an <see cref="OxmField"/>.
/// </summary>
public readonly ref struct OxmView
{
    internal OxmView(uint header, ReadOnlySpan<byte> value, ReadOnlySpan<byte> mask)
    {
        Header = header;
        Value = value;
        Mask = mask;
    }

    /// <summary>The 32-bit OXM header: class, field, has-mask bit and payload length.</summary>
    public uint Header { get; }

    public ReadOnlySpan<byte> Value { get; }

    /// <summary>
    /// Mask bytes, empty without a mask and for the experimenter class (whose payload is all in
    /// <see cref="Value"/>).
    /// </summary>
    public ReadOnlySpan<byte> Mask { get; }

    public ushort Class => OxmHeaders.GetClass(Header);

    public byte Field => OxmHeaders.GetField(Header);

    public bool HasMask => OxmHeaders.GetHasMask(Header);

    /// <summary>The field as an OpenFlow basic field id, or null for other classes.</summary>
    public OxmFieldId? BasicField => Class == OxmClass.OpenFlowBasic ? (OxmFieldId)Field : null;

    /// <summary>Reads the value as a big-endian unsigned integer of up to 8 bytes.</summary>
    public ulong ValueAsUInt64() => OxmField.ReadBigEndian(Value);

    public OxmField ToField() =>
        new(Class, Field, HasMask, new EquatableArray<byte>(Value), new EquatableArray<byte>(Mask));

    /// <summary>
    /// Reads one TLV. A known basic field whose length disagrees with its fixed size, or that has
    /// a mask where the spec allows none, raises an error of <paramref name="errorType"/> with the
    /// given codes (OFPBMC_BAD_LEN and OFPBMC_BAD_MASK inside a match). Errors carry the offset of
    /// the TLV's first byte.
    /// </summary>
    internal static OxmView Read(
        scoped ref WireReader reader,
        OfpErrorType errorType,
        ushort badLenCode,
        ushort badMaskCode)
    {
        int start = reader.Offset;
        if (reader.Remaining < OxmField.HeaderSize)
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
            return new OxmView(header, payload, default);
        }

        if (length % 2 != 0)
        {
            throw Fail(
                ref reader,
                start,
                errorType,
                badLenCode,
                $"masked OXM 0x{header:x8} has odd payload length {length}");
        }

        int half = length / 2;
        return new OxmView(header, payload[..half], payload[half..]);
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
            throw Fail(
                ref reader,
                start,
                errorType,
                badMaskCode,
                $"OXM {info.Field} (0x{header:x8}) cannot have a mask");
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

    /// <summary>
    /// Builds an error that points at the start of the OXM rather than the reader's position.
    /// </summary>
    private static OpenFlowProtocolException Fail(
        ref WireReader reader, int start, OfpErrorType type, ushort code, string reason) =>
        new(type, code, reader.MessageType, reader.Xid, start, reason);
}
