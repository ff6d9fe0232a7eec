using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Akka.TestKit.Xunit2;
using static Sdmi.Node.Transactions.TransactionProtocol;

namespace Sdmi.Node.Tests.Gateway;

/// <summary>POST /v1/transactions/probe: which bodies start a probe and which are rejected.</summary>
public sealed class ProbeBodyTests : TestKit
{
    [Theory]
    [InlineData("null", "the body is null, not an object")]
    [InlineData("{}", "the field \"participants\" is missing")]
    [InlineData("""{"participants": ["host:local"], "count": 3}""", "unknown field \"count\"")]
    [InlineData("""["host:local"]""", "not an object")]
    public async Task Probe_InvalidBody_Returns400NamingShape(string body, string expected)
    {
        await using var gateway = await GatewayUnderTest.StartAsync(this);
        using var content = new StringContent(body, Encoding.UTF8, "application/json");

        using var response = await gateway.Http.PostAsync("/v1/transactions/probe", content);
        var text = await response.Content.ReadAsStringAsync();
        using var json = JsonDocument.Parse(text);
        var error = json.RootElement.GetProperty("error").GetString()!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, error);
        Assert.Contains("""Send {"participants": ["host:local"]} or no body""", error);
        gateway.Transactions.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task Probe_NoBody_ProbesHost()
    {
        await using var gateway = await GatewayUnderTest.StartAsync(this);

        var response = gateway.Http.PostAsync("/v1/transactions/probe", null);
        var begin = gateway.Transactions.ExpectMsg<Begin>();
        gateway.Transactions.Reply(new TransactionOutcome(begin.TransactionId, Decision.Commit, null));
        using var answer = await response;

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(["host:local"], begin.Steps.Select(s => s.Participant));
    }

    [Theory]
    [InlineData("journal")]
    [InlineData("cancelled")]
    public async Task Probe_AdmissionFails_Returns503WithMessage(string failure)
    {
        await using var gateway = await GatewayUnderTest.StartAsync(this);

        var response = gateway.Http.PostAsync("/v1/transactions/probe", null);
        gateway.Transactions.ExpectMsg<Begin>();
        Exception cause = failure == "journal"
            ? new Sdmi.Node.Transactions.JournalUnavailableException("The transaction admission could not journal TransactionAdmitted.")
            : new TaskCanceledException("A task was canceled.");
        gateway.Transactions.Reply(new Akka.Actor.Status.Failure(cause));
        using var answer = await response;
        var text = await answer.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.StatusCode);
        Assert.Contains(cause.Message.TrimEnd('.'), JsonDocument.Parse(text).RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Probe_EmptyChunkedBody_ProbesHost()
    {
        await using var gateway = await GatewayUnderTest.StartAsync(this);
        using var content = new StreamContent(new MemoryStream());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/transactions/probe") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        var response = gateway.Http.SendAsync(request);
        var begin = gateway.Transactions.ExpectMsg<Begin>();
        gateway.Transactions.Reply(new TransactionOutcome(begin.TransactionId, Decision.Commit, null));
        using var answer = await response;

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(["host:local"], begin.Steps.Select(s => s.Participant));
    }

    [Fact]
    public async Task Probe_HostParticipant_BeginsWithIt()
    {
        await using var gateway = await GatewayUnderTest.StartAsync(this);
        using var content = new StringContent(
            """{"participants": ["host:local"]}""", Encoding.UTF8, "application/json");

        var response = gateway.Http.PostAsync("/v1/transactions/probe", content);
        var begin = gateway.Transactions.ExpectMsg<Begin>();
        gateway.Transactions.Reply(new TransactionOutcome(begin.TransactionId, Decision.Commit, null));
        using var answer = await response;

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(["host:local"], begin.Steps.Select(s => s.Participant));
    }
}
