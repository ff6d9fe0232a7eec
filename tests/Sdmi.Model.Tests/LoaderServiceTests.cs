using System.Text.Json.Nodes;

namespace Sdmi.Model.Tests;

public sealed class LoaderServiceTests
{
    [Fact]
    public void Loader_OmittedServiceFields_UseDefaults()
    {
        var root = SystemJson.Create();

        var spec = SystemJson.Load(root);

        var service = spec.GetService("a");
        Assert.Equal(ServiceKinds.Generic, service.Kind);
        Assert.Equal(1, service.Replicas);
        Assert.Equal(new ScaleBounds(1, 1), service.Scale);
        Assert.Equal([new ServicePort(80, TransportProtocol.Tcp)], service.Ports);
        Assert.Null(service.Health);
        Assert.Null(service.Command);
        Assert.Empty(service.Environment);
        Assert.Empty(service.ExposeTo);
    }

    [Fact]
    public void Loader_HealthDefaults_FillOmittedTimes()
    {
        var root = SystemJson.Create();
        SystemJson.Service(root, 0)["health"] = new JsonObject { ["command"] = new JsonArray("true") };

        var spec = SystemJson.Load(root);

        var health = spec.GetService("a").Health!;
        Assert.Equal(["true"], health.Command);
        Assert.Equal(HealthCheck.DefaultInterval, health.Interval);
        Assert.Equal(HealthCheck.DefaultTimeout, health.Timeout);
        Assert.Equal(HealthCheck.DefaultRetries, health.Retries);
        Assert.Equal(HealthCheck.DefaultStartPeriod, health.StartPeriod);
    }

    [Fact]
    public void Loader_InvalidServiceName_ReportsDnsLabelRule()
    {
        var root = SystemJson.Create();
        SystemJson.Service(root, 0)["name"] = "App";
        SystemJson.Service(root, 1)["dependsOn"] = new JsonArray();

        var error = SystemJson.SingleError(root);

        Assert.Equal("services[0].name", error.Path);
        Assert.StartsWith("service name 'App' is not a valid DNS label", error.Message);
    }

    [Fact]
    public void Loader_DuplicateServiceName_ReportsFirstUse()
    {
        var root = SystemJson.Create();
        SystemJson.Service(root, 1)["name"] = "a";
        SystemJson.Service(root, 1)["dependsOn"] = new JsonArray();

        var error = SystemJson.SingleError(root);

        Assert.Equal("services[1].name", error.Path);
        Assert.Equal("service name 'a' is already used by services[0]; service names must be unique", error.Message);
    }

    [Fact]
    public void Loader_ServiceNameEqualToNetworkName_Loads()
    {
        var root = SystemJson.Create();
        SystemJson.Service(root, 1)["name"] = "net2";

        var spec = SystemJson.Load(root);

        Assert.Equal("net2", spec.GetService("net2").Network);
    }

    [Fact]
    public void Loader_UnknownNetwork_ListsDefinedNetworks()
    {
        var root = SystemJson.Create();
        SystemJson.Service(root, 0)["network"] = "net9";

        var error = SystemJson.SingleError(root);

        Assert.Equal("services[0].network", error.Path);
        Assert.Equal("network 'net9' not found; defined networks: 'outer', 'net1', 'net2'", error.Message);
    }

    [Fact]
    public void Loader_UnknownDependency_ListsDefinedServices()
    {
        var root = SystemJson.Create();
        SystemJson.Service(root, 1)["dependsOn"] = new JsonArray("a", "c");

        var error = SystemJson.SingleError(root);

        Assert.Equal("services[1].dependsOn[1]", error.Path);
        Assert.Equal("service 'c' not found; defined services: 'a', 'b'", error.Message);
    }

    [Fact]
    public void Loader_SelfDependency_ReportsIt()
    {
        var root = SystemJson.Create();
        SystemJson.Service(root, 1)["dependsOn"] = new JsonArray("b");

        var error = SystemJson.SingleError(root);

        Assert.Equal("services[1].dependsOn[0]", error.Path);
        Assert.Equal("service 'b' depends on itself; remove 'b' from dependsOn", error.Message);
    }

    [Fact]
    public void Loader_DuplicateDependency_ReportsIt()
    {
        var root = SystemJson.Create();
        SystemJson.Service(root, 1)["dependsOn"] = new JsonArray("a", "a");

        var error = SystemJson.SingleError(root);

        Assert.Equal("services[1].dependsOn[1]", error.Path);
        Assert.Equal("service 'a' is listed twice in dependsOn; list it once", error.Message);
    }

