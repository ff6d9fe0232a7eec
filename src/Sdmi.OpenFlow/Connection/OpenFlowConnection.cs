using System.Buffers;
using System.IO.Pipelines;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Sdmi.OpenFlow.Messages;

namespace Sdmi.OpenFlow.Connection;

/// <summary>
/// One OpenFlow 1.3 channel to a switch over a byte stream. A single read loop decodes framed
/// messages, replies to ECHO_REQUESTs, completes pending requests by xid, and queues asynchronous
/// messages: PACKET_INs in <see cref="PacketIns"/>, everything else (PORT_STATUS, FLOW_REMOVED,
/// errors that match no pending request) in <see cref="Events"/>. Writes are serialized, so
/// every method can be called from any thread.
/// </summary>
public sealed partial class OpenFlowConnection : IAsyncDisposable
{
    private readonly Stream _stream;
    private readonly PipeReader _reader;
    private readonly PipeWriter _writer;
    private readonly OpenFlowConnectionOptions _options;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly Lock _pendingLock = new();
    private readonly Dictionary<uint, PendingOperation> _pending = [];
    private readonly Channel<PacketIn> _packetIns;
    private readonly Channel<OpenFlowMessage> _events;
    private readonly TaskCompletionSource<HelloMessage> _peerHello =
        new(TaskCreationOptions.RunContinuationsAsynchronously);

    private readonly CancellationTokenSource _shutdown = new();
    private Task? _readLoop;
    private int _lastXid;
    private int _lastBundleId;
    private long _droppedPacketIns;
    private bool _closed;
    private byte[] _invalidFrameHeader = [];

    /// <summary>Why the read loop ended, or null while it runs.</summary>
    private Exception? _closeReason;

