using Akka.Configuration;

namespace Sdmi.Node.Hosting;

/// <summary>The node's own settings, read once from the `sdmi` section of the HOCON configuration.</summary>
public sealed record NodeSettings(
    string Host,
    Uri GatewayUrl,
    string OpenFlowAddress,
    int OpenFlowPort,
    Uri DockerEndpoint,
    string StateDirectory,
    IReadOnlyList<string> Roles,
    IReadOnlyList<string> PeerControllerTargets)
{
    /// <summary>Timeouts of the transaction coordinator, and its fault-injection pause (sdmi.transactions).</summary>
    public Transactions.CoordinatorSettings Coordinator { get; init; } = Transactions.CoordinatorSettings.Default;

    /// <summary>Pause of the host participant after each container a commit starts; zero in service.</summary>
    public TimeSpan HostCommitPause { get; init; } = TimeSpan.Zero;

    /// <summary>This node's own OpenFlow listener as an Open vSwitch controller target.</summary>
    public string ControllerTarget => $"tcp:{OpenFlowAddress}:{OpenFlowPort}";

    /// <summary>
    /// Every cluster member's controller target, space-separated as `ovs-vsctl set-controller`
    /// takes them; this node's own target alone when none are configured.
    /// </summary>
    public string ControllerTargets =>
        PeerControllerTargets.Count == 0 ? ControllerTarget : string.Join(' ', PeerControllerTargets);

    /// <summary>
    /// The cluster role of the nodes that may run this host's actor. Every node on one machine
    /// carries it, and the host actor runs as a cluster singleton among them.
    /// </summary>
    public string HostRole => "host-" + Host;

    public static NodeSettings From(Config config)
    {
        var sdmi = config.GetConfig("sdmi")
            ?? throw new ConfigurationException("The configuration has no 'sdmi' section; start from cluster-config/node.hocon.");
        return new NodeSettings(
            Required(sdmi, "host"),
            ParseUri(sdmi, "gateway.url"),
            Required(sdmi, "openflow.listen-address"),
            sdmi.GetInt("openflow.listen-port"),
            ParseUri(sdmi, "docker.endpoint"),
            Required(sdmi, "state-directory"),
            (sdmi.GetStringList("roles") ?? []).ToList(),
            ParseTargets(sdmi))
        {
            Coordinator = Transactions.CoordinatorSettings.Default with
            {
                PrepareTimeout = sdmi.GetTimeSpan("transactions.prepare-timeout", Transactions.CoordinatorSettings.Default.PrepareTimeout),
                DecisionDelay = sdmi.GetTimeSpan("transactions.decision-delay", TimeSpan.Zero),
            },
            HostCommitPause = sdmi.GetTimeSpan("transactions.host-commit-pause", TimeSpan.Zero),
        };
    }

    private static IReadOnlyList<string> ParseTargets(Config config)
    {
        var targets = config.GetStringList("openflow.controller-targets") ?? [];
        foreach (var target in targets)
        {
            if (!target.StartsWith("tcp:", StringComparison.Ordinal) || target.Contains(' ', StringComparison.Ordinal))
            {
                throw new ConfigurationException(
                    $"Configuration key 'sdmi.openflow.controller-targets' holds '{target}', which is not a target of "
                    + "the form tcp:ADDRESS:PORT.");
            }
        }

        return targets.ToList();
    }

    private static string Required(Config config, string key)
    {
        var value = config.GetString(key);
        return string.IsNullOrWhiteSpace(value)
            ? throw new ConfigurationException($"Configuration key 'sdmi.{key}' is missing or empty.")
            : value;
    }

    private static Uri ParseUri(Config config, string key)
    {
        var value = Required(config, key);
        return Uri.TryCreate(value, UriKind.Absolute, out var uri)
            ? uri
            : throw new ConfigurationException($"Configuration key 'sdmi.{key}' is '{value}', which is not an absolute URI.");
    }
}
