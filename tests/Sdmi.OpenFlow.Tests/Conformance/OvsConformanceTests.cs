using System.Text.Json;
using Sdmi.OpenFlow.Messages;

namespace Sdmi.OpenFlow.Tests.Conformance;

/// <summary>
/// OpenFlow 1.3 messages from Open vSwitch's ofp-print tests. Messages that ovs-ofctl prints
/// decode and re-encode byte for byte; messages it reports as a decode error raise the same
/// error code here.
/// </summary>
public sealed class OvsConformanceTests
{
    private const string DecodeErrorMarker = "***decode error: ";

    public static TheoryData<string> Titles() => new(LoadEntries().Select(entry => entry.Title));

    [Theory]
    [MemberData(nameof(Titles))]
    public void OvsMessage_DecodeThenEncode_MatchesOvs(string title)
    {
        OvsEntry entry = LoadEntries().Single(candidate => candidate.Title == title);
        byte[] bytes = Hex.Bytes(entry.Hex);

        string? expectedError = ExpectedError(entry.ExpectedStdout);
        if (expectedError is not null)
        {
            var exception = Assert.Throws<OpenFlowProtocolException>(() => OpenFlowCodec.Decode(bytes));
            Assert.Equal(expectedError, OvsErrorName(exception));
            return;
        }

        OpenFlowMessage message = OpenFlowCodec.Decode(bytes);

        Assert.Equal(Hex.Of(bytes), Hex.Of(message.ToArray()));
    }

    [Fact]
    public void OvsTableFeaturesReply_HasReplyMoreFlag()
    {
        OvsEntry entry = LoadEntries().Single(candidate => candidate.Title == "OFPST_TABLE_FEATURES request - OF1.3");

        var reply = Assert.IsType<TableFeaturesReply>(OpenFlowCodec.Decode(Hex.Bytes(entry.Hex)));

        Assert.True(reply.HasMore);
        Assert.Equal("table0", reply.Tables[0].Name);
    }

    private static string? ExpectedError(string stdout)
    {
        int start = stdout.IndexOf(DecodeErrorMarker, StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        start += DecodeErrorMarker.Length;
        return stdout[start..stdout.IndexOf('*', start)];
    }

    /// <summary>
    /// Maps an exception to Open vSwitch's name for its error, for example OFPMMFC_BAD_BAND.
    /// </summary>
    private static string OvsErrorName(OpenFlowProtocolException exception) => (
        exception.ErrorType,
        exception.ErrorCode) switch
    {
        (OfpErrorType.MeterModFailed, (ushort)MeterModFailedCode.BadBand) => "OFPMMFC_BAD_BAND",
        (OfpErrorType.MeterModFailed, (ushort)MeterModFailedCode.BadCommand) => "OFPMMFC_BAD_COMMAND",
        (OfpErrorType.MeterModFailed, (ushort)MeterModFailedCode.BadFlags) => "OFPMMFC_BAD_FLAGS",
        _ => $"{exception.ErrorType}/{exception.ErrorCode}",
    };

    private static List<OvsEntry> LoadEntries()
    {
        using FileStream stream = File.OpenRead(ConformanceData.OvsFile);
        using JsonDocument document = JsonDocument.Parse(stream);
        return document.RootElement.EnumerateArray()
            .Select(element => new OvsEntry(
                element.GetProperty("title").GetString()!,
                element.GetProperty("hex").GetString()!,
                element.GetProperty("expected_stdout").GetString()!))
            .ToList();
    }

    private sealed record OvsEntry(string Title, string Hex, string ExpectedStdout);
}
