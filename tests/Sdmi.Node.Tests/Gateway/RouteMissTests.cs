using Sdmi.Node.Gateway;

namespace Sdmi.Node.Tests.Gateway;

public sealed class RouteMissTests
{
    private const string ScaleRoute = "POST /v1/systems/{name}/services/{service}/scale";

    private static readonly ApiRoute[] Routes =
    [
        new("POST", "/v1/systems"),
        new("DELETE", "/v1/systems/{name}"),
        new("POST", "/v1/systems/{name}/services/{service}/scale"),
        new("GET", "/v1/transactions/{id}"),
        new("POST", "/v1/transactions/probe"),
    ];

    [Theory]
    [InlineData("GET", "/v1/transactions/", "id", "GET /v1/transactions/{id}")]
    [InlineData("DELETE", "/v1/systems/", "name", "DELETE /v1/systems/{name}")]
    [InlineData("POST", "/v1/systems//services/web/scale", "name", ScaleRoute)]
    [InlineData("POST", "/v1/systems/shop/services//scale", "service", ScaleRoute)]
    public void NotFound_EmptyParameter_NamesParameterAndRoute(
        string method, string path, string parameter, string route)
    {
        var message = RouteMiss.NotFound(method, path, Routes);

        Assert.Contains($"{method} {path}", message);
        Assert.Contains($"{{{parameter}}} segment is empty", message);
        Assert.Contains($"Send {route}", message);
    }

    [Fact]
    public void NotFound_UnknownPath_ListsEveryRoute()
    {
        var message = RouteMiss.NotFound("GET", "/v2/status", Routes);

        Assert.StartsWith("No route matches GET /v2/status.", message);
        foreach (var route in Routes)
        {
            Assert.Contains(route.ToString(), message);
        }
    }

    [Fact]
    public void NotFound_OtherMethodEmpty_ListsEveryRoute()
    {
        var message = RouteMiss.NotFound("PUT", "/v1/transactions/", Routes);

        Assert.DoesNotContain("segment is empty", message);
        Assert.Contains("GET /v1/transactions/{id}", message);
    }

    [Fact]
    public void NotFound_LiteralSegmentDiffers_ListsEveryRoute()
    {
        var message = RouteMiss.NotFound("GET", "/v1/transaction/", Routes);

        Assert.DoesNotContain("segment is empty", message);
    }

    [Fact]
    public void MethodNotAllowed_EmptyParameter_NamesParameter()
    {
        var message = RouteMiss.MethodNotAllowed("DELETE", "/v1/systems/", "POST", Routes);

        Assert.Contains("{name} segment is empty", message);
        Assert.Contains("Send DELETE /v1/systems/{name}", message);
    }

    [Fact]
    public void MethodNotAllowed_OtherMethod_NamesAllowedMethods()
    {
        var message = RouteMiss.MethodNotAllowed("GET", "/v1/systems/shop", "DELETE", Routes);

        Assert.Equal("GET /v1/systems/shop: the method is not allowed on this path. Send DELETE instead.", message);
    }
}
