using System.Text.Json.Nodes;

namespace Sdmi.Model.Tests;

/// <summary>A small valid system file that tests change one field at a time.</summary>
internal static class SystemJson
{
    private const string Valid = """
        {
          "system": "test",
          "networks": [
            { "name": "outer", "subnet": "172.16.0.0/16", "networks": [
              { "name": "net1", "subnet": "172.16.10.0/24" },
              { "name": "net2", "subnet": "172.16.20.0/24", "hostAddress": "172.16.20.1" } ] } ],
          "services": [
            { "name": "a", "image": "sdmi/a:1", "network": "net1", "ports": [ { "port": 80 } ] },
            { "name": "b", "image": "sdmi/b:1", "network": "net2", "dependsOn": [ "a" ] }
          ]
        }
        """;

    public static JsonObject Create() => JsonNode.Parse(Valid)!.AsObject();

    public static JsonObject Outer(JsonObject root) => root["networks"]![0]!.AsObject();

    public static JsonObject Net1(JsonObject root) => Outer(root)["networks"]![0]!.AsObject();

    public static JsonObject Net2(JsonObject root) => Outer(root)["networks"]![1]!.AsObject();

    public static JsonObject Service(JsonObject root, int index) => root["services"]![index]!.AsObject();

    public static SystemSpec Load(JsonNode root) => SystemLoader.Parse(root.ToJsonString(), "test.json");

    public static IReadOnlyList<SystemFileError> Errors(JsonNode root) => Errors(root.ToJsonString());

    public static IReadOnlyList<SystemFileError> Errors(string json)
    {
        var exception = Assert.Throws<SystemFileException>(() => SystemLoader.Parse(json, "test.json"));
        return exception.Errors;
    }

    /// <summary>Loads the document, expects exactly one error and returns it.</summary>
    public static SystemFileError SingleError(JsonNode root)
    {
        var errors = Errors(root);
        return Assert.Single(errors);
    }
}
