using System.Text.Json;

namespace Sdmi.IntegrationTests;

/// <summary>`sdmi scale` on the real components: bounds are enforced, and two conflicting scales end in one consistent count.</summary>
[Collection(RealComponents.Name)]
public sealed class ScaleTests : IDisposable
{
    private const string System = "scaletest";
    private const string Bridge = "sdmisc0";
    private readonly string directory = Directory.CreateTempSubdirectory("sdmi-scale-").FullName;

    [Fact]
    public async Task Scale_TwoConflictingCommands_OneCountWinsEverywhere()
    {
        Deploy();

        var two = Task.Run(() => ProcessRunner.Sdmi("scale", System, "web", "2"));
        var four = Task.Run(() => ProcessRunner.Sdmi("scale", System, "web", "4"));
        var results = await Task.WhenAll(two, four);

        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.ToString()));
        var status = Status();
        var desired = status.GetProperty("services")[0].GetProperty("desired").GetInt32();
        Assert.Contains(desired, new[] { 2, 4 });
        var names = ContainerNames().Where(n => n.StartsWith("scaletest-web-", StringComparison.Ordinal));
        Assert.Equal(Enumerable.Range(1, desired).Select(i => $"scaletest-web-{i:00}"), names.Order(StringComparer.Ordinal));
        Assert.Equal(desired, status.GetProperty("services")[0].GetProperty("replicas").GetArrayLength());
        var ruleSets = HostProbe.SdmiFlows(Bridge).Select(RuleSetOf).Distinct().Count();
        Assert.Equal(1, ruleSets);
    }

    [Fact]
    public void Scale_OutsideBounds_RefusedAndNothingChanged()
    {
        Deploy();
        var before = HostProbe.ContainerIds(System);

        var result = ProcessRunner.Sdmi("scale", System, "web", "9");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("scale bounds are 1 to 4", result.All);
        Assert.Equal(before.Order(), HostProbe.ContainerIds(System).Order());
    }

    [Fact]
    public void Scale_NoBounds_RejectedWithHint()
    {
        Deploy();

        var result = ProcessRunner.Sdmi("scale", System, "fixed", "2");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("its count is fixed at 1", result.All);
        Assert.Contains("\"scale\"", result.All);
    }

    [Fact]
    public void Scale_UnknownService_RefusedNamingTheServices()
    {
        Deploy();

        var result = ProcessRunner.Sdmi("scale", System, "nosuch", "2");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("has no service nosuch; its services are web, fixed", result.All);
    }

    public void Dispose()
    {
        if (HostProbe.ContainerIds(System).Count > 0)
        {
            ProcessRunner.Sdmi("down", System);
        }

        Directory.Delete(directory, recursive: true);
    }

    private void Deploy()
    {
        var file = Path.Combine(directory, "system.json");
        // 172.16.49.0/24 and 172.16.51.0/24 are routed nowhere and no other test declares them.
        File.WriteAllText(file, $$"""
            {
              "system": "{{System}}",
              "hosts": [ { "name": "local", "bridge": "{{Bridge}}" } ],
              "networks": [ { "name": "net", "subnet": "172.16.49.0/24" }, { "name": "net2", "subnet": "172.16.51.0/24" } ],
              "services": [ { "name": "web", "image": "sdmi/app:1", "network": "net", "replicas": 1,
                              "scale": { "min": 1, "max": 4 }, "ports": [ { "port": 8080 } ] },
                            { "name": "fixed", "image": "sdmi/app:1", "network": "net2", "replicas": 1, "ports": [ { "port": 8080 } ] } ]
            }
            """);
        var result = ProcessRunner.Sdmi("up", file);
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    private static JsonElement Status()
    {
        var result = ProcessRunner.Sdmi("status", System, "--json");
        Assert.True(result.ExitCode == 0, result.ToString());
        using var document = JsonDocument.Parse(result.Output);
        var root = document.RootElement;
        var system = root.ValueKind == JsonValueKind.Array ? root[0] : root.TryGetProperty("systems", out var list) ? list[0] : root;
        return system.Clone();
    }

    private static IReadOnlyList<string> ContainerNames() =>
        ProcessRunner.Run("docker", ["ps", "-a", "--format", "{{.Names}}", "--filter", $"label=sdmi.system={System}"], TimeSpan.FromSeconds(30))
            .Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string RuleSetOf(string flow)
    {
        var start = flow.IndexOf("cookie=0x", StringComparison.Ordinal) + "cookie=0x".Length;
        var cookie = flow[start..].Split(',')[0];
        // The low four hex digits name the installing transaction; the rest names the rule set.
        return cookie[..^4];
    }
}
