using System.Buffers.Binary;

namespace Sdmi.OpenFlow.Wire;

/// <summary>
/// Big-endian reader over one OpenFlow message or a structure inside it. Every read checks the
/// remaining length first and raises <see cref="OpenFlowProtocolException"/> with the error
/// type and code of the structure being read, and with the offset from the start of the message.
/// </summary>
internal ref struct WireReader
{
    private readonly ReadOnlySpan<byte> _span;
    private readonly int _baseOffset;
    private readonly OfpType? _messageType;
    private readonly uint _xid;
    private readonly OfpErrorType _lengthErrorType;
    private readonly ushort _lengthErrorCode;
    private int _position;

    public WireReader(ReadOnlySpan<byte> message, OfpType? messageType, uint xid, int baseOffset = 0)
        : this(message, baseOffset, messageType, xid, OfpErrorType.BadRequest, (ushort)BadRequestCode.BadLen)
    {
    }

    private WireReader(
        ReadOnlySpan<byte> span,
        int baseOffset,
        OfpType? messageType,
        uint xid,
        OfpErrorType lengthErrorType,
        ushort lengthErrorCode)
    {
        _span = span;
        _baseOffset = baseOffset;
        _messageType = messageType;
        _xid = xid;
        _lengthErrorType = lengthErrorType;
        _lengthErrorCode = lengthErrorCode;
        _position = 0;
    }

    public readonly int Remaining => _span.Length - _position;

    public readonly bool IsEmpty => _position == _span.Length;

    /// <summary>Offset of the next byte from the start of the whole message.</summary>
    public readonly int Offset => _baseOffset + _position;

    public readonly OfpType? MessageType => _messageType;

    public readonly uint Xid => _xid;

    public byte ReadUInt8()
    {
        Require(1);
        return _span[_position++];
    }

    public ushort ReadUInt16()
    {
        Require(2);
        ushort value = BinaryPrimitives.ReadUInt16BigEndian(_span[_position..]);
        _position += 2;
        return value;
    }

    public uint ReadUInt32()
    {
        Require(4);
        uint value = BinaryPrimitives.ReadUInt32BigEndian(_span[_position..]);
        _position += 4;
        return value;
    }

    public ulong ReadUInt64()
    {
        Require(8);
        ulong value = BinaryPrimitives.ReadUInt64BigEndian(_span[_position..]);
        _position += 8;
        return value;
    }

    public ReadOnlySpan<byte> ReadBytes(int count)
    {
        Require(count);
        ReadOnlySpan<byte> bytes = _span.Slice(_position, count);
        _position += count;
        return bytes;
    }

    public ReadOnlySpan<byte> ReadRemaining() => ReadBytes(Remaining);

    public void Skip(int count)
    {
        Require(count);
        _position += count;
    }

    public readonly ReadOnlySpan<byte> PeekBytes(int count)
    {
        Require(count);
        return _span.Slice(_position, count);
    }

    public readonly ushort PeekUInt16()
    {
        Require(2);
        return BinaryPrimitives.ReadUInt16BigEndian(_span[_position..]);
    }

    public readonly ushort PeekUInt16At(int relativeOffset)
    {
        Require(relativeOffset + 2);
        return BinaryPrimitives.ReadUInt16BigEndian(_span[(_position + relativeOffset)..]);
    }

    /// <summary>
    /// Takes the next <paramref name="length"/> bytes as a nested reader whose short-input errors
    /// use the given error type and code, for example OFPET_BAD_ACTION / OFPBAC_BAD_LEN.
    /// </summary>
    public WireReader ReadNested(int length, OfpErrorType lengthErrorType, ushort lengthErrorCode)
    {
        if (length < 0 || length > Remaining)
        {
            throw Fail(
                lengthErrorType,
                lengthErrorCode,
                $"declared length {length} exceeds the {Remaining} bytes remaining");
        }

        var nested = new WireReader(
            _span.Slice(_position, length),
            Offset,
            _messageType,
            _xid,
            lengthErrorType,
            lengthErrorCode);
        _position += length;
        return nested;
    }

    public readonly OpenFlowProtocolException Fail(OfpErrorType type, ushort code, string reason) =>
        new(type, code, _messageType, _xid, Offset, reason);

    public readonly OpenFlowProtocolException FailLength(string reason) =>
        Fail(_lengthErrorType, _lengthErrorCode, reason);

    private readonly void Require(int count)
    {
        if (count > Remaining)
        {
            throw FailLength($"needs {count} more bytes but only {Remaining} remain");
        }
    }
}