    /// <summary>
    /// Wraps <paramref name="stream"/>, which the connection owns and disposes. Call
    /// <see cref="HandshakeAsync"/> (or <see cref="Start"/>) to begin reading.
    /// </summary>
    public OpenFlowConnection(Stream stream, OpenFlowConnectionOptions? options = null, ILogger? logger = null)
    {
        _stream = stream;
        _reader = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
        _writer = PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true));
        _options = options ?? new OpenFlowConnectionOptions();
        ValidateKeepAliveOptions(_options);
        _logger = logger ?? NullLogger.Instance;
        _packetIns = Channel.CreateBounded<PacketIn>(new BoundedChannelOptions(_options.PacketInCapacity)
        {
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _events = Channel.CreateUnbounded<OpenFlowMessage>(new UnboundedChannelOptions { SingleWriter = true });
    }

    /// <summary>PACKET_INs in arrival order. Completes when the connection closes.</summary>
    public ChannelReader<PacketIn> PacketIns => _packetIns.Reader;

    /// <summary>
    /// Asynchronous messages other than PACKET_IN: PORT_STATUS, FLOW_REMOVED, ERRORs that match no
    /// pending request, and replies that arrive after their request timed out. Unbounded, because
    /// switches send these rarely. Completes when the connection closes.
    /// </summary>
    public ChannelReader<OpenFlowMessage> Events => _events.Reader;

    /// <summary>PACKET_INs dropped because <see cref="PacketIns"/> was full.</summary>
    public long DroppedPacketIns => Interlocked.Read(ref _droppedPacketIns);

    /// <summary>The FEATURES_REPLY from the handshake, or null before it completes.</summary>
    public FeaturesReply? Features { get; private set; }

    /// <summary>The switch's datapath id from the handshake, or null before it completes.</summary>
    public ulong? DatapathId => Features?.DatapathId;

    /// <summary>
    /// Completes when the read loop ends: faulted on a transport or framing failure, and with a
    /// <see cref="TimeoutException"/> when the switch sends no reply to the echo keep-alive.
    /// </summary>
    public Task Completion => _readLoop ?? Task.CompletedTask;

    /// <summary>Starts the read loop and the echo keep-alive; later calls do nothing.</summary>
    public void Start()
    {
        lock (_pendingLock)
        {
            if (_readLoop is null)
            {
                MarkReceived();
                _readLoop = Task.Run(() => ReadLoopAsync(_shutdown.Token));
                if (KeepAliveEnabled)
                {
                    _keepAlive = Task.Run(() => KeepAliveLoopAsync(_keepAliveStop.Token));
                }
            }
        }
    }

    /// <summary>Returns a new transaction id, never 0.</summary>
    public uint NextXid()
    {
        uint xid = (uint)Interlocked.Increment(ref _lastXid);
        return xid == 0 ? (uint)Interlocked.Increment(ref _lastXid) : xid;
    }

    /// <summary>
    /// Sends HELLO offering OpenFlow 1.3, waits for the switch's HELLO, then requests its features.
    /// Fails with <see cref="OpenFlowProtocolException"/> (OFPET_HELLO_FAILED) after sending the same
    /// error to the switch when it does not support 1.3, and with <see cref="TimeoutException"/>
    /// when no HELLO arrives within <see cref="OpenFlowConnectionOptions.HandshakeTimeout"/>.
    /// </summary>
    public async Task<FeaturesReply> HandshakeAsync(CancellationToken cancellationToken = default)
    {
        Start();
        await WriteAsync([HelloMessage.Version13Only() with { Xid = NextXid() }], cancellationToken)
            .ConfigureAwait(false);
        HelloMessage peerHello = await _peerHello.Task
            .WaitAsync(_options.HandshakeTimeout, _options.TimeProvider, cancellationToken)
            .ConfigureAwait(false);
        if (!peerHello.SupportsVersion(OfpHeader.Version13))
        {
            await RejectHelloAsync(peerHello, cancellationToken).ConfigureAwait(false);
        }

        FeaturesReply features = await RequestAsync<FeaturesReply>(new FeaturesRequest(), cancellationToken)
            .ConfigureAwait(false);
        Features = features;
        Log.HandshakeCompleted(_logger, features.DatapathId, features.TableCount);
        return features;
    }

    /// <summary>
    /// Sends <paramref name="message"/> with a new xid and returns that xid. Does not wait for a
    /// reply.
    /// </summary>
    public async Task<uint> SendAsync(OpenFlowMessage message, CancellationToken cancellationToken = default)
    {
        OpenFlowMessage stamped = WithXid(message, NextXid());
        await WriteAsync([stamped], cancellationToken).ConfigureAwait(false);
        return stamped.Xid;
    }

    /// <summary>
    /// Sends <paramref name="request"/> with a new xid and returns the reply of the matching reply
    /// type with that xid; other messages with that xid are queued in <see cref="Events"/>.
    /// Fails with <see cref="OpenFlowErrorReplyException"/> when the switch replies with an error,
    /// with <see cref="OpenFlowProtocolException"/> when the reply is not a <typeparamref name="TReply"/>
    /// (possible for experimenter replies), and with <see cref="ArgumentException"/> for a message
    /// type that has no reply. Use <see cref="RequestMultipartAsync{TReply}"/> for multipart requests.
    /// </summary>
    public async Task<TReply> RequestAsync<TReply>(
        OpenFlowMessage request, CancellationToken cancellationToken = default)
        where TReply : OpenFlowMessage
    {
        if (request is MultipartRequest)
        {
            throw new ArgumentException(
                "A multipart request can have several replies; use RequestMultipartAsync.", nameof(request));
        }

        OpenFlowMessage stamped = WithXid(request, NextXid());
        IReadOnlyList<OpenFlowMessage> replies =
            await ExchangeAsync([stamped], stamped.Xid, collectsMultipart: false, cancellationToken)
                .ConfigureAwait(false);
        return CastReply<TReply>(replies[0], stamped);
    }

    /// <summary>
    /// Sends a multipart request and returns every part of the reply, in order, after the last
    /// part (the one without OFPMPF_REPLY_MORE) has arrived.
    /// </summary>
    public async Task<IReadOnlyList<TReply>> RequestMultipartAsync<TReply>(
        MultipartRequest request, CancellationToken cancellationToken = default)
        where TReply : MultipartReply
    {
        OpenFlowMessage stamped = WithXid(request, NextXid());
        IReadOnlyList<OpenFlowMessage> replies =
            await ExchangeAsync([stamped], stamped.Xid, collectsMultipart: true, cancellationToken)
                .ConfigureAwait(false);
        return replies.Select(reply => CastReply<TReply>(reply, stamped)).ToArray();
    }

    /// <summary>
    /// Returns every flow entry that <paramref name="request"/> selects, across all reply parts.
    /// </summary>
    public async Task<IReadOnlyList<FlowStats>> GetFlowStatsAsync(
        FlowStatsRequest request, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<FlowStatsReply> parts =
            await RequestMultipartAsync<FlowStatsReply>(request, cancellationToken).ConfigureAwait(false);
        return parts.SelectMany(part => part.Stats).ToArray();
    }

    /// <summary>Returns the descriptions of all ports of the switch.</summary>
    public async Task<IReadOnlyList<PortDescription>> GetPortDescriptionsAsync(
        CancellationToken cancellationToken = default)
    {
        IReadOnlyList<PortDescReply> parts =
            await RequestMultipartAsync<PortDescReply>(new PortDescRequest(), cancellationToken).ConfigureAwait(false);
        return parts.SelectMany(part => part.Ports).ToArray();
    }

    /// <summary>
    /// Sends <paramref name="messages"/> with new xids, then a BARRIER_REQUEST, in one write, and
    /// completes when the barrier reply arrives, which means the switch has processed them all.
    /// Fails with <see cref="OpenFlowErrorReplyException"/> as soon as an error arrives for one of
    /// them. The switch still applies the other messages; use <see cref="CommitBundleAsync"/> for
    /// all-or-nothing changes.
    /// </summary>
    public async Task SendAndConfirmAsync(
        IReadOnlyList<OpenFlowMessage> messages, CancellationToken cancellationToken = default)
    {
        var batch = new List<OpenFlowMessage>(messages.Count + 1);
        foreach (OpenFlowMessage message in messages)
        {
            batch.Add(WithXid(message, NextXid()));
        }

        var barrier = new BarrierRequest { Xid = NextXid() };
        batch.Add(barrier);
        await ExchangeAsync(batch, barrier.Xid, collectsMultipart: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Applies <paramref name="messages"/> through an ONF bundle: opens a bundle, adds each message
    /// and confirms the adds with a barrier, then commits. With <see cref="BundleFlags.Atomic"/> the
    /// switch applies all or none. When the switch rejects any step, the bundle is discarded and the
    /// call fails with <see cref="OpenFlowErrorReplyException"/> carrying the switch's error.
    /// </summary>
    public async Task CommitBundleAsync(
        IReadOnlyList<OpenFlowMessage> messages,
        BundleFlags flags = BundleFlags.Atomic | BundleFlags.Ordered,
        CancellationToken cancellationToken = default)
    {
        uint bundleId = (uint)Interlocked.Increment(ref _lastBundleId);
        await BundleControlAsync(bundleId, BundleControlType.OpenRequest, flags, cancellationToken)
            .ConfigureAwait(false);
        try
        {
            var adds = new List<OpenFlowMessage>(messages.Count);
            foreach (OpenFlowMessage message in messages)
            {
                adds.Add(BundleAddMessage.Create(bundleId, flags, message with { Xid = NextXid() }));
            }

            // The barrier makes errors for individual adds arrive before the commit, because
            // committing after a rejected add would apply the bundle without that message.
            var barrier = new BarrierRequest { Xid = NextXid() };
            adds.Add(barrier);
            await ExchangeAsync(adds, barrier.Xid, collectsMultipart: false, cancellationToken).ConfigureAwait(false);
            await BundleControlAsync(bundleId, BundleControlType.CommitRequest, flags, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is OpenFlowErrorReplyException or TimeoutException
            or OperationCanceledException)
        {
            // Discard without the caller's token, which may be the one that was cancelled.
            await DiscardBundleAsync(bundleId, flags).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Sends one bundle control request and returns the reply. Fails with
    /// <see cref="OpenFlowProtocolException"/> when the reply has the wrong control type.
    /// </summary>
    public async Task<BundleControlMessage> BundleControlAsync(
        uint bundleId, BundleControlType request, BundleFlags flags, CancellationToken cancellationToken = default)
    {
        BundleControlMessage reply = await RequestAsync<BundleControlMessage>(
            new BundleControlMessage(bundleId, request, flags), cancellationToken).ConfigureAwait(false);
        var expected = (BundleControlType)((ushort)request + 1);
        if (reply.ControlType != expected || reply.BundleId != bundleId)
        {
            throw new OpenFlowProtocolException(
                OfpErrorType.BadRequest,
                (ushort)BadRequestCode.BadType,
                OfpType.Experimenter,
                reply.Xid,
                OfpHeader.Size,
                $"expected {expected} for bundle {bundleId}, received {reply.ControlType} for bundle {reply.BundleId}");
        }

        return reply;
    }

    /// <summary>Stops reading, fails pending requests and closes the stream.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        await _shutdown.CancelAsync().ConfigureAwait(false);
        await _keepAliveStop.CancelAsync().ConfigureAwait(false);
        _reader.CancelPendingRead();
        _writer.CancelPendingFlush();
        if (_readLoop is not null)
        {
            try
            {
                await _readLoop.ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is IOException or OpenFlowProtocolException
                or OperationCanceledException or ObjectDisposedException or TimeoutException)
            {
                // The read loop already logged its failure and failed the pending requests.
            }
        }

        if (_keepAlive is not null)
        {
            await _keepAlive.ConfigureAwait(false);
        }

        FailAllPending(new ObjectDisposedException(nameof(OpenFlowConnection)));
        await _reader.CompleteAsync().ConfigureAwait(false);
        try
        {
            await _writer.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException)
        {
            // The read loop closed the stream first; nothing is left to flush to it.
        }

        await _stream.DisposeAsync().ConfigureAwait(false);
        _shutdown.Dispose();
        _keepAliveStop.Dispose();
        _writeLock.Dispose();
    }

    private static OpenFlowMessage WithXid(OpenFlowMessage message, uint xid) => message switch
    {
        BundleAddMessage add => add with { Xid = xid, Message = add.Message with { Xid = xid } },
        _ => message with { Xid = xid },
    };

    private static TReply CastReply<TReply>(OpenFlowMessage reply, OpenFlowMessage request)
        where TReply : OpenFlowMessage
    {
        if (reply is TReply typed)
        {
            return typed;
        }

        throw new OpenFlowProtocolException(
            OfpErrorType.BadRequest,
            (ushort)BadRequestCode.BadType,
            reply.Type,
            reply.Xid,
            0,
            $"reply to {request.Type} is a {reply.GetType().Name}, expected {typeof(TReply).Name}");
    }

    private async Task DiscardBundleAsync(uint bundleId, BundleFlags flags)
    {
        try
        {
            await BundleControlAsync(bundleId, BundleControlType.DiscardRequest, flags).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is OpenFlowErrorReplyException or TimeoutException
            or OpenFlowProtocolException or IOException)
        {
            Log.BundleDiscardFailed(_logger, bundleId, exception);
        }
    }

    private async Task RejectHelloAsync(HelloMessage peerHello, CancellationToken cancellationToken)
    {
        const string reason = "peer does not support OpenFlow 1.3 (version 0x04)";
        var error = new ErrorMessage(
            OfpErrorType.HelloFailed,
            (ushort)HelloFailedCode.Incompatible,
            new EquatableArray<byte>(System.Text.Encoding.ASCII.GetBytes(reason))) { Xid = peerHello.Xid };
        await WriteAsync([error], cancellationToken).ConfigureAwait(false);
        throw new OpenFlowProtocolException(
            OfpErrorType.HelloFailed, (ushort)HelloFailedCode.Incompatible, OfpType.Hello, peerHello.Xid, 0, reason);
    }
}
