using Sdmi.OpenFlow.IntegrationTests.Infrastructure;

namespace Sdmi.OpenFlow.IntegrationTests;

/// <summary>
/// The namespace port that replaces a container in tests receives only what the switch sends it, so
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

        // Only a wait can show that nothing arrives, so the test waits for a bounded period.
        await Task.Delay(QuietPeriod);
        ulong after = await container.ReadCounterAsync("rx_packets");

        Assert.Equal(before, after);
    }
}
