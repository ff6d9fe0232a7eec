using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace Sdmi.ClusterTests;

/// <summary>
/// Two conflicting scale commands sent at once to two different nodes of a three-node cluster, on
/// real processes, PostgreSQL, Docker and Open vSwitch. Both must succeed, one after the other, and
/// the cluster must end with one count everywhere: in the status, in the service entity, in the
/// containers, in the network's leases and in one rule set on the switch.
/// </summary>
public sealed class ScaleConflictTests
{
    [Fact]
    public async Task TwoScalesOnTwoNodes_OneCountEverywhere()
    {
        using var cluster = LocalCluster.Start("sdmi_clustertest_scale", null);
        var deployed = await LocalCluster.DeployAsync(0, TimeSpan.FromMinutes(5));
        Assert.True(deployed.GetProperty("succeeded").GetBoolean(), $"deployment failed: {deployed}");

        var results = await Task.WhenAll(
            LocalCluster.ScaleAsync(1, "app", 2, TimeSpan.FromMinutes(5)),
            LocalCluster.ScaleAsync(2, "app", 3, TimeSpan.FromMinutes(5)));

        Assert.All(results, r => Assert.True(r.GetProperty("succeeded").GetBoolean(), $"a scale failed: {r}"));
        using var http = new HttpClient { BaseAddress = new Uri(LocalCluster.Gateway(0)), Timeout = TimeSpan.FromSeconds(30) };
        var status = await http.GetFromJsonAsync<JsonElement>($"/v1/status?system={LocalCluster.SystemName}");
        var app = status.GetProperty("systems")[0].GetProperty("services").EnumerateArray()
            .Single(s => s.GetProperty("name").GetString() == "app");
        var desired = app.GetProperty("desired").GetInt32();
        Assert.Contains(desired, new[] { 2, 3 });
        Assert.Equal(desired, app.GetProperty("replicas").GetArrayLength());
        var entity = await http.GetFromJsonAsync<JsonElement>($"/v1/systems/{LocalCluster.SystemName}/services/app");
        Assert.Equal(desired, entity.GetProperty("replicas").GetInt32());
        Assert.Equal(desired, entity.GetProperty("observed").GetArrayLength());
        var network = await http.GetFromJsonAsync<JsonElement>($"/v1/systems/{LocalCluster.SystemName}/networks/ctfront");
        Assert.Equal(desired, network.GetProperty("leases").EnumerateArray().Count(l => l.GetProperty("service").GetString() == "app"));
        var names = Commands.Run(
            "docker", ["ps", "-a", "--format", "{{.Names}}", "--filter", $"label=sdmi.system={LocalCluster.SystemName}"], TimeSpan.FromSeconds(30))
            .Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(n => n.StartsWith($"{LocalCluster.SystemName}-app-", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
        Assert.Equal(Enumerable.Range(1, desired).Select(i => $"{LocalCluster.SystemName}-app-{i.ToString("00", CultureInfo.InvariantCulture)}"), names);
        Assert.Single(RuleSets());
        var removed = await LocalCluster.RemoveAsync(0, TimeSpan.FromMinutes(3));
        Assert.True(removed.GetProperty("succeeded").GetBoolean(), $"removal failed: {removed}");
    }

    /// <summary>The rule sets of the SDMI flows on the test bridge: each cookie without its low 16 bits (the installing transaction).</summary>
    private static IReadOnlyList<string> RuleSets()
    {
        var dump = Commands.Run("ovs-ofctl", ["-O", "OpenFlow13", "dump-flows", LocalCluster.Bridge], TimeSpan.FromSeconds(30));
        Assert.True(dump.ExitCode == 0, $"ovs-ofctl dump-flows {LocalCluster.Bridge} failed: {dump}");
        return dump.Output.Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.StartsWith("cookie=0x5d", StringComparison.Ordinal))
            .Select(l => l["cookie=0x".Length..].Split(',')[0][..^4])
            .Distinct()
            .ToList();
    }
}