    [Fact]
    public void Loader_DependencyCycle_ReportsCycle()
    {
        var root = SystemJson.Create();
        root["services"]!.AsArray().Add(new JsonObject
        {
            ["name"] = "c",
            ["image"] = "sdmi/c:1",
            ["network"] = "net1",
            ["dependsOn"] = new JsonArray("b"),
        });
        SystemJson.Service(root, 0)["dependsOn"] = new JsonArray("c");

        var error = SystemJson.SingleError(root);

        Assert.Equal("services[0].dependsOn[0]", error.Path);
        Assert.Equal(
            "dependency cycle: a -> c -> b -> a; services cannot start in any order, so remove one of these "
                + "dependsOn entries",
            error.Message);
    }

    [Fact]
    public void Loader_TwoServiceCycle_ReportsItOnce()
    {
        var root = SystemJson.Create();
        SystemJson.Service(root, 0)["dependsOn"] = new JsonArray("b");

        var error = SystemJson.SingleError(root);

        Assert.Equal("services[0].dependsOn[0]", error.Path);
        Assert.StartsWith("dependency cycle: a -> b -> a;", error.Message);
    }

    [Fact]
    public void Loader_UnknownExposeToNetwork_ListsDefinedNetworks()
    {
        var root = SystemJson.Create();
        SystemJson.Service(root, 0)["exposeTo"] = new JsonArray("net2", "edge");

        var error = SystemJson.SingleError(root);

        Assert.Equal("services[0].exposeTo[1]", error.Path);
        Assert.Equal("network 'edge' not found; defined networks: 'outer', 'net1', 'net2'", error.Message);
    }

    [Theory]
    [InlineData(0, 3, 2)]
    [InlineData(4, 1, 3)]
    public void Loader_ReplicasOutsideScaleBounds_ReportsBounds(int replicas, int min, int max)
    {
        var root = SystemJson.Create();
        SystemJson.Service(root, 0)["replicas"] = replicas;
        SystemJson.Service(root, 0)["scale"] = new JsonObject { ["min"] = min, ["max"] = Math.Max(min, max) };

        var error = SystemJson.SingleError(root);

        Assert.Equal("services[0].replicas", error.Path);
        var expected = $"replicas {replicas} is outside the scale bounds {min}..{Math.Max(min, max)}";
        Assert.StartsWith(expected, error.Message);
    }

    [Fact]
    public void Loader_ScaleMaxBelowMin_ReportsIt()
    {
        var root = SystemJson.Create();
        SystemJson.Service(root, 0)["scale"] = new JsonObject { ["min"] = 3, ["max"] = 2 };

        var error = SystemJson.SingleError(root);

        Assert.Equal("services[0].scale.max", error.Path);
        Assert.Equal("scale.max 2 is below scale.min 3; raise scale.max or lower scale.min", error.Message);
    }

    [Fact]
    public void Loader_NegativeReplicas_ReportsIt()
    {
        var root = SystemJson.Create();
        SystemJson.Service(root, 0)["replicas"] = -1;

        var error = SystemJson.SingleError(root);

        Assert.Equal("services[0].replicas", error.Path);
        Assert.Equal("replicas is -1; use 0 or more", error.Message);
    }

