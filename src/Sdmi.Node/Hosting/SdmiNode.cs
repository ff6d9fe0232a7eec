using System.Net;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Pattern;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Akka.Cluster.Tools.Singleton;
using Akka.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Sdmi.Node.Gateway;
using Sdmi.Node.Hosts;
using Sdmi.Node.Networks;
using Sdmi.Node.Services;
using Sdmi.Node.Switches;
using Sdmi.Node.Systems;

namespace Sdmi.Node.Hosting;

/// <summary>
/// One SDMI node process: the actor system (a cluster member), this node's OpenFlow listener, the
/// host actor of this machine (a cluster singleton among the nodes on it), the switch and system
/// entities (cluster sharding), the systems registry (a cluster singleton) and the HTTP control
/// API. A node with no seed nodes configured forms a one-member cluster. Runs until cancelled.
/// </summary>
public static partial class SdmiNode
{
    private const string ControlRole = "control";

    /// <param name="configPaths">HOCON files; each one overrides keys of the files before it.</param>
    public static async Task RunAsync(IReadOnlyList<string> configPaths, CancellationToken cancellation)
    {
        var fileConfig = await LoadAsync(configPaths, cancellation);
        var settings = NodeSettings.From(fileConfig);
        var config = JournalSettings.For(settings.StateDirectory)
            .WithFallback(ClusterRoles(settings))
            .WithFallback(fileConfig);

        using var loggers = LoggerFactory.Create(b => b
            .AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fff "; o.IncludeScopes = true; })
            .SetMinimumLevel(LogLevel.Information));
        var log = loggers.CreateLogger("Sdmi.Node");
        LogStarting(log, settings.Host, settings.GatewayUrl.ToString(), JournalSettings.Describe(settings.StateDirectory));
        await JournalSettings.EnsureSchemaAsync(cancellation);

        var actors = ActorSystem.Create("sdmi", BootstrapSetup.Create().WithConfig(config).And(WireFormat.Setup()));
        var cluster = Cluster.Get(actors);
        var seeds = config.GetStringList("akka.cluster.seed-nodes") ?? [];
        if (seeds.Count == 0)
        {
            await cluster.JoinAsync(cluster.SelfAddress, cancellation);
        }
        else
        {
            // Akka joins the configured seed nodes by itself; the first seed forms the cluster when no other answers.
            LogJoining(log, string.Join(", ", seeds));
        }

        using var docker = new DockerEngine(settings.DockerEndpoint, loggers.CreateLogger<DockerEngine>());
        var commands = new CommandRunner(loggers.CreateLogger<CommandRunner>());
        var wiring = new PortWiring(commands, loggers.CreateLogger<PortWiring>());
        var host = StartHost(actors, settings, HostActor.Props(docker, wiring, settings.HostCommitPause));

        var sharding = ClusterSharding.Get(actors);
        var control = settings.Roles.Contains(ControlRole);
        var switchRegion = control
            ? await sharding.StartAsync(
                SwitchSharding.TypeName,
                id => SwitchOwnerActor.Props(SwitchSharding.DatapathIdOf(id)),
                ClusterShardingSettings.Create(actors),
                new SwitchSharding())
            : await sharding.StartProxyAsync(SwitchSharding.TypeName, ControlRole, new SwitchSharding());
        var openFlowEndpoint = new IPEndPoint(IPAddress.Parse(settings.OpenFlowAddress), settings.OpenFlowPort);
        var switches = actors.ActorOf(
            SwitchManagerActor.Props(openFlowEndpoint, loggers, switchRegion), SwitchManagerActor.Name);

        var transactions = await StartTransactionsAsync(actors, sharding, settings, control, host, switchRegion);

        var serviceRegion = control
            ? await sharding.StartAsync(
                ServiceSharding.TypeName,
                id => ServiceActor.Props(id, host),
                ClusterShardingSettings.Create(actors),
                new ServiceSharding())
            : await sharding.StartProxyAsync(ServiceSharding.TypeName, ControlRole, new ServiceSharding());
        var networkRegion = control
            ? await sharding.StartAsync(
                NetworkSharding.TypeName,
                NetworkActor.Props,
                ClusterShardingSettings.Create(actors),
                new NetworkSharding())
            : await sharding.StartProxyAsync(NetworkSharding.TypeName, ControlRole, new NetworkSharding());
        var entities = new SystemActor.Entities(transactions, serviceRegion, networkRegion);
        var systemRegion = control
            ? await sharding.StartAsync(
                SystemSharding.TypeName,
                name => SystemActor.Props(name, host, switchRegion, entities, settings.ControllerTargets),
                ClusterShardingSettings.Create(actors),
                new SystemSharding())
            : await sharding.StartProxyAsync(SystemSharding.TypeName, ControlRole, new SystemSharding());
        // The registry is persistent: a journal write that fails stops it, and the supervisor starts it again.
        var registry = BackoffSupervisor.Props(Backoff.OnStop(
            SystemsActor.ForRegion(systemRegion), "registry", TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), 0.2, -1));
        var systems = StartSingleton(actors, "systems", ControlRole, registry, control);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(settings.GatewayUrl.ToString());
        await using var app = builder.Build();
        var journal = JournalHealth.FromEnvironment();
        ControlApi.Map(app, actors, systems, journal);
        ClusterApi.Map(app, actors, switches, settings);
        TransactionApi.Map(app, transactions, switches, journal, settings.Host);
        EntityApi.Map(app, serviceRegion, networkRegion);
        await app.StartAsync(cancellation);
        LogStarted(log, settings.GatewayUrl.ToString());

