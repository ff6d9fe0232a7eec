using Akka.Configuration;

namespace Sdmi.Node.Hosting;

/// <summary>The node's own settings, read once from the `sdmi` section of the HOCON configuration.</summary>
public sealed record NodeSettings(
    string Host,
    Uri GatewayUrl,
    string OpenFlowAddress,
    int OpenFlowPort,
    Uri DockerEndpoint,
    string StateDirectory)
{
    public string ControllerTarget => $"tcp:{OpenFlowAddress}:{OpenFlowPort}";

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
            Required(sdmi, "state-directory"));
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