    [Fact]
    public void Loader_ZeroReplicasWithinBounds_Loads()
    {
        var root = SystemJson.Create();
        SystemJson.Service(root, 0)["replicas"] = 0;
        SystemJson.Service(root, 0)["scale"] = new JsonObject { ["min"] = 0, ["max"] = 4 };

        var spec = SystemJson.Load(root);

        Assert.Equal(0, spec.GetService("a").Replicas);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65536)]
    [InlineData(-80)]
    public void Loader_PortOutOfRange_ReportsValidRange(int port)
    {
        var root = SystemJson.Create();
        SystemJson.Service(root, 0)["ports"] = new JsonArray(new JsonObject { ["port"] = port });

        var error = SystemJson.SingleError(root);

        Assert.Equal("services[0].ports[0].port", error.Path);
        Assert.Equal($"port {port} is out of range; use 1 to 65535", error.Message);
    }

    [Fact]
    public void Loader_DuplicatePort_ReportsFirstUse()
    {
        var root = SystemJson.Create();
        SystemJson.Service(root, 0)["ports"] = new JsonArray(
            new JsonObject { ["port"] = 80 },
            new JsonObject { ["port"] = 80, ["protocol"] = "tcp" });

        var error = SystemJson.SingleError(root);

        Assert.Equal("services[0].ports[1].port", error.Path);
        Assert.Equal("port 80/tcp is already listed at services[0].ports[0]; list each port once", error.Message);
    }

    [Fact]
    public void Loader_SamePortTcpAndUdp_Loads()
    {
        var root = SystemJson.Create();
        SystemJson.Service(root, 0)["ports"] = new JsonArray(
            new JsonObject { ["port"] = 53 },
            new JsonObject { ["port"] = 53, ["protocol"] = "udp" });

        var spec = SystemJson.Load(root);

        Assert.Equal(
            [new ServicePort(53, TransportProtocol.Tcp), new ServicePort(53, TransportProtocol.Udp)],
            spec.GetService("a").Ports);
    }

    [Fact]
    public void Loader_UnknownProtocol_ListsAllowedValues()
    {
        var root = SystemJson.Create();
        SystemJson.Service(root, 0)["ports"] = new JsonArray(new JsonObject { ["port"] = 80, ["protocol"] = "sctp" });

        var error = SystemJson.SingleError(root);

        Assert.Equal("services[0].ports[0].protocol", error.Path);
        Assert.Equal("unknown protocol 'sctp'; allowed values: tcp, udp", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Loader_EmptyImage_ReportsIt(string image)
    {
        var root = SystemJson.Create();
        SystemJson.Service(root, 0)["image"] = image;

        var error = SystemJson.SingleError(root);

        Assert.Equal("services[0].image", error.Path);
        Assert.Equal("image of service 'a' is empty; name a container image such as 'sdmi/app:1'", error.Message);
    }

    [Fact]
    public void Loader_EmptyHealthCommand_ReportsIt()
    {
        var root = SystemJson.Create();
        SystemJson.Service(root, 0)["health"] = new JsonObject { ["command"] = new JsonArray() };

        var error = SystemJson.SingleError(root);

        Assert.Equal("services[0].health.command", error.Path);
        Assert.StartsWith("health command is empty", error.Message);
    }

    [Fact]
    public void Loader_MissingHealthCommand_ReportsRequiredField()
    {
        var root = SystemJson.Create();
        SystemJson.Service(root, 0)["health"] = new JsonObject { ["retries"] = 3 };

        var error = SystemJson.SingleError(root);

        Assert.Equal("services[0].health.command", error.Path);
        Assert.Equal("required field 'command' is missing", error.Message);
    }

    [Theory]
    [InlineData("intervalSeconds", 0, "intervalSeconds is 0; use a number of seconds above 0")]
    [InlineData("timeoutSeconds", -1, "timeoutSeconds is -1; use a number of seconds above 0")]
    [InlineData("retries", 0, "retries is 0; use 1 or more")]
    [InlineData("startPeriodSeconds", -5, "startPeriodSeconds is -5; use 0 or more")]
    public void Loader_HealthTimingOutOfRange_ReportsIt(string field, int value, string expected)
    {
        var root = SystemJson.Create();
        SystemJson.Service(root, 0)["health"] = new JsonObject
        {
            ["command"] = new JsonArray("true"),
            [field] = value,
        };

        var error = SystemJson.SingleError(root);

        Assert.Equal($"services[0].health.{field}", error.Path);
        Assert.Equal(expected, error.Message);
    }

    [Fact]
    public void Loader_UnknownKind_ListsAllowedValues()
    {
        var root = SystemJson.Create();
        SystemJson.Service(root, 0)["kind"] = "postgres";

        var error = SystemJson.SingleError(root);

        Assert.Equal("services[0].kind", error.Path);
        Assert.Equal("unknown kind 'postgres'; allowed values: generic, postgres-mesh", error.Message);
    }

    [Fact]
    public void Loader_EnvironmentAndCommand_AreRead()
    {
        var root = SystemJson.Create();
        SystemJson.Service(root, 0)["environment"] = new JsonObject { ["MODE"] = "test" };
        SystemJson.Service(root, 0)["command"] = new JsonArray("serve", "--port", "80");

        var spec = SystemJson.Load(root);

        var service = spec.GetService("a");
        Assert.Equal("test", service.Environment["MODE"]);
        Assert.Equal(["serve", "--port", "80"], service.Command);
    }

    [Fact]
    public void Loader_EnvironmentValueNotString_ReportsIt()
    {
        var root = SystemJson.Create();
        SystemJson.Service(root, 0)["environment"] = new JsonObject { ["PORT"] = 80 };

        var error = SystemJson.SingleError(root);

        Assert.Equal("services[0].environment.PORT", error.Path);
        Assert.Equal("expected a string but found a number (80)", error.Message);
    }

    [Fact]
    public void Loader_EmptyCommand_ReportsIt()
    {
        var root = SystemJson.Create();
        SystemJson.Service(root, 0)["command"] = new JsonArray();

        var error = SystemJson.SingleError(root);

        Assert.Equal("services[0].command", error.Path);
        Assert.Equal("command is empty; leave it out to run the image's own command", error.Message);
    }
}
