using Sdmi.OpenFlow.Json;

namespace Sdmi.OpenFlow.Tests.Json;

/// <summary>Invalid JSON input raises an error that names the path, the value and what was expected.</summary>
public sealed class OpenFlowJsonErrorTests
{
    [Fact]
    public void OutOfRangeNumber_Deserialize_NamesPathAndValue()
    {
        const string json = """
            {"type": "FLOW_MOD", "instructions": [{"type": "GOTO_TABLE", "table_id": 300}]}
            """;

        var error = Assert.Throws<OpenFlowJsonException>(() => OpenFlowJson.Deserialize(json));

        Assert.Equal("$.instructions[0].table_id", error.Path);
        Assert.Equal("300", error.Value);
        Assert.Equal("an unsigned 8-bit integer (0-255)", error.Expected);
        Assert.Equal(
            "Invalid OpenFlow JSON at $.instructions[0].table_id: 300 is invalid; " +
            "expected an unsigned 8-bit integer (0-255).",
            error.Message);
    }

    [Fact]
    public void InvalidMac_Deserialize_NamesMatchField()
    {
        const string json = """
            {"type": "FLOW_MOD", "match": [{"field": "in_port", "value": 1},
             {"field": "eth_dst", "value": "02:00:00:00:01"}]}
            """;

        var error = Assert.Throws<OpenFlowJsonException>(() => OpenFlowJson.Deserialize(json));

        Assert.Equal("$.match[1].value", error.Path);
        Assert.Equal("\"02:00:00:00:01\"", error.Value);
        Assert.Contains("MAC address", error.Expected, StringComparison.Ordinal);
    }

    [Fact]
    public void Ipv6ForIpv4Field_Deserialize_Fails()
    {
        const string json = """{"type": "FLOW_MOD", "match": [{"field": "ipv4_dst", "value": "fd00::1"}]}""";

        var error = Assert.Throws<OpenFlowJsonException>(() => OpenFlowJson.Deserialize(json));

        Assert.Equal("$.match[0].value", error.Path);
        Assert.Equal("an IPv4 address such as \"10.0.0.1\"", error.Expected);
    }

    [Fact]
    public void UnknownMessageType_Deserialize_ListsTypes()
    {
        var error = Assert.Throws<OpenFlowJsonException>(() => OpenFlowJson.Deserialize("""{"type": "FLOW_MODD"}"""));

        Assert.Equal("$.type", error.Path);
        Assert.Equal("\"FLOW_MODD\"", error.Value);
        Assert.Contains("FLOW_MOD, GROUP_MOD", error.Expected, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownActionType_Deserialize_ListsActionTypes()
    {
        const string json = """
            {"type": "PACKET_OUT", "actions": [{"type": "OUTPUT", "port": 1}, {"type": "FLOOD"}], "data": ""}
            """;

        var error = Assert.Throws<OpenFlowJsonException>(() => OpenFlowJson.Deserialize(json));

        Assert.Equal("$.actions[1].type", error.Path);
        Assert.Contains("OUTPUT", error.Expected, StringComparison.Ordinal);
    }

    [Fact]
    public void MisspelledProperty_Deserialize_Fails()
    {
        var error = Assert.Throws<OpenFlowJsonException>(
            () => OpenFlowJson.Deserialize("""{"type": "FLOW_MOD", "priorty": 5}"""));

        Assert.Equal("$.priorty", error.Path);
        Assert.Equal("5", error.Value);
        Assert.Contains("priority", error.Expected, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingRequiredProperty_Deserialize_Fails()
    {
        var error = Assert.Throws<OpenFlowJsonException>(() => OpenFlowJson.Deserialize("""{"type": "TABLE_MOD"}"""));

        Assert.Equal("$.table_id", error.Path);
        Assert.Null(error.Value);
        Assert.Equal(
            "Invalid OpenFlow JSON at $.table_id: the value is missing; " +
            "expected an unsigned 8-bit integer (0-255).",
            error.Message);
    }

    [Fact]
    public void UnknownEnumName_Deserialize_ListsNames()
    {
        var error = Assert.Throws<OpenFlowJsonException>(
            () => OpenFlowJson.Deserialize("""{"type": "FLOW_MOD", "command": "REPLACE"}"""));

        Assert.Equal("$.command", error.Path);
        Assert.Contains("ADD, MODIFY, MODIFY_STRICT, DELETE, DELETE_STRICT", error.Expected, StringComparison.Ordinal);
    }

    [Fact]
    public void OddHexDigits_Deserialize_Fails()
    {
        var error = Assert.Throws<OpenFlowJsonException>(
            () => OpenFlowJson.Deserialize("""{"type": "ECHO_REQUEST", "data": "abc"}"""));

        Assert.Equal("$.data", error.Path);
        Assert.Equal("\"abc\"", error.Value);
    }

    [Fact]
    public void MultipartWithoutMultipartType_Deserialize_Fails()
    {
        var error = Assert.Throws<OpenFlowJsonException>(
            () => OpenFlowJson.Deserialize("""{"type": "MULTIPART_REQUEST"}"""));

        Assert.Equal("$.multipart_type", error.Path);
    }

    [Fact]
    public void MalformedJson_Deserialize_NamesLine()
    {
        var error = Assert.Throws<OpenFlowJsonException>(
            () => OpenFlowJson.Deserialize("{\"type\": \"FLOW_MOD\",\n \"xid\": }"));

        Assert.StartsWith("$ (line 2", error.Path, StringComparison.Ordinal);
        Assert.Equal("well-formed JSON", error.Expected);
    }

    [Fact]
    public void OversizedOpaqueOxm_Deserialize_Fails()
    {
        string value = new('0', 2 * 256);
        string json = $$"""{"type": "FLOW_MOD", "match": [{"class": 1, "field": 0, "value": "{{value}}"}]}""";

        var error = Assert.Throws<OpenFlowJsonException>(() => OpenFlowJson.Deserialize(json));

        Assert.Equal("$.match[0]", error.Path);
    }
}
