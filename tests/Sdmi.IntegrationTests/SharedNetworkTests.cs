using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Sdmi.IntegrationTests;

/// <summary>
/// Two services on one network, on the real components: each replica gets its own address from the
/// network entity's leases, and the replicas reach each other over the bridge.
/// </summary>
[Collection(RealComponents.Name)]
public sealed class SharedNetworkTests : IDisposable
{
    private const string System = "sharednet";
    private const string Bridge = "sdmisn0";
    private static readonly HttpClient Http = new() { BaseAddress = new Uri("http://127.0.0.1:7780"), Timeout = TimeSpan.FromSeconds(60) };
    private readonly string directory = Directory.CreateTempSubdirectory("sdmi-sharednet-").FullName;

    [Fact]
    public async Task Up_TwoServicesOnOneNetwork_DistinctAddressesThatReachEachOther()
    {
        // 172.16.53.0/24 is routed nowhere and no other test declares it.
        var file = Path.Combine(directory, "system.json");
        File.WriteAllText(file, $$"""
            {
              "system": "{{System}}",
              "hosts": [ { "name": "local", "bridge": "{{Bridge}}" } ],
              "networks": [ { "name": "apps", "subnet": "172.16.53.0/24" } ],
              "services": [
                { "name": "api", "image": "sdmi/app:1", "network": "apps", "replicas": 2, "ports": [ { "port": 8080 } ] },
                { "name": "worker", "image": "sdmi/app:1", "network": "apps", "replicas": 1, "ports": [ { "port": 8080 } ] } ]
            }
            """);

        var result = ProcessRunner.Sdmi("up", file);

        Assert.True(result.ExitCode == 0, result.ToString());
        using var network = JsonDocument.Parse(await Http.GetStringAsync($"/v1/systems/{System}/networks/apps"));
        var leases = network.RootElement.GetProperty("leases").EnumerateArray()
            .Select(l => (Service: l.GetProperty("service").GetString()!, Address: l.GetProperty("address").GetString()!))
            .ToList();
        Assert.Equal(3, leases.Count);
        Assert.Equal(3, leases.Select(l => l.Address).Distinct().Count());
        Assert.Equal(leases.Select(l => l.Address).Order(), ContainerAddresses().Order());
        foreach (var api in leases.Where(l => l.Service == "api"))
        {
            // Without a database the app answers /healthz with 503: any HTTP status shows that the connection got through.
            var call = HostProbe.Exec(
                $"{System}-worker-01", "curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "5", $"http://{api.Address}:8080/healthz");
            Assert.True(call.ExitCode == 0, $"worker could not reach api at {api.Address}: {call}");
            Assert.Matches("^[1-5][0-9][0-9]$", call.Output.Trim());
        }
    }

    [Fact]
    public async Task Down_OneCommittedTransaction_LeavesNothing()
    {
        var file = Path.Combine(directory, "system.json");
        File.WriteAllText(file, $$"""
            {
              "system": "{{System}}",
              "hosts": [ { "name": "local", "bridge": "{{Bridge}}" } ],
              "networks": [ { "name": "apps", "subnet": "172.16.53.0/24" } ],
              "services": [ { "name": "api", "image": "sdmi/app:1", "network": "apps", "replicas": 2, "ports": [ { "port": 8080 } ] } ]
            }
            """);
        var up = ProcessRunner.Sdmi("up", file);
        Assert.True(up.ExitCode == 0, up.ToString());

        var down = ProcessRunner.Sdmi("down", System);

        Assert.True(down.ExitCode == 0, down.ToString());
        var match = Regex.Match(down.Output, @"\(transaction ([^)]+)\)");
        Assert.True(match.Success, $"down names no transaction: {down}");
        using var state = JsonDocument.Parse(await Http.GetStringAsync($"/v1/transactions/{match.Groups[1].Value}"));
        Assert.Equal("commit", state.RootElement.GetProperty("decision").GetString());
        Assert.Empty(HostProbe.ContainerIds(System));
        Assert.Empty(HostProbe.OvsPorts(System));
        Assert.Empty(HostProbe.SdmiFlows(Bridge));
        using var network = await Http.GetAsync($"/v1/systems/{System}/networks/apps");
        Assert.Equal(HttpStatusCode.NotFound, network.StatusCode);
    }

    [Fact]
    public async Task EntityQuery_UndeclaredNames_NotFoundWithHint()
    {
        using var service = await Http.GetAsync($"/v1/systems/{System}-absent/services/nosuch");
        using var network = await Http.GetAsync($"/v1/systems/{System}-absent/networks/nosuch");

        Assert.Equal(HttpStatusCode.NotFound, service.StatusCode);
        Assert.Contains("declares no service nosuch", await service.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, network.StatusCode);
        Assert.Contains("declares no network nosuch", await network.Content.ReadAsStringAsync());
    }

    public void Dispose()
    {
        if (HostProbe.ContainerIds(System).Count > 0)
        {
            ProcessRunner.Sdmi("down", System);
        }

        Directory.Delete(directory, recursive: true);
    }

    /// <summary>The address each of the system's containers holds on its interface, read from the container's network namespace.</summary>
    private static IReadOnlyList<string> ContainerAddresses() =>
        new[] { "api-01", "api-02", "worker-01" }
            .Select(name => HostProbe.Exec($"{System}-{name}", "sh", "-c", "ip -4 -o addr show scope global | awk '{print $4}' | cut -d/ -f1"))
            .Select(r => r.Output.Trim())
            .ToList();
}
