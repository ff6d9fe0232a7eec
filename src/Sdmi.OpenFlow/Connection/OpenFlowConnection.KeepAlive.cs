using Sdmi.OpenFlow.Messages;

namespace Sdmi.OpenFlow.Connection;

// The echo keep-alive of OpenFlowConnection: it detects a switch that stops replying while the TCP
// connection stays up, which TCP alone reports only after minutes or never.
public sealed partial class OpenFlowConnection
{
    private readonly CancellationTokenSource _keepAliveStop = new();
    private Task? _keepAlive;
    private long _lastReceivedTimestamp;
    private TaskCompletionSource? _pendingEcho;
    private uint _pendingEchoXid;
    private TimeoutException? _keepAliveFailure;

    private bool KeepAliveEnabled => _options.EchoInterval != Timeout.InfiniteTimeSpan;

    private static void ValidateKeepAliveOptions(OpenFlowConnectionOptions options)
    {
        if (options.EchoInterval <= TimeSpan.Zero && options.EchoInterval != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(
                nameof(options),
                options.EchoInterval,
                "EchoInterval must be positive, or Timeout.InfiniteTimeSpan to turn the keep-alive off.");
        }

        if (options.EchoTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(
                nameof(options), options.EchoTimeout, "EchoTimeout must be positive.");
        }
    }

    private void MarkReceived() =>
        Volatile.Write(ref _lastReceivedTimestamp, _options.TimeProvider.GetTimestamp());

    /// <summary>
    /// Completes the keep-alive's wait when <paramref name="reply"/> has the xid of its ECHO_REQUEST.
    /// Returns false for other echo replies, which go to the pending requests as usual.
    /// </summary>
    private bool TryCompleteKeepAliveEcho(EchoReply reply)
    {
        TaskCompletionSource? pending = Volatile.Read(ref _pendingEcho);
        if (pending is null || reply.Xid != Volatile.Read(ref _pendingEchoXid))
        {
            return false;
        }

        pending.TrySetResult();
        return true;
    }

    /// <summary>
    /// Sends an ECHO_REQUEST whenever nothing was received for the echo interval, and ends the
    /// connection when its reply does not arrive within the echo timeout. Starts after the peer's
    /// HELLO, because OpenFlow requires HELLO to be the first message on the connection.
    /// </summary>
    private async Task KeepAliveLoopAsync(CancellationToken cancellationToken)
    {
        TimeProvider time = _options.TimeProvider;
        try
        {
            // WhenAny does not throw, so a failed handshake ends the loop here without an exception.
            await Task.WhenAny(_peerHello.Task, Task.Delay(Timeout.Infinite, cancellationToken))
                .ConfigureAwait(false);
            if (!_peerHello.Task.IsCompletedSuccessfully)
            {
                return;
            }

            while (true)
            {
                TimeSpan idle = time.GetElapsedTime(Volatile.Read(ref _lastReceivedTimestamp));
                if (idle < _options.EchoInterval)
                {
                    await Task.Delay(_options.EchoInterval - idle, time, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (!await SendKeepAliveEchoAsync(cancellationToken).ConfigureAwait(false))
                {
                    FailKeepAlive();
                    return;
                }
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException
            or ObjectDisposedException)
        {
            // The connection is closing; its read loop reports why.
        }
    }

    /// <summary>Sends one ECHO_REQUEST and returns whether its reply arrived within the echo timeout.</summary>
    private async Task<bool> SendKeepAliveEchoAsync(CancellationToken cancellationToken)
    {
        TimeProvider time = _options.TimeProvider;
        var reply = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        uint xid = NextXid();
        Volatile.Write(ref _pendingEchoXid, xid);
        Volatile.Write(ref _pendingEcho, reply);
        long sentAt = time.GetTimestamp();
        try
        {
            await WriteAsync([new EchoRequest { Xid = xid }], cancellationToken).ConfigureAwait(false);

            // The deadline counts from before the write, so a clock that moved during the write
            // shortens the wait instead of extending it.
            TimeSpan remaining = _options.EchoTimeout - time.GetElapsedTime(sentAt);
            if (remaining > TimeSpan.Zero && !reply.Task.IsCompleted)
            {
                Task timeout = Task.Delay(remaining, time, cancellationToken);
                await Task.WhenAny(reply.Task, timeout).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
            }

            return reply.Task.IsCompleted;
        }
        finally
        {
            Volatile.Write(ref _pendingEcho, null);
        }
    }

    /// <summary>Ends the read loop with a <see cref="TimeoutException"/>, which closes the connection.</summary>
    private void FailKeepAlive()
    {
        string datapath = DatapathId is { } id ? $"datapath {id:x16}" : "the switch (handshake not completed)";
        var failure = new TimeoutException(
            $"No ECHO_REPLY from {datapath} within {_options.EchoTimeout}; closing the OpenFlow connection.");
        Volatile.Write(ref _keepAliveFailure, failure);
        Log.KeepAliveTimedOut(_logger, DatapathId ?? 0, _options.EchoTimeout);
        _reader.CancelPendingRead();
    }
}
