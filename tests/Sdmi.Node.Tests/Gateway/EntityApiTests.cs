using System.Net;
using System.Text.Json;
using Akka.TestKit.Xunit2;
using Sdmi.Node.Networks;
using static Sdmi.Node.Networks.NetworkProtocol;
using static Sdmi.Node.Services.ServiceProtocol;

namespace Sdmi.Node.Tests.Gateway;

/// <summary>GET /v1/systems/{name}/services/{service} and /networks/{network}: names, answers and errors.</summary>
public sealed class EntityApiTests : TestKit
{
    [Theory]
    [InlineData("/v1/systems/shop.a/services/api", "system name 'shop.a'")]
    [InlineData("/v1/systems/shop/services/Api", "service name 'Api'")]
    [InlineData("/v1/systems/shop/networks/a.b", "network name 'a.b'")]
    public async Task Get_InvalidName_Returns400NamingIt(string path, string expected)
    {
        await using var gateway = await GatewayUnderTest.StartAsync(this);

        using var response = await gateway.Http.GetAsync(path);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, body.RootElement.GetProperty("error").GetString());
        gateway.Services.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        gateway.Networks.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task Get_UndeclaredService_Returns404()
    {
        await using var gateway = await GatewayUnderTest.StartAsync(this);

        var response = gateway.Http.GetAsync("/v1/systems/shop/services/cart");
        gateway.Services.ExpectMsg<GetServiceState>();
        gateway.Services.Reply(new ServiceState("shop", "cart", false, 0, 0, 0, null, null, false, []));
        using var answer = await response;

        Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
        Assert.Contains("declares no service cart", await answer.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Get_DeclaredNetwork_ReturnsItsLeases()
    {
        await using var gateway = await GatewayUnderTest.StartAsync(this);

        var response = gateway.Http.GetAsync("/v1/systems/shop/networks/apps");
        gateway.Networks.ExpectMsg<GetNetworkState>();
        gateway.Networks.Reply(new NetworkState(
            "shop", "apps", true, 2, 3, "10.99.0.0/24", "10.99.0.254", "10.99.0.1-10.99.0.253", null, "sdmi9", [new Lease("api", 1, "10.99.0.1")]));
        using var answer = await response;
        using var body = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var lease = Assert.Single(body.RootElement.GetProperty("leases").EnumerateArray().ToList());
        Assert.Equal("10.99.0.1", lease.GetProperty("address").GetString());
        Assert.Equal(3, body.RootElement.GetProperty("revision").GetInt64());
    }
}
