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
}
