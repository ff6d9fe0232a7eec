namespace Sdmi.OpenFlow;

/// <summary>
/// Malformed or unsupported OpenFlow input. Carries the OFPT_ERROR type and code that a switch or
/// controller would send back for it, so a connection can reply to the peer with the matching error.
/// </summary>
public sealed class OpenFlowProtocolException : Exception
{
    public OpenFlowProtocolException(
        OfpErrorType errorType,
        ushort errorCode,
        OfpType? messageType,
        uint xid,
        int offset,
        string reason)
        : base(FormatMessage(errorType, errorCode, messageType, xid, offset, reason))
    {
        ErrorType = errorType;
        ErrorCode = errorCode;
        MessageType = messageType;
        Xid = xid;
        Offset = offset;
        Reason = reason;
    }

    /// <summary>OFPET_* error type that describes the failure.</summary>
    public OfpErrorType ErrorType { get; }

    /// <summary>
    /// Error code within <see cref="ErrorType"/>, for example a <see cref="BadRequestCode"/>.
    /// </summary>
    public ushort ErrorCode { get; }

    /// <summary>
    /// Type from the header of the offending message, or null when the header itself was
    /// unreadable.
    /// </summary>
    public OfpType? MessageType { get; }

    /// <summary>
    /// Transaction id from the header of the offending message, or 0 when unknown.
    /// </summary>
    public uint Xid { get; }

    /// <summary>Byte offset from the start of the message where decoding failed.</summary>
    public int Offset { get; }

    /// <summary>What was wrong, naming the field and the value that was read.</summary>
    public string Reason { get; }

    private static string FormatMessage(
        OfpErrorType errorType, ushort errorCode, OfpType? messageType, uint xid, int offset, string reason)
    {
        string type = messageType?.ToString() ?? "unknown";
        return $"Invalid OpenFlow {type} message (xid {xid}) at offset {offset}: {reason} " +
            $"(error {errorType}, code {errorCode}).";
    }
}
