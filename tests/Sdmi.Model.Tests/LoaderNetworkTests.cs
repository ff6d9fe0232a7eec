using System.Net;
using System.Text.Json.Nodes;

namespace Sdmi.Model.Tests;

public sealed class LoaderNetworkTests
{
    private const string Net1Path = "networks.outer.children.net1";
    private const string Net2Path = "networks.outer.children.net2";

    [Fact]
    public void Loader_OmittedGatewayAndRange_UsesDefaults()
    {
        var root = SystemJson.Create();

        var spec = SystemJson.Load(root);

        var net1 = spec.GetNetwork("net1");
        Assert.Equal(IPAddress.Parse("172.16.10.254"), net1.Gateway);
        Assert.Equal(new AddressRange(IPAddress.Parse("172.16.10.1"), IPAddress.Parse("172.16.10.253")), net1.Range);
        Assert.Null(net1.HostAddress);
    }

    [Fact]
    public void Loader_HostAddressFirst_RangeSkipsIt()
    {
        var root = SystemJson.Create();

        var spec = SystemJson.Load(root);

        var net2 = spec.GetNetwork("net2");
        Assert.Equal(IPAddress.Parse("172.16.20.1"), net2.HostAddress);
        Assert.Equal(new AddressRange(IPAddress.Parse("172.16.20.2"), IPAddress.Parse("172.16.20.253")), net2.Range);
    }

    [Fact]
    public void Loader_ChildNetworks_RecordParent()
    {
        var root = SystemJson.Create();

        var spec = SystemJson.Load(root);

        Assert.Null(spec.GetNetwork("outer").Parent);
        Assert.Equal("outer", spec.GetNetwork("net1").Parent);
    }

    [Theory]
    [InlineData("Net1")]
    [InlineData("net_1")]
    [InlineData("-net")]
    [InlineData("net-")]
    [InlineData("")]
    [InlineData("a123456789012345678901234567890123456789012345678901234567890123")]
    public void Loader_InvalidNetworkName_ReportsDnsLabelRule(string name)
    {
        var root = SystemJson.Create();
        SystemJson.Outer(root)["networks"]!.AsArray().Add(new JsonObject
        {
            ["name"] = name,
            ["subnet"] = "172.16.30.0/24",
        });

        var errors = SystemJson.Errors(root);

        var error = Assert.Single(errors);
        Assert.EndsWith(".name", error.Path);
        Assert.Contains($"network name '{name}' is not a valid DNS label", error.Message);
    }

    [Fact]
    public void Loader_DuplicateNetworkName_ReportsFirstUse()
    {
        var root = SystemJson.Create();
        SystemJson.Net2(root)["networks"] = new JsonArray(new JsonObject
        {
            ["name"] = "net1",
            ["subnet"] = "172.16.20.128/26",
        });
        SystemJson.Net2(root)["range"] = new JsonObject { ["start"] = "172.16.20.2", ["end"] = "172.16.20.100" };

        var error = SystemJson.SingleError(root);

        Assert.Equal("networks.outer.children.net2.children.net1.name", error.Path);
        Assert.Equal(
            $"network name 'net1' is already used by {Net1Path}; network names must be unique across all levels",
            error.Message);
    }

    [Theory]
    [InlineData("172.16.10.0", "subnet '172.16.10.0' has no prefix length")]
    [InlineData("172.16.10.0/33", "subnet '172.16.10.0/33' has an invalid prefix length '33'")]
    [InlineData("172.16.10/24", "subnet '172.16.10/24' does not start with an IPv4 address")]
    [InlineData("172.16.010.0/24", "subnet '172.16.010.0/24' does not start with an IPv4 address")]
    public void Loader_InvalidSubnetSyntax_ReportsIt(string subnet, string expected)
    {
        var root = SystemJson.Create();
        SystemJson.Net1(root)["subnet"] = subnet;

        var error = SystemJson.SingleError(root);

        Assert.Equal($"{Net1Path}.subnet", error.Path);
        Assert.StartsWith(expected, error.Message);
    }

    [Fact]
    public void Loader_SubnetHostBitsSet_ReportsNetworkAddress()
    {
        var root = SystemJson.Create();
        SystemJson.Net1(root)["subnet"] = "172.16.10.5/24";

        var error = SystemJson.SingleError(root);

        Assert.Equal($"{Net1Path}.subnet", error.Path);
        Assert.Equal(
            "subnet '172.16.10.5/24' has host bits set; the network address for /24 is 172.16.10.0/24",
            error.Message);
    }

    [Fact]
    public void Loader_SubnetTooSmall_ReportsMaximumPrefix()
    {
        var root = SystemJson.Create();
        SystemJson.Outer(root)["networks"]!.AsArray().Add(new JsonObject
        {
            ["name"] = "tiny",
            ["subnet"] = "172.16.30.0/31",
        });

        var error = SystemJson.SingleError(root);

        Assert.Equal("networks.outer.children.tiny.subnet", error.Path);
        Assert.StartsWith("subnet 172.16.30.0/31 is too small", error.Message);
    }