        // The actor system also ends without a cancellation: when the split-brain resolver downs this
        // node, Akka runs coordinated shutdown. The node then exits instead of serving requests it
        // can no longer carry out. Akka 1.5.73 also handles SIGTERM itself (coordinated shutdown with
        // ClrExitReason), and its handler may finish before the cancellation arrives, so only the
        // shutdown reason tells a downing from a stop request.
        await Task.WhenAny(Task.Delay(Timeout.Infinite, cancellation), actors.WhenTerminated);
        var downed = CoordinatedShutdown.Get(actors).ShutdownReason is CoordinatedShutdown.ClusterDowningReason;
        if (downed)
        {
            LogDowned(log);
        }
        else
        {
            LogStopping(log);
        }

        await app.StopAsync(CancellationToken.None);
        await CoordinatedShutdown.Get(actors).Run(CoordinatedShutdown.ClrExitReason.Instance);
        LogStopped(log);
        if (downed)
        {
            throw new NodeDownedException();
        }
    }

    /// <summary>
    /// Starts the transaction coordinators (sharded entities keyed by transaction id, so one on a
    /// node that dies starts again elsewhere and finishes from its journal) and their admission (a
    /// cluster singleton holding the resource locks). Returns the admission's proxy, which takes
    /// every Begin. Participants: "host:NAME" is this machine's host actor, "switch:BRIDGE" the
    /// bridge's switch entity.
    /// </summary>
    private static async Task<IActorRef> StartTransactionsAsync(
        ActorSystem actors, ClusterSharding sharding, NodeSettings settings, bool control, IActorRef host, IActorRef switchRegion)
    {
        const string admission = "transactions";
        var hostParticipant = Transactions.HostStep.ParticipantId(settings.Host);
        IActorRef Directory(string participant)
        {
            if (participant == hostParticipant)
            {
                return host;
            }

            return Transactions.SwitchStep.BridgeOf(participant) is not null
                ? switchRegion
                : throw new ArgumentException($"Unknown transaction participant '{participant}': this cluster has host {settings.Host} and switches named switch:BRIDGE.");
        }

        var region = control
            ? await sharding.StartAsync(
                Transactions.TransactionSharding.TypeName,
                id => Transactions.TransactionCoordinator.Props(id, Directory, settings.Coordinator, "/user/" + admission + "-proxy"),
                ClusterShardingSettings.Create(actors),
                new Transactions.TransactionSharding())
            : await sharding.StartProxyAsync(Transactions.TransactionSharding.TypeName, ControlRole, new Transactions.TransactionSharding());
        // The admission is persistent: a journal write that fails stops it, and the supervisor starts it again.
        var manager = BackoffSupervisor.Props(Backoff.OnStop(
            Transactions.TransactionManager.Props(Directory, settings.Coordinator, region),
            "admission", TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), 0.2, -1));
        return StartSingleton(actors, admission, ControlRole, manager, control);
    }

    /// <summary>
    /// Starts the host actor as a singleton among the nodes that carry this host's role, because
    /// every node on one machine shares its Docker engine and bridges and the host actor must be
    /// their only writer. Returns a proxy that reaches it from any node.
    /// </summary>
    private static IActorRef StartHost(ActorSystem actors, NodeSettings settings, Props hostProps) =>
        StartSingleton(actors, "host-" + settings.Host, settings.HostRole, hostProps, settings.Roles.Contains("host"));

    private static IActorRef StartSingleton(ActorSystem actors, string name, string role, Props props, bool runsHere)
    {
        if (runsHere)
        {
            actors.ActorOf(
                ClusterSingletonManager.Props(
                    props, PoisonPill.Instance, ClusterSingletonManagerSettings.Create(actors).WithRole(role)),
                name);
        }

        return actors.ActorOf(
            ClusterSingletonProxy.Props(
                "/user/" + name, ClusterSingletonProxySettings.Create(actors).WithRole(role)),
            name + "-proxy");
    }

    private static async Task<Config> LoadAsync(IReadOnlyList<string> configPaths, CancellationToken cancellation)
    {
        var merged = ConfigurationFactory.Empty;
        foreach (var path in configPaths)
        {
            var file = ConfigurationFactory.ParseString(await File.ReadAllTextAsync(path, cancellation));
            merged = file.WithFallback(merged);
        }

        return EnvironmentOverrides().WithFallback(merged);
    }

    /// <summary>The configured roles plus this machine's host role, which places the host singleton.</summary>
    private static Config ClusterRoles(NodeSettings settings)
    {
        var roles = settings.Roles.Contains("host") ? [.. settings.Roles, settings.HostRole] : settings.Roles;
        return ConfigurationFactory.ParseString(
            $"akka.cluster.roles = [{string.Join(", ", roles.Select(HoconString))}]");
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
            .Select(kv => $"{kv.Key} = {HoconString(kv.Value!)}")
            .ToList();

        var lists = new Dictionary<string, (string Key, char Separator)>
        {
            ["SDMI_SEED_NODES"] = ("akka.cluster.seed-nodes", ','),
            ["SDMI_CONTROLLER_TARGETS"] = ("sdmi.openflow.controller-targets", ' '),
        };
        foreach (var (variable, (key, separator)) in lists)
        {
            var value = Environment.GetEnvironmentVariable(variable);
            if (!string.IsNullOrWhiteSpace(value))
            {
                var items = value.Split(separator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                lines.Add($"{key} = [{string.Join(", ", items.Select(HoconString))}]");
            }
        }

        return ConfigurationFactory.ParseString(string.Join('\n', lines));
    }

    private static string HoconString(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "Node starting: host {Host}, control API {Gateway}, journal {Journal}")]
    private static partial void LogStarting(ILogger logger, string host, string gateway, string journal);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Node ready: control API listening on {Gateway}")]
    private static partial void LogStarted(ILogger logger, string gateway);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Node stopping")]
    private static partial void LogStopping(ILogger logger);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Node stopped")]
    private static partial void LogStopped(ILogger logger);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning,
        Message = "The actor system terminated without a stop request: this node was removed from the cluster (downed); exiting")]
    private static partial void LogDowned(ILogger logger);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Joining the cluster through seed nodes {Seeds}")]
    private static partial void LogJoining(ILogger logger, string seeds);
}

/// <summary>The cluster removed this node (for example the minority side of a partition); the process exits.</summary>
public sealed class NodeDownedException()
    : Exception("This node was removed from the cluster (downed by the split-brain resolver or by an operator); start it again to rejoin.");
