using System.Buffers;
using Sdmi.OpenFlow.Wire;

namespace Sdmi.OpenFlow.Messages;

/// <summary>
/// Base of every OpenFlow 1.3 message. A message computes its encoded length and writes itself,
/// header included, into a span or an <see cref="IBufferWriter{T}"/> without intermediate copies.
/// Decoding is done by <see cref="OpenFlowCodec"/>.
/// </summary>
public abstract record OpenFlowMessage
{
    private protected OpenFlowMessage()
    {
    }

    private uint _xid;

    /// <summary>
    /// Transaction id. <see cref="Connection.OpenFlowConnection"/> assigns it when sending.
    /// </summary>
    public uint Xid
    {
        get => _xid;
        init => _xid = value;
    }

    public abstract OfpType Type { get; }

    /// <summary>Total encoded length, header included.</summary>
    public int Length => OfpHeader.Size + BodyLength;

    /// <summary>
    /// Version byte of the header; 0x04 for every message except a HELLO that carries another
    /// version.
    /// </summary>
    private protected virtual byte HeaderVersion => OfpHeader.Version13;

    /// <summary>Encoded length of everything after the header.</summary>
    private protected abstract int BodyLength { get; }

    /// <summary>
    /// Writes the message to the start of <paramref name="destination"/> and returns the number of
    /// bytes written. Throws <see cref="ArgumentException"/> when the destination is too small and
    /// <see cref="InvalidOperationException"/> when the message exceeds 65535 bytes.
    /// </summary>
    public int WriteTo(Span<byte> destination)
    {
        int length = Length;
        if (length > OfpHeader.MaxMessageLength)
        {
            throw new InvalidOperationException(
                $"{Type} message of {length} bytes exceeds the OpenFlow maximum of {OfpHeader.MaxMessageLength}.");
        }

        if (destination.Length < length)
        {
            throw new ArgumentException(
                $"Destination of {destination.Length} bytes is too small for a {length}-byte {Type} message.",
                nameof(destination));
        }

        var writer = new WireWriter(destination[..length]);
        writer.WriteUInt8(HeaderVersion);
        writer.WriteUInt8((byte)Type);
        writer.WriteUInt16((ushort)length);
        writer.WriteUInt32(Xid);
        WriteBody(ref writer);
        if (writer.Position != length)
        {
            throw new InvalidOperationException(
                $"{Type} encoder wrote {writer.Position} bytes but computed a length of {length}.");
        }

        return length;
    }

    /// <summary>Writes the message to <paramref name="output"/> and advances it.</summary>
    public void WriteTo(IBufferWriter<byte> output)
    {
        int length = Length;
        Span<byte> span = output.GetSpan(length);
        WriteTo(span);
        output.Advance(length);
    }

    /// <summary>Encodes the message into a new array.</summary>
    public byte[] ToArray()
    {
        byte[] bytes = new byte[Length];
        WriteTo(bytes);
        return bytes;
    }

    /// <summary>Writes everything after the header.</summary>
    private protected abstract void WriteBody(ref WireWriter writer);

    /// <summary>
    /// Sets the xid of a message that the decoder has just created and not yet returned.
    /// </summary>
    internal void SetDecodedXid(uint xid) => _xid = xid;
}
