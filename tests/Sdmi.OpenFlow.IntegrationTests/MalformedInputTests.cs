using System.Buffers.Binary;
using System.Net.Sockets;
using Sdmi.OpenFlow.Connection;
using Sdmi.OpenFlow.Matching;
using Sdmi.OpenFlow.Messages;

namespace Sdmi.OpenFlow.IntegrationTests;

/// <summary>
/// A fake switch, a plain TCP client on loopback, writes invalid bytes to a connection accepted by
/// <see cref="OpenFlowListener"/>. The library replies to a malformed message whose length field
/// is usable with OFPT_ERROR and keeps reading, and closes the connection after replying when the
/// length field itself is invalid, because the message framing is then lost.
/// </summary>
public sealed class MalformedInputTests : IAsyncLifetime
{
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(10);

    private readonly OpenFlowListener _listener = new(0);
    private readonly TcpClient _fakeSwitch = new();
    private OpenFlowConnection? _connection;
    private NetworkStream? _wire;

    private OpenFlowConnection Connection => _connection!;

    private NetworkStream Wire => _wire!;

    public async Task InitializeAsync()
    {
        _listener.Start();
        Task<OpenFlowConnection> accept = _listener.AcceptAsync();
        await _fakeSwitch.ConnectAsync(_listener.LocalEndpoint);
        _connection = await accept.WaitAsync(ReplyTimeout);
        _connection.Start();
        _wire = _fakeSwitch.GetStream();
    }

    public async Task DisposeAsync()
    {
        _fakeSwitch.Dispose();
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        await _listener.DisposeAsync();
    }

    [Fact]
    public async Task UnknownMessageType_RepliesBadType()
    {
        byte[] unknownType = [0x04, 0x63, 0x00, 0x08, 0x00, 0x00, 0x00, 0x2a];

        await Wire.WriteAsync(unknownType);
        OpenFlowMessage reply = await ReadMessageAsync();
        await Wire.WriteAsync(new EchoRequest([1, 2, 3]) { Xid = 43 }.ToArray());
        OpenFlowMessage echo = await ReadMessageAsync();

        ErrorMessage error = Assert.IsType<ErrorMessage>(reply);
        Assert.Equal(0x2au, error.Xid);
        Assert.Equal(OfpErrorType.BadRequest, error.ErrorType);
        Assert.Equal((ushort)BadRequestCode.BadType, error.Code);
        Assert.Equal(unknownType, error.Data.AsSpan().ToArray());
        EchoReply echoReply = Assert.IsType<EchoReply>(echo);
        Assert.Equal(43u, echoReply.Xid);
        Assert.Equal([1, 2, 3], echoReply.Data.AsSpan().ToArray());
    }

    [Fact]
    public async Task NonOxmPacketInMatch_RepliesBadMatch()
    {
        var packetIn = new PacketIn(
            OfpBufferId.NoBuffer, 60, PacketInReason.NoMatch, 0, 0, new Match([Oxm.InPort(1)]), new byte[60]) { Xid = 44 };
        byte[] bytes = packetIn.ToArray();
        const int matchTypeOffset = OfpHeader.Size + PacketIn.FixedBodySize;
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(matchTypeOffset), 0);

        await Wire.WriteAsync(bytes);
        OpenFlowMessage reply = await ReadMessageAsync();

        ErrorMessage error = Assert.IsType<ErrorMessage>(reply);
        Assert.Equal(44u, error.Xid);
        Assert.Equal(OfpErrorType.BadMatch, error.ErrorType);
        Assert.Equal((ushort)BadMatchCode.BadType, error.Code);
        Assert.Equal(bytes[..ErrorMessage.RequestBytesToEcho], error.Data.AsSpan().ToArray());
        Assert.False(Connection.PacketIns.TryRead(out _));
    }

    [Fact]
    public async Task ShortLengthField_RepliesBadLen()
    {
        byte[] shortLength = [0x04, 0x02, 0x00, 0x04, 0x00, 0x00, 0x00, 0x07];

        await Wire.WriteAsync(shortLength);
        OpenFlowMessage reply = await ReadMessageAsync();

        ErrorMessage error = Assert.IsType<ErrorMessage>(reply);
        Assert.Equal(7u, error.Xid);
        Assert.Equal(OfpErrorType.BadRequest, error.ErrorType);
        Assert.Equal((ushort)BadRequestCode.BadLen, error.Code);
        var failure = await Assert.ThrowsAsync<OpenFlowProtocolException>(
            () => Connection.Completion.WaitAsync(ReplyTimeout));
        Assert.Equal((ushort)BadRequestCode.BadLen, failure.ErrorCode);
    }

    [Fact]
    public async Task ShortLengthField_ClosesSocket()
    {
        byte[] shortLength = [0x04, 0x02, 0x00, 0x04, 0x00, 0x00, 0x00, 0x07];

        await Wire.WriteAsync(shortLength);
        await ReadMessageAsync();
        await Assert.ThrowsAsync<OpenFlowProtocolException>(() => Connection.Completion.WaitAsync(ReplyTimeout));

        // The read loop has stopped, so no ECHO_REQUEST of the switch gets a reply any more. The
        // switch can only tell when the library closes the socket, which this side reads as end of stream.
        bool closed = await WaitForEndOfStreamAsync();
        Assert.True(closed, $"The connection left the socket open for {ReplyTimeout} after losing the framing.");
    }

    [Fact]
    public async Task PeerClosesInsideMessage_CompletesWithoutError()
    {
        byte[] truncated = [0x04, 0x0a, 0x00, 0x40, 0x00, 0x00, 0x00, 0x08, 0xff, 0xff, 0xff, 0xff];

        await Wire.WriteAsync(truncated);
        _fakeSwitch.Client.Shutdown(SocketShutdown.Send);
        await Connection.Completion.WaitAsync(ReplyTimeout);
        await Connection.DisposeAsync();

        Assert.True(Connection.Completion.IsCompletedSuccessfully);
        Assert.True(Connection.PacketIns.Completion.IsCompleted);
        Assert.True(Connection.Events.Completion.IsCompleted);
        Assert.Equal(0, await ReadByteCountAsync());
    }

    /// <summary>Reads one whole OpenFlow message from the fake switch's side and decodes it.</summary>
    private async Task<OpenFlowMessage> ReadMessageAsync()
    {
        using var timeout = new CancellationTokenSource(ReplyTimeout);
        byte[] header = new byte[OfpHeader.Size];
        await Wire.ReadExactlyAsync(header, timeout.Token);
        byte[] message = new byte[BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(2))];
        header.CopyTo(message, 0);
        await Wire.ReadExactlyAsync(message.AsMemory(OfpHeader.Size), timeout.Token);
        return OpenFlowCodec.Decode(message);
    }

    /// <summary>Returns whether the library closes the connection within <see cref="ReplyTimeout"/>, ignoring any bytes before the end.</summary>
    private async Task<bool> WaitForEndOfStreamAsync()
    {
        using var timeout = new CancellationTokenSource(ReplyTimeout);
        byte[] buffer = new byte[256];
        try
        {
            while (await Wire.ReadAsync(buffer, timeout.Token) > 0)
            {
            }

            return true;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Reads what the library sends next: 0 when it has closed the connection.</summary>
    private async Task<int> ReadByteCountAsync()
    {
        using var timeout = new CancellationTokenSource(ReplyTimeout);
        byte[] buffer = new byte[256];
        return await Wire.ReadAsync(buffer, timeout.Token);
    }
}
