using System.Text.Json.Nodes;

namespace Sdmi.Model.Tests;

public sealed class LoaderHostTests
{
    [Fact]
    public void Loader_OmittedHosts_UsesLocalSdmi0()
    {
        var root = SystemJson.Create();

        var spec = SystemJson.Load(root);

        Assert.Equal([new HostSpec("local", "sdmi0")], spec.Hosts);
    }

    [Fact]
    public void Loader_DuplicateHostName_ReportsFirstUse()
    {
        var root = SystemJson.Create();
        root["hosts"] = new JsonArray(
            new JsonObject { ["name"] = "h1", ["bridge"] = "sdmi0" },
            new JsonObject { ["name"] = "h1", ["bridge"] = "sdmi1" });

        var errors = SystemJson.Errors(root);

        var error = Assert.Single(errors, e => e.Path == "hosts[1].name");
        Assert.Equal("host name 'h1' is already used by hosts[0]; host names must be unique", error.Message);
    }

    [Fact]
    public void Loader_TwoHosts_ReportsOneHostLimit()
    {
        var root = SystemJson.Create();
        root["hosts"] = new JsonArray(
            new JsonObject { ["name"] = "h1", ["bridge"] = "sdmi0" },
            new JsonObject { ["name"] = "h2", ["bridge"] = "sdmi1" });

        var error = SystemJson.SingleError(root);

        Assert.Equal("hosts[1]", error.Path);
        Assert.Contains("a system runs on one host so far", error.Message);
    }

    [Fact]
    public void Loader_ReplicasBeyondInt32_ReportsTooLarge()
    {
        var root = SystemJson.Create();
        SystemJson.Service(root, 0)["replicas"] = 2147483648L;

        var error = SystemJson.SingleError(root);

        Assert.Contains("2147483648 is too large", error.Message);
    }

    [Fact]
    public void Loader_BridgeNameTooLong_ReportsLinuxLimit()
    {
        var root = SystemJson.Create();
        root["hosts"] = new JsonArray(new JsonObject { ["name"] = "h1", ["bridge"] = "sdmi-bridge-0001" });

        var error = SystemJson.SingleError(root);

        Assert.Equal("hosts[0].bridge", error.Path);
        Assert.Equal(
            "bridge name 'sdmi-bridge-0001' is invalid: Linux interface names are at most 15 bytes; shorten it",
            error.Message);
    }

    [Fact]
    public void Loader_BridgeNameOf15Characters_Loads()
    {
        var root = SystemJson.Create();
        root["hosts"] = new JsonArray(new JsonObject { ["name"] = "h1", ["bridge"] = "sdmi-bridge-001" });

        var spec = SystemJson.Load(root);

        Assert.Equal("sdmi-bridge-001", Assert.Single(spec.Hosts).Bridge);
    }

    [Theory]
    [InlineData("br/0")]
    [InlineData("br 0")]
    [InlineData("br:0")]
    [InlineData("..")]
    [InlineData("")]
    public void Loader_InvalidBridgeName_ReportsIt(string bridge)
    {
        var root = SystemJson.Create();
        root["hosts"] = new JsonArray(new JsonObject { ["name"] = "h1", ["bridge"] = bridge });

        var error = SystemJson.SingleError(root);

        Assert.Equal("hosts[0].bridge", error.Path);
        Assert.StartsWith($"bridge name '{bridge}' is invalid: ", error.Message);
    }

    [Fact]
    public void Loader_EmptyHostList_ReportsIt()
    {
        var root = SystemJson.Create();
        root["hosts"] = new JsonArray();

        var error = SystemJson.SingleError(root);

        Assert.Equal("hosts", error.Path);
        Assert.StartsWith("no hosts are listed", error.Message);
    }

    [Fact]
    public void Loader_InvalidSystemName_ReportsDnsLabelRule()
    {
        var root = SystemJson.Create();
        root["system"] = "My System";

        var error = SystemJson.SingleError(root);

        Assert.Equal("system", error.Path);
        Assert.StartsWith("system name 'My System' is not a valid DNS label", error.Message);
    }
}
