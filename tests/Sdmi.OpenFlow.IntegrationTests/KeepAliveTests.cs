using Sdmi.OpenFlow.Connection;
using Sdmi.OpenFlow.IntegrationTests.Infrastructure;
using Sdmi.OpenFlow.Messages;

namespace Sdmi.OpenFlow.IntegrationTests;

public sealed class KeepAliveTests
{
    private static readonly TimeSpan EchoInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Longer than the echo timeout, so a connection that missed the echo replies would have closed.
    /// </summary>
    private static readonly TimeSpan ObservedPeriod = TimeSpan.FromSeconds(2.5);

    [Fact]
    public async Task OpenVSwitch_RepliesToEchoes_StaysOpen()
    {
        var options = new OpenFlowConnectionOptions
        {
            EchoInterval = EchoInterval,
            EchoTimeout = TimeSpan.FromSeconds(1),
        };
        await using SwitchSession session = await SwitchSession.StartAsync(options: options);

        // An idle connection is what the keep-alive acts on, so the test waits without traffic.
        await Task.Delay(ObservedPeriod);
        BarrierReply reply = await session.Connection.RequestAsync<BarrierReply>(new BarrierRequest());

        Assert.False(session.Connection.Completion.IsCompleted);
        Assert.NotEqual(0u, reply.Xid);
    }
}
