using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Sdmi.Node.Gateway;
using Sdmi.Node.Hosts;
using Sdmi.Node.Switches;
using Sdmi.Node.Systems;

namespace Sdmi.Node.Hosting;

/// <summary>
/// One SDMI node process: the actor system (a cluster member), the host and switch actors for this
/// machine, the systems manager, and the HTTP control API. Runs until cancelled.
/// </summary>
public static partial class SdmiNode
{
    public static async Task RunAsync(string configPath, CancellationToken cancellation)
    {
        var fileConfig = EnvironmentOverrides().WithFallback(
            ConfigurationFactory.ParseString(await File.ReadAllTextAsync(configPath, cancellation)));
        var settings = NodeSettings.From(fileConfig);
        var config = JournalSettings.For(settings.StateDirectory).WithFallback(fileConfig);

        using var loggers = LoggerFactory.Create(b => b
            .AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fff "; o.IncludeScopes = true; })
            .SetMinimumLevel(LogLevel.Information));
        var log = loggers.CreateLogger("Sdmi.Node");
        LogStarting(log, settings.Host, settings.GatewayUrl.ToString(), JournalSettings.Describe(settings.StateDirectory));

        var actors = ActorSystem.Create("sdmi", config);
        var cluster = Cluster.Get(actors);
        await cluster.JoinAsync(cluster.SelfAddress, cancellation);

        using var docker = new DockerEngine(settings.DockerEndpoint, loggers.CreateLogger<DockerEngine>());
        var commands = new CommandRunner(loggers.CreateLogger<CommandRunner>());
        var wiring = new PortWiring(commands, loggers.CreateLogger<PortWiring>());
        var host = actors.ActorOf(HostActor.Props(docker, wiring), "host-" + settings.Host);
        var fabricSwitch = actors.ActorOf(
            SwitchManagerActor.Props(
                new System.Net.IPEndPoint(System.Net.IPAddress.Parse(settings.OpenFlowAddress), settings.OpenFlowPort), loggers),
            "switches");
        var systems = actors.ActorOf(SystemsActor.Props(host, fabricSwitch, settings.ControllerTarget), "systems");

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(settings.GatewayUrl.ToString());
        await using var app = builder.Build();
        ControlApi.Map(app, actors, systems);
        await app.StartAsync(cancellation);
        LogStarted(log, settings.GatewayUrl.ToString());

        try
        {
            await Task.Delay(Timeout.Infinite, cancellation);
        }
        catch (OperationCanceledException)
        {
            LogStopping(log);
        }

        await app.StopAsync(CancellationToken.None);
        await CoordinatedShutdown.Get(actors).Run(CoordinatedShutdown.ClrExitReason.Instance);
        LogStopped(log);
    }

    /// <summary>Single keys that environment variables override, so several nodes can share one file.</summary>
    private static Config EnvironmentOverrides()
    {
        var keys = new Dictionary<string, string>
        {
            ["SDMI_GATEWAY_URL"] = "sdmi.gateway.url",
            ["SDMI_OPENFLOW_PORT"] = "sdmi.openflow.listen-port",
            ["SDMI_STATE_DIR"] = "sdmi.state-directory",
            ["SDMI_CLUSTER_PORT"] = "akka.remote.dot-netty.tcp.port",
        };
        var lines = keys
            .Select(kv => (Key: kv.Value, Value: Environment.GetEnvironmentVariable(kv.Key)))
            .Where(kv => !string.IsNullOrWhiteSpace(kv.Value))
            .Select(kv => $"{kv.Key} = \"{kv.Value}\"");
        return ConfigurationFactory.ParseString(string.Join('\n', lines));
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "Node starting: host {Host}, control API {Gateway}, journal {Journal}")]
    private static partial void LogStarting(ILogger logger, string host, string gateway, string journal);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Node ready: control API listening on {Gateway}")]
    private static partial void LogStarted(ILogger logger, string gateway);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Node stopping")]
    private static partial void LogStopping(ILogger logger);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Node stopped")]
    private static partial void LogStopped(ILogger logger);
}
