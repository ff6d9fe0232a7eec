namespace Sdmi.Model.Tests;

public sealed class LoaderJsonTests
{
    [Fact]
    public void Loader_ValidFile_Loads()
    {
        var root = SystemJson.Create();

        var spec = SystemJson.Load(root);

        Assert.Equal("test", spec.Name);
        Assert.Equal(["a", "b"], spec.Services.Select(service => service.Name));
    }

    [Fact]
    public void Loader_MalformedJson_ReportsLineAndColumn()
    {
        var json = "{\n  \"system\": \"test\",\n  \"networks\": [ }\n}";

        var error = Assert.Single(SystemJson.Errors(json));

        Assert.Equal(3, error.Line);
        Assert.Equal(17, error.Column);
        Assert.StartsWith("malformed JSON: ", error.Message);
        Assert.Equal(string.Empty, error.Path);
    }

    [Fact]
    public void Loader_TrailingComma_ReportsLineAndColumn()
    {
        var json = "{\"system\": \"test\",\n\"networks\": [],\n}";

        var error = Assert.Single(SystemJson.Errors(json));

        Assert.Equal(3, error.Line);
        Assert.Equal(1, error.Column);
        Assert.DoesNotContain("reader options", error.Message);
    }

    [Fact]
    public void Loader_MalformedJson_ExceptionMessageShowsPosition()
    {
        var json = "{\n  \"system\": \"test\",\n  \"networks\": [ }\n}";

        var exception = Assert.Throws<SystemFileException>(() => SystemLoader.Parse(json, "broken.json"));

        Assert.Contains("broken.json: 1 error:", exception.Message);
        Assert.Contains("line 3, column 17: malformed JSON", exception.Message);
    }

    [Fact]
    public void Loader_UnknownTopLevelField_ListsAllowed()
    {
        var root = SystemJson.Create();
        root["sevices"] = new System.Text.Json.Nodes.JsonArray();

        var error = SystemJson.SingleError(root);

        Assert.Equal("sevices", error.Path);
        Assert.Equal(
            "unknown field 'sevices'; allowed fields: system, hosts, networks, services, annotations",
            error.Message);
    }

    [Fact]
    public void Loader_UnknownServiceField_ListsAllowed()
    {
        var root = SystemJson.Create();
        SystemJson.Service(root, 0)["replica"] = 2;

        var error = SystemJson.SingleError(root);

        Assert.Equal("services[0].replica", error.Path);
        Assert.StartsWith(
            "unknown field 'replica'; allowed fields: name, kind, image, network, replicas,",
            error.Message);
    }

    [Fact]
    public void Loader_UnknownNetworkField_NamesFieldAndPath()
    {
        var root = SystemJson.Create();
        SystemJson.Net2(root)["gatway"] = "172.16.20.254";

        var error = SystemJson.SingleError(root);

        Assert.Equal("networks.outer.children.net2.gatway", error.Path);
        Assert.Contains("unknown field 'gatway'; allowed fields: name, subnet, gateway,", error.Message);
    }

    [Fact]
    public void Loader_UnknownHealthField_ListsAllowed()
    {
        var root = SystemJson.Create();
        SystemJson.Service(root, 0)["health"] = new System.Text.Json.Nodes.JsonObject
        {
            ["command"] = new System.Text.Json.Nodes.JsonArray("true"),
            ["interval"] = 5,
        };

        var error = SystemJson.SingleError(root);

        Assert.Equal("services[0].health.interval", error.Path);
        Assert.Equal(
            "unknown field 'interval'; allowed fields: command, intervalSeconds, timeoutSeconds, retries, "
                + "startPeriodSeconds",
            error.Message);
    }

    [Fact]
    public void Loader_DuplicateField_ReportsIt()
    {
        var json = """{ "system": "test", "system": "other", "networks": [] }""";

        var error = Assert.Single(SystemJson.Errors(json));

        Assert.Equal("system", error.Path);
        Assert.Contains("appears more than once", error.Message);
    }

    [Fact]
    public void Loader_MissingSystemName_ReportsRequiredField()
    {
        var root = SystemJson.Create();
        root.Remove("system");

        var error = SystemJson.SingleError(root);

        Assert.Equal("system", error.Path);
        Assert.Equal("required field 'system' is missing", error.Message);
    }

    [Fact]
    public void Loader_MissingNetworks_ReportsBoth()
    {
        var root = SystemJson.Create();
        root.Remove("networks");

        var errors = SystemJson.Errors(root);

        Assert.Contains(errors, error => error.Path == "networks"
            && error.Message == "required field 'networks' is missing");
        Assert.Contains(errors, error => error.Path == "services[0].network"
            && error.Message.StartsWith("network 'net1' not found"));
    }

    [Fact]
    public void Loader_MissingSubnet_ReportsRequiredField()
    {
        var root = SystemJson.Create();
        SystemJson.Net1(root).Remove("subnet");

        var error = SystemJson.SingleError(root);

        Assert.Equal("networks.outer.children.net1.subnet", error.Path);
        Assert.Equal("required field 'subnet' is missing", error.Message);
    }

