using Sdmi.OpenFlow.IntegrationTests.Infrastructure;

namespace Sdmi.OpenFlow.IntegrationTests;

/// <summary>
/// The namespace port that stands in for a container receives only what the switch sends it, so
/// the PACKET_OUT tests can count frames.
/// </summary>
public sealed class NamespacePortTests
{
    /// <summary>
    /// Long enough for the IPv6 traffic that a kernel sends after a link comes up: MLD reports at
    /// once, and duplicate address detection and a router solicitation about a second later.
    /// </summary>
    private static readonly TimeSpan QuietPeriod = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task NewPort_WithoutFlows_ReceivesNoFrames()
    {
        await using SwitchSession session = await SwitchSession.StartAsync();
        await using NamespacePort container = await NamespacePort.CreateAsync(session.Bridge, 11);
        ulong before = await container.ReadCounterAsync("rx_packets");

        // A wait is the only way to observe that nothing arrives; the period is bounded.
        await Task.Delay(QuietPeriod);
        ulong after = await container.ReadCounterAsync("rx_packets");

        Assert.Equal(before, after);
    }
}
