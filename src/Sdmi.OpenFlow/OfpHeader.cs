using System.Buffers;
using System.Buffers.Binary;

namespace Sdmi.OpenFlow;

/// <summary>
/// The 8-byte header that starts every OpenFlow message (section A.1, <c>struct ofp_header</c>):
/// version, type, total length including the header, and transaction id, all big-endian.
/// </summary>
public readonly record struct OfpHeader(byte Version, OfpType Type, ushort Length, uint Xid)
{
    /// <summary>Size of the header in bytes.</summary>
    public const int Size = 8;

    /// <summary>Wire version of OpenFlow 1.3.</summary>
    public const byte Version13 = 0x04;

    /// <summary>Largest message the 16-bit length field can describe.</summary>
    public const int MaxMessageLength = ushort.MaxValue;

    private const int VersionOffset = 0;
    private const int TypeOffset = 1;
    private const int LengthOffset = 2;
    private const int XidOffset = 4;

    /// <summary>
    /// Reads a header from the start of <paramref name="source"/>. Returns
    /// <see cref="OperationStatus.NeedMoreData"/> when fewer than 8 bytes are present.
    /// The header is not validated here.
    /// </summary>
    public static OperationStatus TryRead(ReadOnlySpan<byte> source, out OfpHeader header)
    {
        if (source.Length < Size)
        {
            header = default;
            return OperationStatus.NeedMoreData;
        }

        header = new OfpHeader(
            source[VersionOffset],
            (OfpType)source[TypeOffset],
            BinaryPrimitives.ReadUInt16BigEndian(source[LengthOffset..]),
            BinaryPrimitives.ReadUInt32BigEndian(source[XidOffset..]));
        return OperationStatus.Done;
    }

    /// <summary>Writes the header to the first 8 bytes of <paramref name="destination"/>.</summary>
    public void WriteTo(Span<byte> destination)
    {
        destination[VersionOffset] = Version;
        destination[TypeOffset] = (byte)Type;
        BinaryPrimitives.WriteUInt16BigEndian(destination[LengthOffset..], Length);
        BinaryPrimitives.WriteUInt32BigEndian(destination[XidOffset..], Xid);
    }

    /// <summary>
    /// Throws unless the length field can frame a message: at least the header size. The upper
    /// bound of 65535 is implied by the 16-bit field.
    /// </summary>
    public void ValidateLength()
    {
        if (Length < Size)
        {
            throw new OpenFlowProtocolException(
                OfpErrorType.BadRequest,
                (ushort)BadRequestCode.BadLen,
                Type,
                Xid,
                LengthOffset,
                $"header length {Length} is below the minimum of {Size}");
        }
    }
}