    [Fact]
    public void Loader_MissingServiceImage_ReportsRequiredField()
    {
        var root = SystemJson.Create();
        SystemJson.Service(root, 1).Remove("image");

        var errors = SystemJson.Errors(root);

        var error = Assert.Single(errors, error => error.Path == "services[1].image");
        Assert.Equal("required field 'image' is missing", error.Message);
    }

    [Fact]
    public void Loader_MissingNetworkName_UsesIndexPath()
    {
        var root = SystemJson.Create();
        SystemJson.Net1(root).Remove("name");

        var errors = SystemJson.Errors(root);

        Assert.Contains(errors, error => error.Path == "networks.outer.children[0].name"
            && error.Message == "required field 'name' is missing");
    }

    [Fact]
    public void Loader_WrongType_NamesExpectedAndFoundType()
    {
        var root = SystemJson.Create();
        SystemJson.Service(root, 0)["replicas"] = "three";

        var error = SystemJson.SingleError(root);

        Assert.Equal("services[0].replicas", error.Path);
        Assert.Equal("expected a whole number but found a string (\"three\")", error.Message);
    }

    [Fact]
    public void Loader_FractionalReplicas_ReportsWholeNumberExpected()
    {
        var root = SystemJson.Create();
        SystemJson.Service(root, 0)["replicas"] = 1.5;

        var error = SystemJson.SingleError(root);

        Assert.Equal("services[0].replicas", error.Path);
        Assert.Equal("expected a whole number but found a number (1.5)", error.Message);
    }

    [Fact]
    public void Loader_SeveralErrors_ReportsAllOfThem()
    {
        var root = SystemJson.Create();
        SystemJson.Service(root, 0)["image"] = "";
        SystemJson.Service(root, 1)["network"] = "nowhere";
        SystemJson.Net1(root)["subnet"] = "172.16.10.1/24";

        var errors = SystemJson.Errors(root);

        Assert.Equal(
            ["networks.outer.children.net1.subnet", "services[0].image", "services[1].network"],
            errors.Select(error => error.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Loader_SeveralErrors_OnePerLine()
    {
        var root = SystemJson.Create();
        SystemJson.Service(root, 0)["image"] = "";
        SystemJson.Service(root, 1)["network"] = "nowhere";

        var exception = Assert.Throws<SystemFileException>(() => SystemLoader.Parse(root.ToJsonString(), "f.json"));

        var lines = exception.Message.Split(Environment.NewLine);
        Assert.Equal("f.json: 2 errors:", lines[0]);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("  services[0].image (line 1, column ", lines[1]);
        Assert.Contains("): image of service 'a' is empty", lines[1]);
        Assert.StartsWith("  services[1].network (line 1, column ", lines[2]);
        Assert.Contains("): network 'nowhere' not found", lines[2]);
    }

    [Fact]
    public void Loader_MissingFile_ReportsUnreadableFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"sdmi-missing-{Guid.NewGuid():N}.json");

        var exception = Assert.Throws<SystemFileException>(() => SystemLoader.LoadFile(path));

        var error = Assert.Single(exception.Errors);
        Assert.StartsWith("cannot read the file: ", error.Message);
        Assert.Equal(path, exception.SourceName);
    }
    [Fact]
    public void Loader_ServiceFieldError_ReportsLineAndColumn()
    {
        var json = """
            {
              "system": "test",
              "networks": [ { "name": "net1", "subnet": "172.16.10.0/24" } ],
              "services": [
                { "name": "a", "image": "sdmi/a:1", "network": "net1",
                  "dependsOn": [ "ghost" ] }
              ]
            }
            """;

        var error = Assert.Single(SystemJson.Errors(json));

        Assert.Equal("services[0].dependsOn[0]", error.Path);
        Assert.Equal(6, error.Line);
        Assert.Equal(22, error.Column);
    }

    [Fact]
    public void Loader_NestedNetworkError_ReportsLineAndColumn()
    {
        var json = """
            {
              "system": "test",
              "networks": [
                { "name": "outer", "subnet": "172.16.0.0/16", "networks": [
                  { "name": "inner",
                    "subnet": "172.16.10.1/24" } ] } ]
            }
            """;

        var error = Assert.Single(SystemJson.Errors(json));

        Assert.Equal("networks.outer.children.inner.subnet", error.Path);
        Assert.Equal(6, error.Line);
        Assert.Equal(9, error.Column);
    }

    [Fact]
    public void Loader_MissingField_ReportsPositionOfObject()
    {
        var json = """
            {
              "system": "test",
              "networks": [
                { "name": "net1" } ]
            }
            """;

        var error = Assert.Single(SystemJson.Errors(json));

        Assert.Equal("networks.net1.subnet", error.Path);
        Assert.Equal(4, error.Line);
        Assert.Equal(5, error.Column);
    }
}