    [Fact]
    public void Loader_OverlappingSiblingSubnets_ReportsBoth()
    {
        var root = SystemJson.Create();
        SystemJson.Net2(root)["subnet"] = "172.16.10.128/25";
        SystemJson.Net2(root)["hostAddress"] = "172.16.10.129";

        var error = SystemJson.SingleError(root);

        Assert.Equal($"{Net2Path}.subnet", error.Path);
        Assert.Equal(
            "subnet 172.16.10.128/25 of network 'net2' overlaps sibling network 'net1' (172.16.10.0/24); "
                + "give each network its own block",
            error.Message);
    }

    [Fact]
    public void Loader_OverlappingTopLevelSubnets_ReportsThem()
    {
        var root = SystemJson.Create();
        root["networks"]!.AsArray().Add(new JsonObject { ["name"] = "other", ["subnet"] = "172.16.128.0/17" });

        var error = SystemJson.SingleError(root);

        Assert.Equal("networks.other.subnet", error.Path);
        Assert.Contains("overlaps sibling network 'outer' (172.16.0.0/16)", error.Message);
    }

    [Fact]
    public void Loader_ChildSubnetOutsideParent_ReportsParent()
    {
        var root = SystemJson.Create();
        SystemJson.Outer(root)["subnet"] = "172.16.0.0/20";

        var errors = SystemJson.Errors(root);

        var error = Assert.Single(errors, error => error.Path == $"{Net2Path}.subnet");
        Assert.Equal(
            "subnet 172.16.20.0/24 of network 'net2' is not inside its parent network 'outer' (172.16.0.0/20); "
                + "choose a smaller block within 172.16.0.0/20",
            error.Message);
    }

    [Fact]
    public void Loader_ChildSubnetEqualToParent_ReportsIt()
    {
        var root = SystemJson.Create();
        SystemJson.Outer(root)["networks"] = new JsonArray(new JsonObject
        {
            ["name"] = "same",
            ["subnet"] = "172.16.0.0/16",
            ["gateway"] = "172.16.0.1",
        });
        root["services"] = new JsonArray();

        var errors = SystemJson.Errors(root);

        Assert.Contains(errors, error => error.Path == "networks.outer.children.same.subnet"
            && error.Message.Contains("is not inside its parent network 'outer'"));
    }

    [Fact]
    public void Loader_GatewayOutsideSubnet_ReportsIt()
    {
        var root = SystemJson.Create();
        SystemJson.Net1(root)["gateway"] = "172.16.11.254";

        var error = SystemJson.SingleError(root);

        Assert.Equal($"{Net1Path}.gateway", error.Path);
        Assert.Equal(
            "gateway 172.16.11.254 is outside subnet 172.16.10.0/24; choose an address inside it",
            error.Message);
    }

    [Fact]
    public void Loader_GatewayIsBroadcastAddress_ReportsUsableAddresses()
    {
        var root = SystemJson.Create();
        SystemJson.Net1(root)["gateway"] = "172.16.10.255";
        SystemJson.Net1(root)["range"] = new JsonObject { ["start"] = "172.16.10.1", ["end"] = "172.16.10.100" };

        var error = SystemJson.SingleError(root);

        Assert.Equal($"{Net1Path}.gateway", error.Path);
        Assert.Equal(
            "gateway 172.16.10.255 is the network or broadcast address of 172.16.10.0/24; "
                + "choose an address from 172.16.10.1 to 172.16.10.254",
            error.Message);
    }

    [Fact]
    public void Loader_HostAddressOutsideSubnet_ReportsIt()
    {
        var root = SystemJson.Create();
        SystemJson.Net2(root)["hostAddress"] = "172.16.21.1";

        var error = SystemJson.SingleError(root);

        Assert.Equal($"{Net2Path}.hostAddress", error.Path);
        Assert.Equal(
            "hostAddress 172.16.21.1 is outside subnet 172.16.20.0/24; choose an address inside it",
            error.Message);
    }

    [Fact]
    public void Loader_HostAddressEqualsGateway_ReportsConflict()
    {
        var root = SystemJson.Create();
        SystemJson.Net2(root)["hostAddress"] = "172.16.20.254";

        var error = SystemJson.SingleError(root);

        Assert.Equal($"{Net2Path}.hostAddress", error.Path);
        Assert.StartsWith("hostAddress 172.16.20.254 equals the gateway", error.Message);
    }

    [Fact]
    public void Loader_InvalidAddress_ReportsDottedQuadExpected()
    {
        var root = SystemJson.Create();
        SystemJson.Net1(root)["gateway"] = "172.16.10";

        var error = SystemJson.SingleError(root);

        Assert.Equal($"{Net1Path}.gateway", error.Path);
        Assert.Equal("'172.16.10' is not an IPv4 address in dotted-quad form such as 172.16.1.1", error.Message);
    }

