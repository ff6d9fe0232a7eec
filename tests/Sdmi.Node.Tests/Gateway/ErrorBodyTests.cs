using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using static Sdmi.Node.Systems.SystemProtocol;

namespace Sdmi.Node.Tests.Gateway;

/// <summary>
/// Error responses that no endpoint handler writes (Kestrel's body limit, routes that match nothing,
/// exceptions a handler does not catch) carry the {"error": "..."} body the handlers use.
/// </summary>
public sealed class ErrorBodyTests : TestKit
{
    private const long BodyLimit = 1024;

    [Fact]
    public async Task Deploy_BodyOverLimit_Returns413()
    {
        await using var gateway = await GatewayUnderTest.StartAsync(this, BodyLimit);
        using var content = new StringContent(new string(' ', 2000), Encoding.UTF8, "application/json");

        using var response = await gateway.Http.PostAsync("/v1/systems", content);
        var error = await ErrorAsync(response);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("POST /v1/systems", error);
        Assert.Contains("2000 bytes", error);
        Assert.Contains("at most 1024 bytes", error);
    }

    [Fact]
    public async Task Probe_ChunkedBodyOverLimit_Returns413()
    {
        await using var gateway = await GatewayUnderTest.StartAsync(this, BodyLimit);
        using var content = new StreamContent(new MemoryStream(new byte[4000]));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/transactions/probe") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await gateway.Http.SendAsync(request);
        var error = await ErrorAsync(response);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("POST /v1/transactions/probe", error);
        Assert.Contains("at most 1024 bytes", error);
    }

    [Fact]
    public async Task GetTransaction_EmptyId_Returns404NamingParameter()
    {
        await using var gateway = await GatewayUnderTest.StartAsync(this);

        using var response = await gateway.Http.GetAsync("/v1/transactions/");
        var error = await ErrorAsync(response);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("GET /v1/transactions/", error);
        Assert.Contains("{id}", error);
        Assert.Contains("GET /v1/transactions/{id}", error);
    }

    [Fact]
    public async Task Remove_EmptyName_Returns405NamingParameter()
    {
        await using var gateway = await GatewayUnderTest.StartAsync(this);

        using var response = await gateway.Http.DeleteAsync("/v1/systems/");
        var error = await ErrorAsync(response);

        // The path also matches POST /v1/systems, so routing returns 405 with "Allow: POST".
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Contains("{name}", error);
        Assert.Contains("DELETE /v1/systems/{name}", error);
    }

    [Fact]
    public async Task Scale_EmptySystemName_Returns404NamingParameter()
    {
        await using var gateway = await GatewayUnderTest.StartAsync(this);
        using var content = new StringContent("""{"replicas": 2}""", Encoding.UTF8, "application/json");

        using var response = await gateway.Http.PostAsync("/v1/systems//services/web/scale", content);
        var error = await ErrorAsync(response);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("{name}", error);
        Assert.Contains("POST /v1/systems/{name}/services/{service}/scale", error);
    }

    [Fact]
    public async Task UnknownPath_Returns404ListingRoutes()
    {
        await using var gateway = await GatewayUnderTest.StartAsync(this);

        using var response = await gateway.Http.GetAsync("/v1/nothing");
        var error = await ErrorAsync(response);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("GET /v1/nothing", error);
        Assert.Contains("GET /v1/status", error);
        Assert.Contains("POST /v1/transactions/probe", error);
    }

    [Fact]
    public async Task WrongMethod_Returns405NamingAllowed()
    {
        await using var gateway = await GatewayUnderTest.StartAsync(this);

        using var response = await gateway.Http.GetAsync("/v1/systems/web");
        var error = await ErrorAsync(response);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Contains("GET /v1/systems/web", error);
        Assert.Contains("DELETE", error);
    }

    [Fact]
    public async Task Status_HandlerThrows_Returns500()
    {
        await using var gateway = await GatewayUnderTest.StartAsync(this);

        var response = gateway.Http.GetAsync("/v1/status");
        gateway.Systems.ExpectMsg<GetStatus>();
        gateway.Systems.Reply(new Status.Failure(new InvalidOperationException("registry is broken")));
        using var answer = await response;
        var error = await ErrorAsync(answer);

        Assert.Equal(HttpStatusCode.InternalServerError, answer.StatusCode);
        Assert.Contains("GET /v1/status", error);
        Assert.Contains("registry is broken", error);
    }

    /// <summary>Returns the "error" field of a JSON response, after checking the content type.</summary>
    private static async Task<string> ErrorAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/json",
            $"content type {response.Content.Headers.ContentType}, body '{text}'");
        using var body = JsonDocument.Parse(text);
        return body.RootElement.GetProperty("error").GetString() ?? "";
    }
}
