using Sdmi.OpenFlow.IntegrationTests.Infrastructure;

namespace Sdmi.OpenFlow.IntegrationTests;

public sealed class HandshakeTests
{
    [Fact]
    public async Task Handshake_OpenVSwitch_ReturnsBridgeDatapathId()
    {
        await using SwitchSession session = await SwitchSession.StartAsync();

        ulong expected = await session.Bridge.GetDatapathIdAsync();

        Assert.Equal(expected, session.Features[0].DatapathId);
        Assert.Equal(expected, session.Connection.DatapathId);
    }
}
