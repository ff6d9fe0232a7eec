using System.Text.Json.Nodes;

namespace Sdmi.Model.Tests;

public sealed class SystemSpecTests
{
    private static string ExamplePath => Path.Combine(RepositoryRoot.Path, "examples", "milestone1", "system.json");

    [Fact]
    public void GetNetwork_UnknownName_ThrowsNamingIt()
    {
        var spec = SystemLoader.LoadFile(ExamplePath);

        var exception = Assert.Throws<KeyNotFoundException>(() => spec.GetNetwork("domain09"));

        Assert.StartsWith(
            "network 'domain09' not found in system 'milestone1'; defined networks: 'datacenter',",
            exception.Message);
    }

    [Fact]
    public void GetService_UnknownName_ThrowsNamingIt()
    {
        var spec = SystemLoader.LoadFile(ExamplePath);

        var exception = Assert.Throws<KeyNotFoundException>(() => spec.GetService("cache"));

        Assert.Equal(
            "service 'cache' not found in system 'milestone1'; defined services: 'db', 'app', 'lb'",
            exception.Message);
    }

    [Fact]
    public void AncestorsOf_ChildNetwork_ReturnsParentChain()
    {
        var spec = SystemLoader.LoadFile(ExamplePath);

        var ancestors = spec.AncestorsOf("domain02").Select(network => network.Name);

        Assert.Equal(["datacenter"], ancestors);
        Assert.Empty(spec.AncestorsOf("datacenter"));
        Assert.Throws<KeyNotFoundException>(() => spec.AncestorsOf("nowhere"));
    }

    [Fact]
    public void AncestorsOf_NestedTwoLevels_ReturnsNearestFirst()
    {
        var root = SystemJson.Create();
        SystemJson.Net2(root)["networks"] = new JsonArray(new JsonObject
        {
            ["name"] = "deep",
            ["subnet"] = "172.16.20.128/26",
        });
        SystemJson.Net2(root)["range"] = new JsonObject { ["start"] = "172.16.20.2", ["end"] = "172.16.20.100" };

        var spec = SystemJson.Load(root);

        Assert.Equal(["net2", "outer"], spec.AncestorsOf("deep").Select(network => network.Name));
        Assert.Equal(["outer", "net1", "net2", "deep"], spec.AllNetworks.Select(network => network.Name));
    }

    [Fact]
    public void StartOrder_IndependentServices_KeepDeclarationOrder()
    {
        var root = SystemJson.Create();
        root["services"] = new JsonArray(
            Service("z", "net1"),
            Service("y", "net1", "x"),
            Service("x", "net2"),
            Service("w", "net2"));

        var spec = SystemJson.Load(root);

        Assert.Equal(["z", "x", "y", "w"], spec.StartOrder().Select(service => service.Name));
    }

    [Fact]
    public void Example_ExposeToAndHealth_AreLoaded()
    {
        var spec = SystemLoader.LoadFile(ExamplePath);

        var lb = spec.GetService("lb");
        var db = spec.GetService("db");
        Assert.Equal(["edge"], lb.ExposeTo);
        Assert.Equal(TimeSpan.FromSeconds(1), db.Health!.Interval);
        Assert.Equal(90, db.Health.Retries);
        Assert.Equal(new ScaleBounds(1, 8), db.Scale);
        Assert.Equal(System.Net.IPAddress.Parse("172.16.1.1"), spec.GetNetwork("edge").HostAddress);
    }

    [Fact]
    public void ContentEquals_SameFileLoadedTwice_IsTrue()
    {
        var first = SystemLoader.LoadFile(ExamplePath);
        var second = SystemLoader.LoadFile(ExamplePath);

        var equal = first.ContentEquals(second);

        Assert.True(equal);
        Assert.NotEqual(first, second);
        Assert.Equal(SystemSpecJson.ComputeHash(first), SystemSpecJson.ComputeHash(second));
    }

    [Fact]
    public void ContentEquals_ChangedReplicas_IsFalse()
    {
        var spec = SystemLoader.LoadFile(ExamplePath);
        var changed = spec with
        {
            Services = spec.Services
                .Select(service => service.Name == "app" ? service with { Replicas = 2 } : service)
                .ToList(),
        };

        var equal = spec.ContentEquals(changed);

        Assert.False(equal);
        Assert.NotEqual(SystemSpecJson.ComputeHash(spec), SystemSpecJson.ComputeHash(changed));
    }

    [Fact]
    public void CanonicalJson_Example_RoundTripsThroughLoader()
    {
        var spec = SystemLoader.LoadFile(ExamplePath);
        var json = SystemSpecJson.Write(spec);

        var reloaded = SystemLoader.Parse(json, "canonical.json");

        Assert.True(reloaded.ContentEquals(spec));
        Assert.Equal(json, SystemSpecJson.Write(reloaded));
    }

    [Fact]
    public void CanonicalJson_EnvironmentOrder_DoesNotMatter()
    {
        var first = SystemJson.Create();
        SystemJson.Service(first, 0)["environment"] = new JsonObject { ["A"] = "1", ["B"] = "2" };
        var second = SystemJson.Create();
        SystemJson.Service(second, 0)["environment"] = new JsonObject { ["B"] = "2", ["A"] = "1" };

        var equal = SystemJson.Load(first).ContentEquals(SystemJson.Load(second));

        Assert.True(equal);
    }

    [Fact]
    public void Validator_ProgrammaticSpec_ReportsErrors()
    {
        var network = NetworkSpec.Create("net1", Ipv4Subnet.Parse("172.16.10.0/24"));
        var service = new ServiceSpec("a", "generic", "sdmi/a:1", "net9", 1, [], null, [], [],
            new Dictionary<string, string>(), new ScaleBounds(1, 1), null);
        var spec = new SystemSpec("test", [network], [service], HostSpec.Defaults);

        var errors = SystemValidator.Validate(spec);

        var error = Assert.Single(errors);
        Assert.Equal("services[0].network", error.Path);
    }

    private static JsonObject Service(string name, string network, params string[] dependsOn) => new()
    {
        ["name"] = name,
        ["image"] = $"sdmi/{name}:1",
        ["network"] = network,
        ["dependsOn"] = new JsonArray(dependsOn.Select(dependency => (JsonNode)JsonValue.Create(dependency)).ToArray()),
    };
}
