using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using Sdmi.OpenFlow.Connection;
using Sdmi.OpenFlow.Messages;

namespace Sdmi.OpenFlow.Tests.Connection;

/// <summary>
/// A fake switch on a loopback TCP connection that a test drives step by step: expect a message,
/// send a reply. Every receive gives up after <see cref="ReceiveTimeout"/> so a broken test fails
/// instead of hanging.
/// </summary>
internal sealed class ScriptedSwitch : IAsyncDisposable
{
    public static readonly TimeSpan ReceiveTimeout = TimeSpan.FromSeconds(10);

    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly PipeReader _reader;

    private ScriptedSwitch(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
        _reader = PipeReader.Create(_stream);
    }

    /// <summary>Connects a fake switch to a new loopback listener and returns both ends.</summary>
    public static async Task<(ScriptedSwitch Switch, OpenFlowConnection Connection, OpenFlowListener Listener)>
        ConnectAsync(OpenFlowConnectionOptions? options = null)
    {
        var listener = new OpenFlowListener(0, options);
        listener.Start();
        var client = new TcpClient { NoDelay = true };
        Task<OpenFlowConnection> accept = listener.AcceptAsync();
        await client.ConnectAsync(listener.LocalEndpoint.Address, listener.LocalEndpoint.Port);
        OpenFlowConnection connection = await accept.WaitAsync(ReceiveTimeout);
        return (new ScriptedSwitch(client), connection, listener);
    }

    /// <summary>
    /// Connects a fake switch to a connection whose stream is wrapped by <paramref name="wrap"/>,
    /// for tests that control how the controller's reads are split.
    /// </summary>
    public static async Task<(ScriptedSwitch Switch, OpenFlowConnection Connection)> ConnectWrappedAsync(
        Func<Stream, Stream> wrap, OpenFlowConnectionOptions? options = null)
    {
        var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var client = new TcpClient { NoDelay = true };
            Task<Socket> accept = listener.AcceptSocketAsync();
            await client.ConnectAsync(
                System.Net.IPAddress.Loopback,
                ((System.Net.IPEndPoint)listener.LocalEndpoint).Port);
            Socket socket = await accept.WaitAsync(ReceiveTimeout);
            var connection = new OpenFlowConnection(wrap(new NetworkStream(socket, ownsSocket: true)), options);
            return (new ScriptedSwitch(client), connection);
        }
        finally
        {
            listener.Stop();
        }
    }

    public Task SendAsync(OpenFlowMessage message) => SendRawAsync(message.ToArray());

    public async Task SendRawAsync(byte[] bytes)
    {
        await _stream.WriteAsync(bytes);
        await _stream.FlushAsync();
    }

    /// <summary>
    /// Returns the next message from the controller, which must be a <typeparamref name="T"/>.
    /// </summary>
    public async Task<T> ExpectAsync<T>()
        where T : OpenFlowMessage
    {
        OpenFlowMessage message = await ReceiveAsync();
        return Assert.IsType<T>(message);
    }

    public async Task<OpenFlowMessage> ReceiveAsync()
    {
        using var timeout = new CancellationTokenSource(ReceiveTimeout);
        while (true)
        {
            ReadResult result = await _reader.ReadAsync(timeout.Token);
            ReadOnlySequence<byte> buffer = result.Buffer;
            OperationStatus status = OpenFlowCodec.TryDecode(
                buffer,
                out OpenFlowMessage? message,
                out SequencePosition end);
            if (status == OperationStatus.Done)
            {
                _reader.AdvanceTo(end);
                return message!;
            }

            _reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                throw new EndOfStreamException("The controller closed the connection.");
            }
        }
    }

    /// <summary>
    /// Returns whether the controller closed the connection, reading and discarding anything before
    /// that.
    /// </summary>
    public async Task<bool> IsClosedByPeerAsync()
    {
        using var timeout = new CancellationTokenSource(ReceiveTimeout);
        while (true)
        {
            ReadResult result = await _reader.ReadAsync(timeout.Token);
            _reader.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                return true;
            }
        }
    }

    /// <summary>
    /// Replies to the controller's HELLO and FEATURES_REQUEST with datapath id <paramref
    /// name="datapathId"/>.
    /// </summary>
    public async Task CompleteHandshakeAsync(ulong datapathId)
    {
        await SendAsync(HelloMessage.Version13Only() with { Xid = 100 });
        await ExpectAsync<HelloMessage>();
        FeaturesRequest request = await ExpectAsync<FeaturesRequest>();
        await SendAsync(new FeaturesReply(datapathId, 0, 254, 0, SwitchCapabilities.FlowStats) { Xid = request.Xid });
    }

    public async ValueTask DisposeAsync()
    {
        await _reader.CompleteAsync();
        _client.Dispose();
    }
}
