namespace Sdmi.IntegrationTests;

/// <summary>
/// Invalid system files through the real CLI: each is rejected with a message naming the value,
/// and nothing is created in the Docker engine or on the switch.
/// </summary>
[Collection(RealComponents.Name)]
public sealed class BadInputTests : IDisposable
{
    private const string System = "badinput";
    private readonly string directory = Directory.CreateTempSubdirectory("sdmi-bad-").FullName;

    public static TheoryData<string, string, string> InvalidFiles => new()
    {
        { "cycle", Valid().Replace("\"dependsOn\": []", "\"dependsOn\": [\"web\"]"), "dependency cycle: " },
        { "unknown-dependency", Valid().Replace("\"dependsOn\": [\"api\"]", "\"dependsOn\": [\"cache\"]"), "cache" },
        { "overlapping-subnets", Valid().Replace("172.16.41.0/24", "172.16.40.0/25"), "172.16.40.0/25" },
        { "address-outside-subnet", Valid().Replace("\"gateway\": \"172.16.40.254\"", "\"gateway\": \"172.16.99.254\""), "172.16.99.254" },
        { "malformed-json", Valid().Replace("\"replicas\": 1,\n      \"dependsOn\": [\"api\"]", "\"replicas\": 1\n      \"dependsOn\": [\"api\"]"), "line" },
    };

    [Theory]
    [MemberData(nameof(InvalidFiles))]
    public void Up_InvalidSystemFile_RejectedAndNothingCreated(string name, string json, string expected)
    {
        var file = Path.Combine(directory, name + ".json");
        File.WriteAllText(file, json);

        var result = ProcessRunner.Sdmi("up", file);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Error);
        Assert.Contains("nothing was deployed", result.Error);
        Assert.Empty(HostProbe.ContainerIds(System));
        Assert.Empty(HostProbe.OvsPorts(System));
    }

    [Fact]
    public void Up_MissingImage_RejectedAndNothingCreated()
    {
        var file = Path.Combine(directory, "missing-image.json");
        File.WriteAllText(file, Valid().Replace("sdmi/app:1", "sdmi/no-such-image:1"));

        var result = ProcessRunner.Sdmi("up", file);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("sdmi/no-such-image:1", result.All);
        Assert.Contains("nothing was created", result.All);
        Assert.Empty(HostProbe.ContainerIds(System));
        Assert.Empty(HostProbe.OvsPorts(System));
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);

    /// <summary>A small valid system: api depends on nothing, web depends on api, two sibling networks.</summary>
    private static string Valid() => """
        {
          "system": "badinput",
          "hosts": [ { "name": "local", "bridge": "sdmibad0" } ],
          "networks": [
            { "name": "front", "subnet": "172.16.40.0/24", "gateway": "172.16.40.254" },
            { "name": "back", "subnet": "172.16.41.0/24", "gateway": "172.16.41.254" }
          ],
          "services": [
            {
              "name": "api",
              "image": "sdmi/app:1",
              "network": "back",
              "replicas": 1,
              "dependsOn": [],
              "ports": [ { "port": 8080 } ]
            },
            {
              "name": "web",
              "image": "sdmi/app:1",
              "network": "front",
              "replicas": 1,
              "dependsOn": ["api"],
              "ports": [ { "port": 8080 } ]
            }
          ]
        }
        """;
}
