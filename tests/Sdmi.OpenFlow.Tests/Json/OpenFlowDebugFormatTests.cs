using Sdmi.OpenFlow.Json;
using Sdmi.OpenFlow.Messages;
using Sdmi.OpenFlow.Tests.Conformance;

namespace Sdmi.OpenFlow.Tests.Json;

/// <summary>The conversions behind `sdmi ofp decode` and `sdmi ofp encode`.</summary>
public sealed class OpenFlowDebugFormatTests
{
    private const string BarrierRequestHex = "0414000800000007";
    private const string EchoRequestHex = "0402000a000000090102";

    [Theory]
    [InlineData("0414000800000007")]
    [InlineData("04 14 00 08 00 00 00 07")]
    [InlineData("04:14:00:08:00:00:00:07")]
    [InlineData(" 0414 0008\n0000 0007\n")]
    public void ParseHex_SeparatorsAndSpaces_AreIgnored(string text)
    {
        byte[] bytes = OpenFlowDebugFormat.ParseHex(text);

        Assert.Equal(BarrierRequestHex, Convert.ToHexStringLower(bytes));
    }

    [Fact]
    public void ParseHex_InvalidCharacter_NamesPosition()
    {
        var error = Assert.Throws<FormatException>(() => OpenFlowDebugFormat.ParseHex("0414x0"));

        Assert.Equal(
            "Invalid hex input: character 'x' at position 4 is not a hexadecimal digit, colon or space.",
            error.Message);
    }

    [Fact]
    public void ParseHex_OddDigitCount_Fails()
    {
        var error = Assert.Throws<FormatException>(() => OpenFlowDebugFormat.ParseHex("041"));

        Assert.Contains("3 hexadecimal digits", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DecodeToJsonLines_TwoMessages_TwoLines()
    {
        byte[] bytes = Convert.FromHexString(BarrierRequestHex + EchoRequestHex);

        DecodeResult result = OpenFlowDebugFormat.DecodeToJsonLines(bytes);

        Assert.Null(result.Error);
        Assert.Equal(
            [
                """{"type":"BARRIER_REQUEST","xid":7}""",
                """{"type":"ECHO_REQUEST","xid":9,"data":"0102"}""",
            ],
            result.Lines);
    }

    [Fact]
    public void DecodeToJsonLines_MalformedSecond_ReportsOffset()
    {
        // The second message is a FLOW_MOD whose length field (4) is below the header size.
        byte[] bytes = Convert.FromHexString(BarrierRequestHex + "040e000400000001");

        DecodeResult result = OpenFlowDebugFormat.DecodeToJsonLines(bytes);

        Assert.Single(result.Lines);
        Assert.NotNull(result.Error);
        Assert.Equal(OfpErrorType.BadRequest, result.Error.ErrorType);
        Assert.Equal((ushort)BadRequestCode.BadLen, result.Error.ErrorCode);
        Assert.Equal(8, result.ErrorMessageOffset);
        Assert.StartsWith(
            "invalid OpenFlow FlowMod message at byte 8: error type BadRequest (1), code BadLen (6), offset 10: ",
            OpenFlowDebugFormat.FormatError(result.Error, result.ErrorMessageOffset),
            StringComparison.Ordinal);
    }

    [Fact]
    public void DecodeToJsonLines_Truncated_ReportsBadLen()
    {
        byte[] bytes = Convert.FromHexString(EchoRequestHex[..16]);

        DecodeResult result = OpenFlowDebugFormat.DecodeToJsonLines(bytes);

        Assert.Empty(result.Lines);
        Assert.NotNull(result.Error);
        Assert.Equal((ushort)BadRequestCode.BadLen, result.Error.ErrorCode);
        Assert.Equal("header length 10 exceeds the 8 bytes left", result.Error.Reason);
    }

    [Fact]
    public void EncodeJsonToHex_DecodedLines_ReproduceInput()
    {
        string hex = Convert.ToHexStringLower(ConformanceData.ReadRyuPacket("4-2-ofp_flow_mod"))
            + BarrierRequestHex + EchoRequestHex;
        DecodeResult decoded = OpenFlowDebugFormat.DecodeToJsonLines(Convert.FromHexString(hex));

        string encoded = OpenFlowDebugFormat.EncodeJsonToHex(string.Join('\n', decoded.Lines));

        Assert.Equal(hex, encoded);
    }

    [Fact]
    public void EncodeJsonToHex_Array_EncodesEachMessage()
    {
        const string json = """
            [{"type": "BARRIER_REQUEST", "xid": 7}, {"type": "ECHO_REQUEST", "xid": 9, "data": "0102"}]
            """;

        string hex = OpenFlowDebugFormat.EncodeJsonToHex(json);

        Assert.Equal(BarrierRequestHex + EchoRequestHex, hex);
    }

    [Fact]
    public void EncodeJsonToHex_InvalidSecond_NamesIndex()
    {
        const string json = """{"type": "BARRIER_REQUEST"} {"type": "BARRIER_REQUEST", "xid": -1}""";

        var error = Assert.Throws<OpenFlowJsonException>(() => OpenFlowDebugFormat.EncodeJsonToHex(json));

        Assert.Equal("$[1].xid", error.Path);
        Assert.Equal("-1", error.Value);
    }

    [Fact]
    public void EncodeJsonToHex_EmptyInput_Fails()
    {
        var error = Assert.Throws<OpenFlowJsonException>(() => OpenFlowDebugFormat.EncodeJsonToHex("  "));

        Assert.Equal("$", error.Path);
        Assert.Null(error.Value);
    }

    [Fact]
    public void EncodeJsonToHex_OversizedMessage_Fails()
    {
        string data = new('a', 2 * 70_000);
        string json = $$"""{"type": "ECHO_REQUEST", "data": "{{data}}"}""";

        var error = Assert.Throws<OpenFlowJsonException>(() => OpenFlowDebugFormat.EncodeJsonToHex(json));

        Assert.Equal("$", error.Path);
        Assert.Contains("at most 65535 bytes", error.Expected, StringComparison.Ordinal);
    }
}
