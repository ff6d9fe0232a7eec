namespace Sdmi.IntegrationTests;

/// <summary>Reads what the real components hold: Docker containers, OVS ports and flows.</summary>
internal static class HostProbe
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static IReadOnlyList<string> ContainerIds(string system) =>
        Lines(ProcessRunner.Run(
            "docker", ["ps", "-aq", "--no-trunc", "--filter", $"label=sdmi.system={system}"], Timeout).Output);

    public static IReadOnlyList<string> OvsPorts(string system) =>
        Lines(ProcessRunner.Run(
            "ovs-vsctl", ["--bare", "--columns=name", "find", "Interface", $"external_ids:sdmi-system={system}"], Timeout).Output);

    /// <summary>Flows on the bridge whose cookie carries the SDMI tag 0x5D; empty when the bridge does not exist.</summary>
    public static IReadOnlyList<string> SdmiFlows(string bridge)
    {
        var result = ProcessRunner.Run("ovs-ofctl", ["-O", "OpenFlow13", "dump-flows", bridge], Timeout);
        return result.ExitCode != 0
            ? []
            : Lines(result.Output).Where(l => l.Contains("cookie=0x5d", StringComparison.Ordinal)).ToList();
    }

    /// <summary>Runs a command in a container and returns its result.</summary>
    public static ProcessResult Exec(string container, params string[] command) =>
        ProcessRunner.Run("docker", ["exec", container, .. command], Timeout);

    /// <summary>
    /// Runs curl against a container address, but only after checking that the host routes that
    /// address through SDMI's edge port: without that route the request would leave the machine.
    /// </summary>
    public static ProcessResult Curl(string address, params string[] arguments)
    {
        var route = ProcessRunner.Run("ip", ["route", "get", address], Timeout);
        if (!route.Output.Contains($"dev {EdgePort} ", StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"Refusing to send to {address}: the host does not route it through {EdgePort} ({route.Output.Trim()}).");
        }

        return ProcessRunner.Run("curl", ["-sS", "-k", "--max-time", "10", .. arguments], Timeout);
    }

    /// <summary>The host's internal port on the example's edge network: "sdh" and its address 172.16.1.1 in hex.</summary>
    public const string EdgePort = "sdhac100101";

    private static IReadOnlyList<string> Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
