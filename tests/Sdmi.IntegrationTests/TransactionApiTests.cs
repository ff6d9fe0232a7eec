using System.Net;
using System.Text;
using System.Text.Json;

namespace Sdmi.IntegrationTests;

/// <summary>
/// The node's transaction API on the single node that tools/sdmi starts, with a one-service system
/// deployed so that its bridge can take part: lookups, probes and their errors.
/// </summary>
[Collection(RealComponents.Name)]
public sealed class TransactionApiTests : IDisposable
{
    private const string System = "txapi";
    private const string Bridge = "sdmita0";
    private static readonly HttpClient Http = new() { BaseAddress = new Uri("http://127.0.0.1:7780"), Timeout = TimeSpan.FromSeconds(90) };
    private readonly string directory = Directory.CreateTempSubdirectory("sdmi-txapi-").FullName;

    public TransactionApiTests()
    {
        var file = Path.Combine(directory, "system.json");
        // 172.16.52.0/24 is routed nowhere and no other test declares it.
        File.WriteAllText(file, $$"""
            {
              "system": "{{System}}",
              "hosts": [ { "name": "local", "bridge": "{{Bridge}}" } ],
              "networks": [ { "name": "net", "subnet": "172.16.52.0/24" } ],
              "services": [ { "name": "web", "image": "sdmi/app:1", "network": "net", "replicas": 1, "ports": [ { "port": 8080 } ] } ]
            }
            """);
        var up = ProcessRunner.Sdmi("up", file);
        Assert.True(up.ExitCode == 0, up.ToString());
    }

    public void Dispose()
    {
        ProcessRunner.Sdmi("down", System);
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task Probe_HostAndSwitch_Commits()
    {
        using var content = new StringContent($$"""{"participants": ["host:local", "switch:{{Bridge}}"]}""", Encoding.UTF8, "application/json");

        using var response = await Http.PostAsync("/v1/transactions/probe", content);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("commit", body.RootElement.GetProperty("decision").GetString());
    }

    [Fact]
    public async Task Probe_Default_CommitsAndReadsBack()
    {
        using var response = await Http.PostAsync("/v1/transactions/probe", null);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var id = body.RootElement.GetProperty("transactionId").GetString();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("commit", body.RootElement.GetProperty("decision").GetString());
        using var state = JsonDocument.Parse(await Http.GetStringAsync($"/v1/transactions/{id}"));
        Assert.Equal("completed", state.RootElement.GetProperty("phase").GetString());
        Assert.Equal("commit", state.RootElement.GetProperty("decision").GetString());
    }

    [Fact]
    public async Task Get_UnknownId_NotFound()
    {
        using var response = await Http.GetAsync("/v1/transactions/no-such-transaction");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("no-such-transaction not found", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Probe_UnknownBridge_RejectedNamingIt()
    {
        using var content = new StringContent("""{"participants": ["host:local", "switch:sdminobr0"]}""", Encoding.UTF8, "application/json");

        using var response = await Http.PostAsync("/v1/transactions/probe", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("switch:sdminobr0", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Probe_InvalidBody_RejectedWithExample()
    {
        using var content = new StringContent("""{"participants": 5""", Encoding.UTF8, "application/json");

        using var response = await Http.PostAsync("/v1/transactions/probe", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("participants", await response.Content.ReadAsStringAsync());
    }
}
