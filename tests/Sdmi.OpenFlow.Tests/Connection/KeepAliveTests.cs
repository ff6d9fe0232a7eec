using Microsoft.Extensions.Time.Testing;
using Sdmi.OpenFlow.Connection;
using Sdmi.OpenFlow.Messages;

namespace Sdmi.OpenFlow.Tests.Connection;

/// <summary>
/// The echo keep-alive, driven by a fake clock: an idle connection sends ECHO_REQUEST, a reply keeps
/// it open, and a missing reply closes it with a <see cref="TimeoutException"/>.
/// </summary>
public sealed class KeepAliveTests
{
    private const ulong DatapathId = 0x0000_0242_ac11_0002;
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan EchoTimeout = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task IdleConnection_SendsEchoRequest()
    {
        var time = new FakeTimeProvider();
        var (fake, connection, listener) = await ConnectAsync(time);
        await using var _ = listener;
        await using var __ = fake;
        await using var ___ = connection;

        time.Advance(Interval);
        EchoRequest echo = await fake.ExpectAsync<EchoRequest>();

        Assert.NotEqual(0u, echo.Xid);
        Assert.False(connection.Completion.IsCompleted);
    }

    [Fact]
    public async Task EchoNotAnswered_ClosesWithTimeout()
    {
        var time = new FakeTimeProvider();
        var (fake, connection, listener) = await ConnectAsync(time);
        await using var _ = listener;
        await using var __ = fake;
        await using var ___ = connection;

        time.Advance(Interval);
        await fake.ExpectAsync<EchoRequest>();
        using var stop = new CancellationTokenSource();
        Task clock = TickAsync(time, stop.Token);
        Task finished = await Task.WhenAny(connection.Completion, Task.Delay(ScriptedSwitch.ReceiveTimeout));
        await stop.CancelAsync();
        await clock;

        Assert.Same(connection.Completion, finished);
        var failure = Assert.IsType<TimeoutException>(connection.Completion.Exception?.InnerException);
        Assert.Equal(
            "No ECHO_REPLY from datapath 00000242ac110002 within 00:00:15; closing the OpenFlow connection.",
            failure.Message);
        Assert.True(await fake.IsClosedByPeerAsync());
    }

