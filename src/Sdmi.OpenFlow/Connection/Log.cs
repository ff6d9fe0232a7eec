using Microsoft.Extensions.Logging;
using Sdmi.OpenFlow.Messages;

namespace Sdmi.OpenFlow.Connection;

/// <summary>
/// Log events of <see cref="OpenFlowConnection"/> and <see cref="OpenFlowListener"/>.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "OpenFlow handshake completed with datapath {DatapathId:x16} ({TableCount} tables)")]
    public static partial void HandshakeCompleted(ILogger logger, ulong datapathId, byte tableCount);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning,
        Message = "Rejected a malformed {MessageType} message with xid {Xid} " +
            "and sent error {ErrorType}/{ErrorCode} in reply")]
    public static partial void MalformedMessage(
        ILogger logger, OfpType? messageType, uint xid, OfpErrorType errorType, ushort errorCode, Exception exception);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error,
        Message = "Closing the OpenFlow connection because the message framing is lost")]
    public static partial void FramingLost(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "OpenFlow connection closed by the peer")]
    public static partial void ClosedByPeer(ILogger logger);

    [LoggerMessage(EventId = 5, Level = LogLevel.Error, Message = "OpenFlow connection failed")]
    public static partial void ConnectionFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning,
        Message = "Dropped a PACKET_IN because the queue of {Capacity} is full ({DroppedCount} dropped so far)")]
    public static partial void PacketInDropped(ILogger logger, int capacity, long droppedCount);

    [LoggerMessage(EventId = 7, Level = LogLevel.Trace, Message = "Received {MessageType} xid {Xid} ({Length} bytes)")]
    public static partial void Received(ILogger logger, OfpType messageType, uint xid, int length);

    [LoggerMessage(EventId = 8, Level = LogLevel.Trace, Message = "Sent {MessageType} xid {Xid} ({Length} bytes)")]
    public static partial void Sent(ILogger logger, OfpType messageType, uint xid, int length);

    [LoggerMessage(EventId = 9, Level = LogLevel.Warning,
        Message = "Discarding bundle {BundleId} after a failure; the discard itself failed")]
    public static partial void BundleDiscardFailed(ILogger logger, uint bundleId, Exception exception);

    [LoggerMessage(
        EventId = 10,
        Level = LogLevel.Information,
        Message = "Accepted an OpenFlow connection from {RemoteEndPoint}")]
    public static partial void Accepted(ILogger logger, string remoteEndPoint);

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning,
        Message = "Peer closed the connection inside a message; {ByteCount} bytes of it were discarded")]
    public static partial void TruncatedAtClose(ILogger logger, long byteCount);

    [LoggerMessage(EventId = 12, Level = LogLevel.Error,
        Message = "No ECHO_REPLY from datapath {DatapathId:x16} within {EchoTimeout}; closing the OpenFlow connection")]
    public static partial void KeepAliveTimedOut(ILogger logger, ulong datapathId, TimeSpan echoTimeout);

    public static void ReceivedIfEnabled(ILogger logger, OpenFlowMessage message, int length)
    {
        if (logger.IsEnabled(LogLevel.Trace))
        {
            Received(logger, message.Type, message.Xid, length);
        }
    }
}
