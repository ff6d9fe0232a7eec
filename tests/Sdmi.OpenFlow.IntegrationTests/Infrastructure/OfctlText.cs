using System.Text.RegularExpressions;
using Sdmi.OpenFlow.Messages;

namespace Sdmi.OpenFlow.IntegrationTests.Infrastructure;

/// <summary>
/// Text of ovs-ofctl: its dump commands and <c>ofp-print</c>, which renders any OpenFlow message
/// with the same formatter that the dump commands use.
/// </summary>
internal static partial class OfctlText
{
    /// <summary>
    /// Returns the lines of a reply without the header line (for example
    /// "OFPST_FLOW reply (OF1.3) (xid=0x2):"), trimmed, with flow durations removed because they
    /// differ between two reads of the same flow.
    /// </summary>
    public static IReadOnlyList<string> EntryLines(string output) =>
        output.Split('\n')
            .Where(line => !string.IsNullOrWhiteSpace(line) && !HeaderLine().IsMatch(line))
            .Select(line => Duration().Replace(line.Trim(), string.Empty))
            .ToArray();

    /// <summary>Renders <paramref name="message"/> with <c>ovs-ofctl ofp-print</c> and returns its entry lines.</summary>
    public static async Task<IReadOnlyList<string>> PrintAsync(OpenFlowMessage message)
    {
        string hex = Convert.ToHexString(message.ToArray());
        string output = await Command.RunAsync("ovs-ofctl", "ofp-print", hex);
        if (output.Contains("decode error", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"ovs-ofctl could not decode the {message.Type} message: {output}");
        }

        return EntryLines(output);
    }

    [GeneratedRegex(@"^OFP(ST|T)_\S+ (reply|request)")]
    private static partial Regex HeaderLine();

    [GeneratedRegex(@"duration=[0-9.]+s, ")]
    private static partial Regex Duration();
}