    [Fact]
    public async Task EchoNotAnswered_FailsPendingRequest()
    {
        var time = new FakeTimeProvider();
        var (fake, connection, listener) = await ConnectAsync(time, requestTimeout: TimeSpan.FromMinutes(5));
        await using var _ = listener;
        await using var __ = fake;
        await using var ___ = connection;

        time.Advance(Interval);
        await fake.ExpectAsync<EchoRequest>();
        Task<BarrierReply> barrier = connection.RequestAsync<BarrierReply>(new BarrierRequest());
        await fake.ExpectAsync<BarrierRequest>();
        using var stop = new CancellationTokenSource();
        Task clock = TickAsync(time, stop.Token);

        Task finished = await Task.WhenAny(barrier, Task.Delay(ScriptedSwitch.ReceiveTimeout));
        await stop.CancelAsync();
        await clock;

        Assert.Same(barrier, finished);
        var failure = await Assert.ThrowsAsync<TimeoutException>(() => barrier);
        Assert.Contains("ECHO_REPLY", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestAfterEchoTimeout_FailsWithCloseReason()
    {
        var time = new FakeTimeProvider();
        var (fake, connection, listener) = await ConnectAsync(time);
        await using var _ = listener;
        await using var __ = fake;
        await using var ___ = connection;
        time.Advance(Interval);
        await fake.ExpectAsync<EchoRequest>();
        using var stop = new CancellationTokenSource();
        Task clock = TickAsync(time, stop.Token);
        await Task.WhenAny(connection.Completion, Task.Delay(ScriptedSwitch.ReceiveTimeout));
        await stop.CancelAsync();
        await clock;

        var failure = await Assert.ThrowsAsync<IOException>(
            () => connection.RequestAsync<BarrierReply>(new BarrierRequest()));

        Assert.Equal("The OpenFlow connection is closed.", failure.Message);
        Assert.IsType<TimeoutException>(failure.InnerException);
    }

    [Fact]
    public async Task EchoAnswered_KeepsConnectionOpen()
    {
        var time = new FakeTimeProvider();
        var (fake, connection, listener) = await ConnectAsync(time);
        await using var _ = listener;
        await using var __ = fake;
        await using var ___ = connection;

        time.Advance(Interval);
        EchoRequest first = await fake.ExpectAsync<EchoRequest>();
        await fake.SendAsync(new EchoReply(first.Data) { Xid = first.Xid });
        await WaitUntilProcessedAsync(fake);

        // The keep-alive loop arms its next delay on its own task after the reply; a single jump of
        // the clock could come before that and never fire it, so the clock moves in small steps
        // (the same holds for the echo timeout armed after each ECHO_REQUEST in the tests above).
        using var stop = new CancellationTokenSource();
        Task clock = TickAsync(time, stop.Token);
        EchoRequest second = await fake.ExpectAsync<EchoRequest>();
        await stop.CancelAsync();
        await clock;

        Assert.False(connection.Completion.IsCompleted);
        Assert.NotEqual(first.Xid, second.Xid);
    }

    /// <summary>Advances the fake clock by 250 ms every 10 ms of real time, at most 400 times.</summary>
    private static async Task TickAsync(FakeTimeProvider time, CancellationToken cancellation)
    {
        for (var step = 0; step < 400 && !cancellation.IsCancellationRequested; step++)
        {
            time.Advance(TimeSpan.FromMilliseconds(250));
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(10), cancellation);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [Fact]
    public async Task TrafficFromSwitch_DelaysEcho()
    {
        var time = new FakeTimeProvider();
        var (fake, connection, listener) = await ConnectAsync(time);
        await using var _ = listener;
        await using var __ = fake;
        await using var ___ = connection;

        time.Advance(Interval - TimeSpan.FromSeconds(1));
        await WaitUntilProcessedAsync(fake);
        time.Advance(TimeSpan.FromSeconds(2));
        Task<BarrierReply> barrier = connection.RequestAsync<BarrierReply>(new BarrierRequest());
        OpenFlowMessage next = await fake.ReceiveAsync();

        Assert.IsType<BarrierRequest>(next);
        await fake.SendAsync(new BarrierReply { Xid = next.Xid });
        await barrier;
    }

    [Fact]
    public async Task InfiniteInterval_SendsNoEcho()
    {
        var time = new FakeTimeProvider();
        var (fake, connection, listener) = await ConnectAsync(time, echoInterval: Timeout.InfiniteTimeSpan);
        await using var _ = listener;
        await using var __ = fake;
        await using var ___ = connection;

        time.Advance(TimeSpan.FromHours(1));
        Task<BarrierReply> barrier = connection.RequestAsync<BarrierReply>(new BarrierRequest());
        OpenFlowMessage next = await fake.ReceiveAsync();

        Assert.IsType<BarrierRequest>(next);
        Assert.False(connection.Completion.IsCompleted);
        await fake.SendAsync(new BarrierReply { Xid = next.Xid });
        await barrier;
    }

    [Theory]
    [InlineData(0, 15)]
    [InlineData(-2, 15)]
    [InlineData(5, 0)]
    public void InvalidEchoOptions_AreRejected(int intervalSeconds, int timeoutSeconds)
    {
        var options = new OpenFlowConnectionOptions
        {
            EchoInterval = TimeSpan.FromSeconds(intervalSeconds),
            EchoTimeout = TimeSpan.FromSeconds(timeoutSeconds),
        };

        Assert.Throws<ArgumentOutOfRangeException>(() => new OpenFlowConnection(Stream.Null, options));
    }

    private static async Task<(ScriptedSwitch Switch, OpenFlowConnection Connection, OpenFlowListener Listener)>
        ConnectAsync(FakeTimeProvider time, TimeSpan? echoInterval = null, TimeSpan? requestTimeout = null)
    {
        var options = new OpenFlowConnectionOptions
        {
            TimeProvider = time,
            EchoInterval = echoInterval ?? Interval,
            EchoTimeout = EchoTimeout,
            RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(10),
        };
        var (fake, connection, listener) = await ScriptedSwitch.ConnectAsync(options);
        Task<FeaturesReply> handshake = connection.HandshakeAsync();
        await fake.CompleteHandshakeAsync(DatapathId);
        await handshake.WaitAsync(ScriptedSwitch.ReceiveTimeout);
        return (fake, connection, listener);
    }

    /// <summary>
    /// Sends an ECHO_REQUEST from the switch and waits for the reply. The connection handles
    /// messages in order, so everything the switch sent before has been handled too.
    /// </summary>
    private static async Task WaitUntilProcessedAsync(ScriptedSwitch fake)
    {
        await fake.SendAsync(new EchoRequest { Xid = 0xfeed });
        EchoReply reply = await fake.ExpectAsync<EchoReply>();
        Assert.Equal(0xfeedu, reply.Xid);
    }
}
