namespace Sdmi.OpenFlow.Tests.Conformance;

/// <summary>Locates the shared OpenFlow 1.3 conformance corpus.</summary>
internal static class ConformanceData
{
    /// <summary>Environment variable that overrides the corpus location.</summary>
    public const string DirectoryVariable = "SDMI_OPENFLOW_CONFORMANCE_DIR";

    private const string DefaultDirectory = "/work/shared/conformance/openflow13";

    public static string Root => Environment.GetEnvironmentVariable(DirectoryVariable) ?? DefaultDirectory;

    public static string RyuDirectory => Path.Combine(Root, "ryu");

    public static IEnumerable<string> RyuPacketNames() =>
        Directory.EnumerateFiles(RyuDirectory, "*.packet")
            .Select(Path.GetFileNameWithoutExtension)
            .OfType<string>()
            .Order(StringComparer.Ordinal);

    public static byte[] ReadRyuPacket(string name) => File.ReadAllBytes(Path.Combine(RyuDirectory, name + ".packet"));

    public static string LoxigenDirectory => Path.Combine(Root, "loxigen");

    public static IEnumerable<string> LoxigenNames() =>
        Directory.EnumerateFiles(LoxigenDirectory, "*.data")
            .Select(Path.GetFileNameWithoutExtension)
            .OfType<string>()
            .Order(StringComparer.Ordinal);

    /// <summary>
    /// Returns the bytes of the <c>-- binary</c> section of a loxigen test file: whitespace-separated
    /// hex with <c>#</c> comments. A token with an odd number of digits (a few BSN vectors write
    /// <c>1</c> for <c>01</c>) is read as if it had a leading zero.
    /// </summary>
    public static byte[] ReadLoxigenBinary(string name)
    {
        var hex = new System.Text.StringBuilder();
        bool inBinary = false;
        foreach (string line in File.ReadLines(Path.Combine(LoxigenDirectory, name + ".data")))
        {
            if (line.StartsWith("-- ", StringComparison.Ordinal))
            {
                inBinary = line.Trim() == "-- binary";
                continue;
            }

            if (inBinary)
            {
                int comment = line.IndexOf('#');
                string data = comment < 0 ? line : line[..comment];
                foreach (string token in data.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
                {
                    hex.Append(token.Length % 2 == 0 ? token : "0" + token);
                }
            }
        }

        return Hex.Bytes(hex.ToString());
    }

    public static string OvsFile => Path.Combine(Root, "ovs", "ofp-print-of13.json");
}