    [Fact]
    public void Loader_RangeOutsideSubnet_ReportsEnd()
    {
        var root = SystemJson.Create();
        SystemJson.Net1(root)["range"] = new JsonObject { ["start"] = "172.16.10.1", ["end"] = "172.16.11.10" };

        var error = SystemJson.SingleError(root);

        Assert.Equal($"{Net1Path}.range.end", error.Path);
        Assert.Equal(
            "range end 172.16.11.10 is outside subnet 172.16.10.0/24; choose an address inside it",
            error.Message);
    }

    [Fact]
    public void Loader_RangeEndBelowStart_ReportsEmptyRange()
    {
        var root = SystemJson.Create();
        SystemJson.Net1(root)["range"] = new JsonObject { ["start"] = "172.16.10.100", ["end"] = "172.16.10.1" };

        var error = SystemJson.SingleError(root);

        Assert.Equal($"{Net1Path}.range", error.Path);
        Assert.StartsWith("range 172.16.10.100-172.16.10.1 is empty", error.Message);
    }

    [Fact]
    public void Loader_GatewayInsideRange_ReportsIt()
    {
        var root = SystemJson.Create();
        SystemJson.Net1(root)["gateway"] = "172.16.10.50";
        SystemJson.Net1(root)["range"] = new JsonObject { ["start"] = "172.16.10.1", ["end"] = "172.16.10.100" };

        var error = SystemJson.SingleError(root);

        Assert.Equal($"{Net1Path}.range", error.Path);
        Assert.StartsWith("range 172.16.10.1-172.16.10.100 contains the gateway 172.16.10.50", error.Message);
    }

    [Fact]
    public void Loader_HostAddressInsideRange_ReportsIt()
    {
        var root = SystemJson.Create();
        SystemJson.Net2(root)["range"] = new JsonObject { ["start"] = "172.16.20.1", ["end"] = "172.16.20.100" };

        var error = SystemJson.SingleError(root);

        Assert.Equal($"{Net2Path}.range", error.Path);
        Assert.Equal(
            "range 172.16.20.1-172.16.20.100 contains the hostAddress 172.16.20.1; "
                + "move the host address outside the range",
            error.Message);
    }

    [Fact]
    public void Loader_ParentGatewayInsideChild_ReportsIt()
    {
        var root = SystemJson.Create();
        SystemJson.Outer(root)["gateway"] = "172.16.10.250";

        var errors = SystemJson.Errors(root);

        var error = Assert.Single(errors);
        Assert.Equal("networks.outer.gateway", error.Path);
        Assert.Contains("lies inside child network 'net1' (172.16.10.0/24)", error.Message);
    }

    [Fact]
    public void Loader_RangeBelowScaleMax_ReportsNeed()
    {
        var root = SystemJson.Create();
        SystemJson.Net1(root)["range"] = new JsonObject { ["start"] = "172.16.10.1", ["end"] = "172.16.10.4" };
        SystemJson.Service(root, 0)["scale"] = new JsonObject { ["min"] = 1, ["max"] = 5 };

        var error = SystemJson.SingleError(root);

        Assert.Equal($"{Net1Path}.range", error.Path);
        Assert.Equal(
            "range 172.16.10.1-172.16.10.4 of network 'net1' has 4 addresses, but its services need up to 5 "
                + "('a' up to 5); widen the range or lower scale.max",
            error.Message);
    }

    [Fact]
    public void Loader_RangeBelowReplicas_ReportsNeed()
    {
        var root = SystemJson.Create();
        SystemJson.Net1(root)["range"] = new JsonObject { ["start"] = "172.16.10.1", ["end"] = "172.16.10.2" };
        SystemJson.Service(root, 0)["replicas"] = 3;

        var error = SystemJson.SingleError(root);

        Assert.Equal($"{Net1Path}.range", error.Path);
        Assert.Contains("has 2 addresses, but its services need up to 3 ('a' up to 3)", error.Message);
    }

    [Fact]
    public void Loader_RangeExactlyFitsScaleMax_Loads()
    {
        var root = SystemJson.Create();
        SystemJson.Net1(root)["range"] = new JsonObject { ["start"] = "172.16.10.1", ["end"] = "172.16.10.5" };
        SystemJson.Service(root, 0)["scale"] = new JsonObject { ["min"] = 1, ["max"] = 5 };

        var spec = SystemJson.Load(root);

        Assert.Equal(5, spec.GetNetwork("net1").Range.Count);
    }

    [Fact]
    public void Loader_ParentRangeOverlapsChild_ReportsIt()
    {
        var root = SystemJson.Create();
        SystemJson.Service(root, 0)["network"] = "outer";

        var errors = SystemJson.Errors(root);

        Assert.Contains(errors, error => error.Path == "networks.outer.range"
            && error.Message.Contains("overlaps child network 'net1' (172.16.10.0/24)"));
    }

    [Fact]
    public void Loader_ParentRangeOutsideChildren_Loads()
    {
        var root = SystemJson.Create();
        SystemJson.Outer(root)["range"] = new JsonObject { ["start"] = "172.16.0.1", ["end"] = "172.16.0.200" };
        SystemJson.Service(root, 0)["network"] = "outer";

        var spec = SystemJson.Load(root);

        Assert.Equal("outer", spec.GetService("a").Network);
    }
}
