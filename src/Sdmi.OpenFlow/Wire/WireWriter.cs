using System.Buffers.Binary;

namespace Sdmi.OpenFlow.Wire;

/// <summary>
/// Big-endian writer over a destination span that the caller sized from the encoded length.
/// Running past the end is a bug in a length computation and throws
/// <see cref="ArgumentOutOfRangeException"/> from the span indexer.
/// </summary>
internal ref struct WireWriter
{
    private readonly Span<byte> _span;
    private int _position;

    public WireWriter(Span<byte> destination)
    {
        _span = destination;
        _position = 0;
    }

    public readonly int Position => _position;

    public void WriteUInt8(byte value) => _span[_position++] = value;

    public void WriteUInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_span[_position..], value);
        _position += 2;
    }

    public void WriteUInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_span[_position..], value);
        _position += 4;
    }

    public void WriteUInt64(ulong value)
    {
        BinaryPrimitives.WriteUInt64BigEndian(_span[_position..], value);
        _position += 8;
    }

    public void WriteBytes(scoped ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_span[_position..]);
        _position += bytes.Length;
    }

    public void WriteZeros(int count)
    {
        _span.Slice(_position, count).Clear();
        _position += count;
    }

    /// <summary>Returns the unwritten rest of the destination, for a nested encoder.</summary>
    public readonly Span<byte> GetSpan() => _span[_position..];

    /// <summary>Moves past <paramref name="count"/> bytes that a nested encoder wrote.</summary>
    public void Advance(int count) => _position += count;

    /// <summary>
    /// Writes zeros until the position is <paramref name="start"/> plus a multiple of 8.
    /// </summary>
    public void PadTo8(int start) => WriteZeros(Padding.To8(_position - start) - (_position - start));

    /// <summary>Writes a 16-bit length at an earlier absolute position.</summary>
    public readonly void PatchUInt16(int position, ushort value) =>
        BinaryPrimitives.WriteUInt16BigEndian(_span[position..], value);
}

internal static class Padding
{
    /// <summary>Rounds <paramref name="length"/> up to the next multiple of 8.</summary>
    public static int To8(int length) => (length + 7) & ~7;
}
