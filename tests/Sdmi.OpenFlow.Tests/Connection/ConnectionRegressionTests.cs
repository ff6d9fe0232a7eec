using Microsoft.Extensions.Time.Testing;
using Sdmi.OpenFlow.Connection;
using Sdmi.OpenFlow.Instructions;
using Sdmi.OpenFlow.Matching;
using Sdmi.OpenFlow.Messages;

namespace Sdmi.OpenFlow.Tests.Connection;

public sealed class ConnectionRegressionTests
{
    [Fact]
    public async Task MessageSpanningManyReads_IsReassembled()
    {
        TrickleStream? trickle = null;
        var (
            fake,
            connection) = await ScriptedSwitch.ConnectWrappedAsync(stream => trickle = new TrickleStream(stream, 3));
        await using var _ = fake;
        await using var __ = connection;
        FlowStats entry = new(0, 1, 0, 10, 0, 0, FlowModFlags.None, 42, 0, 0,
            new Match([Oxm.InPort(1), Oxm.EthType(0x0800)]), [new GotoTableInstruction(1)]);

        Task<IReadOnlyList<FlowStats>> stats = connection.GetFlowStatsAsync(new FlowStatsRequest());
        FlowStatsRequest request = await fake.ExpectAsync<FlowStatsRequest>();
        var reply = new FlowStatsReply([entry, entry with { Cookie = 43 }]) { Xid = request.Xid };
        await fake.SendAsync(reply);

        Assert.Equal([entry, entry with { Cookie = 43 }], await stats);
        Assert.True(trickle!.ReadCount >= reply.Length / trickle.MaxReadSize);
    }

    [Fact]
    public async Task Request_NoReply_TimesOut()
    {
        var time = new FakeTimeProvider();
        var options = new OpenFlowConnectionOptions { TimeProvider = time, RequestTimeout = TimeSpan.FromSeconds(5) };
        var (fake, connection, listener) = await ScriptedSwitch.ConnectAsync(options);
        await using var _ = listener;
        await using var __ = fake;
        await using var ___ = connection;

        Task<BarrierReply> request = connection.RequestAsync<BarrierReply>(new BarrierRequest());
        BarrierRequest sent = await fake.ExpectAsync<BarrierRequest>();
        await AdvanceUntilCompletedAsync(time, request, TimeSpan.FromSeconds(6));
        var exception = await Assert.ThrowsAsync<TimeoutException>(() => request);
        await fake.SendAsync(new BarrierReply { Xid = sent.Xid });
        using var timeout = new CancellationTokenSource(ScriptedSwitch.ReceiveTimeout);
        OpenFlowMessage late = await connection.Events.ReadAsync(timeout.Token);

        Assert.Contains($"xid {sent.Xid}", exception.Message);
        Assert.Equal(new BarrierReply { Xid = sent.Xid }, late);
    }

    [Fact]
    public async Task Handshake_NoHello_TimesOut()
    {
        var time = new FakeTimeProvider();
        var options = new OpenFlowConnectionOptions { TimeProvider = time, HandshakeTimeout = TimeSpan.FromSeconds(3) };
        var (fake, connection, listener) = await ScriptedSwitch.ConnectAsync(options);
        await using var _ = listener;
        await using var __ = fake;
        await using var ___ = connection;

        Task<FeaturesReply> handshake = connection.HandshakeAsync();
        await fake.ExpectAsync<HelloMessage>();
        await AdvanceUntilCompletedAsync(time, handshake, TimeSpan.FromSeconds(4));

        await Assert.ThrowsAsync<TimeoutException>(() => handshake);
    }

    [Fact]
    public async Task PacketInQueueFull_DropsAndCounts()
    {
        var options = new OpenFlowConnectionOptions { PacketInCapacity = 2 };
        var (fake, connection, listener) = await ScriptedSwitch.ConnectAsync(options);
        await using var _ = listener;
        await using var __ = fake;
        await using var ___ = connection;
        connection.Start();
        var packetIn = new PacketIn(OfpBufferId.NoBuffer, 1, PacketInReason.NoMatch, 0, 0, Match.Any, new byte[] { 1 });

        for (int i = 0; i < 5; i++)
        {
            await fake.SendAsync(packetIn with { Xid = (uint)i });
        }

        Task<BarrierReply> barrier = connection.RequestAsync<BarrierReply>(new BarrierRequest());
        BarrierRequest sent = await fake.ExpectAsync<BarrierRequest>();
        await fake.SendAsync(new BarrierReply { Xid = sent.Xid });
        await barrier;

        Assert.Equal(3, connection.DroppedPacketIns);
        Assert.Equal(2, connection.PacketIns.Count);
    }

    /// <summary>
    /// Advances the fake clock until <paramref name="task"/> completes. The timer may be created
    /// after the first advance, so this advances again, at most 50 times.
    /// </summary>
    private static async Task AdvanceUntilCompletedAsync(FakeTimeProvider time, Task task, TimeSpan step)
    {
        for (int attempt = 0; attempt < 50 && !task.IsCompleted; attempt++)
        {
            time.Advance(step);
            await Task.WhenAny(task, Task.Delay(TimeSpan.FromMilliseconds(20)));
        }
    }
}
