using System.Buffers;
using System.IO.Pipelines;
using Sdmi.OpenFlow.Messages;

namespace Sdmi.OpenFlow.Connection;

// The read loop, message dispatch and serialized writes of OpenFlowConnection.
public sealed partial class OpenFlowConnection
{
    /// <summary>
    /// Registers a pending operation, writes <paramref name="batch"/> in one flush and waits for the
    /// reply to <paramref name="completionXid"/>, an error for any message in the batch, the
    /// request timeout, or cancellation.
    /// </summary>
    private async Task<IReadOnlyList<OpenFlowMessage>> ExchangeAsync(
        IReadOnlyList<OpenFlowMessage> batch,
        uint completionXid,
        bool collectsMultipart,
        CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        Start();
        var operation = new PendingOperation(batch, completionXid, collectsMultipart);
        Register(operation);
        try
        {
            // Register fails the operation at once when the connection is closed, and then the
            // stream is gone, so writing would only hide that failure behind ObjectDisposedException.
            if (!operation.Task.IsCompleted)
            {
                await WriteAsync(batch, cancellationToken).ConfigureAwait(false);
            }

            return await operation.Task
                .WaitAsync(_options.RequestTimeout, _options.TimeProvider, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (TimeoutException) when (!operation.Task.IsCompleted)
        {
            // Only the request timeout leaves the operation incomplete. A TimeoutException that
            // failed the operation itself (the echo keep-alive) passes through unchanged.
            OpenFlowMessage request = batch[^1];
            throw new TimeoutException(
                $"No reply to {request.Type} with xid {completionXid} within {_options.RequestTimeout}.");
        }
        finally
        {
            Unregister(operation);
        }
    }

    private void Register(PendingOperation operation)
    {
        lock (_pendingLock)
        {
            foreach (OpenFlowMessage message in operation.SentMessages)
            {
                _pending[message.Xid] = operation;
            }
        }

        if (_closed || Completion.IsCompleted)
        {
            operation.Fail(new IOException("The OpenFlow connection is closed.", Volatile.Read(ref _closeReason)));
        }
    }

    private void Unregister(PendingOperation operation)
    {
        lock (_pendingLock)
        {
            foreach (OpenFlowMessage message in operation.SentMessages)
            {
                if (_pending.TryGetValue(message.Xid, out PendingOperation? registered) && registered == operation)
                {
                    _pending.Remove(message.Xid);
                }
            }
        }
    }

    private void FailAllPending(Exception exception)
    {
        PendingOperation[] operations;
        lock (_pendingLock)
        {
            operations = _pending.Values.Distinct().ToArray();
            _pending.Clear();
        }

        foreach (PendingOperation operation in operations)
        {
            operation.Fail(exception);
        }
    }

    /// <summary>
    /// Encodes <paramref name="messages"/> into the pipe and flushes once, holding the write lock.
    /// </summary>
    private async Task WriteAsync(IReadOnlyList<OpenFlowMessage> messages, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (OpenFlowMessage message in messages)
            {
                message.WriteTo(_writer);
                if (_logger.IsEnabled(Microsoft.Extensions.Logging.LogLevel.Trace))
                {
                    Log.Sent(_logger, message.Type, message.Xid, message.Length);
                }
            }

            // Not cancellable: stopping a flush half way would leave a partial message on the wire.
            FlushResult result = await _writer.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            if (result.IsCanceled || result.IsCompleted)
            {
                throw new IOException("The OpenFlow connection is closed.");
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task ReadLoopAsync(CancellationToken cancellationToken)
    {
        Exception closeReason = new IOException("The OpenFlow connection was closed by the peer.");
        try
        {
            await ReadFramesAsync(cancellationToken).ConfigureAwait(false);
            Log.ClosedByPeer(_logger);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            closeReason = new ObjectDisposedException(nameof(OpenFlowConnection));
        }
        catch (OpenFlowProtocolException exception)
        {
            Log.FramingLost(_logger, exception);
            closeReason = exception;
            await TrySendErrorAsync(exception, _invalidFrameHeader).ConfigureAwait(false);
            throw;
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException)
        {
            Log.ConnectionFailed(_logger, exception);
            closeReason = exception;
            throw;
        }
        catch (TimeoutException exception)
        {
            // The keep-alive logged the missing echo reply and stopped the reads.
            closeReason = exception;
            throw;
        }
        finally
        {
            Volatile.Write(ref _closeReason, closeReason);
            await _keepAliveStop.CancelAsync().ConfigureAwait(false);
            _peerHello.TrySetException(closeReason);
            FailAllPending(closeReason);
            _packetIns.Writer.TryComplete();
            _events.Writer.TryComplete();

            // Close the socket too, so that the switch detects the end of the connection and
            // reconnects, instead of waiting for echo replies that will never come.
            await CloseStreamAsync().ConfigureAwait(false);
        }
    }

    private async Task CloseStreamAsync()
    {
        try
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
        }
        catch (IOException exception)
        {
            Log.ConnectionFailed(_logger, exception);
        }
    }

    /// <summary>
    /// Reads until the peer closes the stream. Each frame's length field is checked as soon as its
    /// header is buffered, so a bad length closes the connection before its body is waited for.
    /// </summary>
    private async Task ReadFramesAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            ReadResult result = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (result.IsCanceled)
            {
                if (Volatile.Read(ref _keepAliveFailure) is { } keepAliveFailure)
                {
                    throw keepAliveFailure;
                }

                throw new OperationCanceledException(cancellationToken);
            }

            ReadOnlySequence<byte> buffer = result.Buffer;
            try
            {
                while (TryReadFrame(buffer, out ReadOnlySequence<byte> frame))
                {
                    await HandleFrameAsync(frame).ConfigureAwait(false);
                    buffer = buffer.Slice(frame.End);
                }
            }
            finally
            {
                _reader.AdvanceTo(buffer.Start, buffer.End);
            }

            if (result.IsCompleted)
            {
                if (!buffer.IsEmpty)
                {
                    Log.TruncatedAtClose(_logger, buffer.Length);
                }

                return;
            }
        }
    }

    /// <summary>
    /// Finds the next frame, keeping the header of a frame with an invalid length for the error reply.
    /// </summary>
    private bool TryReadFrame(in ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> frame)
    {
        try
        {
            return OpenFlowCodec.TryReadFrame(buffer, out frame);
        }
        catch (OpenFlowProtocolException)
        {
            _invalidFrameHeader = buffer.Slice(0, Math.Min(buffer.Length, OfpHeader.Size)).ToArray();
            throw;
        }
    }

    private async Task HandleFrameAsync(ReadOnlySequence<byte> frame)
    {
        MarkReceived();
        OpenFlowMessage message;
        try
        {
            message = OpenFlowCodec.Decode(frame);
        }
        catch (OpenFlowProtocolException exception)
        {
            // The frame length was valid, so the stream stays in sync. Reply with an error and keep reading.
            Log.MalformedMessage(
                _logger, exception.MessageType, exception.Xid, exception.ErrorType, exception.ErrorCode, exception);
            await TrySendErrorAsync(exception, frame.Slice(0, Math.Min(frame.Length, ErrorMessage.RequestBytesToEcho))
                .ToArray()).ConfigureAwait(false);
            return;
        }

        Log.ReceivedIfEnabled(_logger, message, (int)frame.Length);
        await DispatchAsync(message).ConfigureAwait(false);
    }

    private async Task DispatchAsync(OpenFlowMessage message)
    {
        switch (message)
        {
            case HelloMessage hello:
                _peerHello.TrySetResult(hello);
                return;
            case EchoRequest echo:
                await WriteAsync([new EchoReply(echo.Data) { Xid = echo.Xid }], CancellationToken.None)
                    .ConfigureAwait(false);
                return;
            case EchoReply echoReply when TryCompleteKeepAliveEcho(echoReply):
                return;
        }

        if (TryCompletePending(message))
        {
            return;
        }

        if (message is PacketIn packetIn)
        {
            if (!_packetIns.Writer.TryWrite(packetIn))
            {
                long dropped = Interlocked.Increment(ref _droppedPacketIns);
                Log.PacketInDropped(_logger, _options.PacketInCapacity, dropped);
            }

            return;
        }

        _events.Writer.TryWrite(message);
    }

    private bool TryCompletePending(OpenFlowMessage message)
    {
        PendingOperation? operation;
        lock (_pendingLock)
        {
            _pending.TryGetValue(message.Xid, out operation);
        }

        if (operation is null)
        {
            return false;
        }

        if (message is ErrorMessage error)
        {
            Unregister(operation);
            operation.Fail(new OpenFlowErrorReplyException(error, operation.FindSent(error.Xid)));
            return true;
        }

        // A switch may reuse a pending xid for an asynchronous message such as PACKET_IN, so
        // only a message of the expected reply type completes the operation.
        if (message.Xid != operation.CompletionXid || message.Type != operation.ReplyType)
        {
            return false;
        }

        if (operation.AddReply(message))
        {
            Unregister(operation);
        }

        return true;
    }

    private async Task TrySendErrorAsync(OpenFlowProtocolException exception, ReadOnlyMemory<byte> offending)
    {
        var error = ErrorMessage.ForRequest(exception.ErrorType, exception.ErrorCode, offending.Span, exception.Xid);
        try
        {
            await WriteAsync([error], CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception writeFailure) when (writeFailure is IOException or ObjectDisposedException
            or InvalidOperationException)
        {
            Log.ConnectionFailed(_logger, writeFailure);
        }
    }
}
