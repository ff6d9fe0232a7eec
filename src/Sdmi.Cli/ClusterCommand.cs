using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Sdmi.Cli;

/// <summary>
/// `sdmi cluster up|status|down`: runs several nodes on this machine as one cluster, each on
/// 127.0.0.1 with its own ports, and reports or stops them. The nodes are recorded in
/// <see cref="ClusterNodes.StateFile"/>.
/// </summary>
internal static class ClusterCommand
{
    public const string Usage = """
        usage: sdmi cluster up --nodes N [--postgres] [--schema NAME] [--config-overlay FILE]
                               [--http-port P] [--cluster-port P] [--openflow-port P]
               sdmi cluster status [--json]
               sdmi cluster down
          up      start N node processes (1-10) and wait until all are Up members. Node i (from 0)
                  listens on 127.0.0.1: control API P+i (default 7790), cluster P+i (default 7800),
                  OpenFlow P+i (default 6660). The journal is PostgreSQL (SDMI_POSTGRES, else the
                  connection string in /etc/sdmi/postgres.env), in schema NAME (default sdmi_cluster);
                  --postgres is implied when N > 1. --config-overlay adds a HOCON file applied
                  after cluster-config/cluster.hocon.
          status  members, their status and roles, and which node is MASTER of each switch with
                  its generation_id
          down    stop every node that `cluster up` started (SIGTERM, then SIGKILL after 30 s)
        """;

    private static readonly TimeSpan UpTimeout = TimeSpan.FromSeconds(120);

    public static async Task<int> RunAsync(string[] args)
    {
        return args switch
        {
            ["up", .. var rest] => await UpAsync(rest),
            ["status", .. var rest] => await StatusAsync(rest),
            ["down"] => Down(),
            _ => UsageError("cluster takes up, status or down."),
        };
    }

    private static int UsageError(string message)
    {
        Console.Error.WriteLine($"sdmi: {message}");
        Console.Error.WriteLine(Usage);
        return 2;
    }

    private static async Task<int> UpAsync(string[] args)
    {
        var options = UpOptions.Parse(args);
        var existing = ClusterNodes.Load();
        if (existing is not null && existing.Nodes.Any(n => ClusterNodes.IsRunning(n.Pid)))
        {
            throw new CliException(
                $"A cluster started by `sdmi cluster up` is running ({ClusterNodes.StateFile}); run `sdmi cluster down` first.");
        }

        var home = Environment.GetEnvironmentVariable("SDMI_HOME") ?? Directory.GetCurrentDirectory();
        var configs = new List<string>
        {
            Path.Combine(home, "cluster-config", "node.hocon"),
            Path.Combine(home, "cluster-config", "cluster.hocon"),
        };
        if (options.Overlay is not null)
        {
            configs.Add(Path.GetFullPath(options.Overlay));
        }

        var missing = configs.FirstOrDefault(c => !File.Exists(c));
        if (missing is not null)
        {
            throw new CliException($"Node configuration '{missing}' not found; set SDMI_HOME to the repository.", 2);
        }

        var postgres = options.Postgres || options.Count > 1 ? PostgresConnection() : null;
        var nodes = Enumerable.Range(0, options.Count).Select(i => new ClusterNode(
            i,
            0,
            $"http://127.0.0.1:{options.HttpPort + i}",
            options.ClusterPort + i,
            options.OpenFlowPort + i,
            Path.Combine(ClusterNodes.StateRoot, $"node-{i}"),
            Path.Combine(ClusterNodes.LogDirectory, $"node-{i}.log"))).ToList();
        var seeds = string.Join(',', nodes.Select(n => $"akka.tcp://sdmi@127.0.0.1:{n.ClusterPort}"));
        var targets = string.Join(' ', nodes.Select(n => $"tcp:127.0.0.1:{n.OpenFlowPort}"));

        Directory.CreateDirectory(ClusterNodes.LogDirectory);
        var self = Environment.ProcessPath ?? throw new CliException("Cannot find the sdmi executable to start the nodes.");
        var started = new List<ClusterNode>();
        foreach (var node in nodes)
        {
            var environment = new Dictionary<string, string>
            {
                ["SDMI_GATEWAY_URL"] = node.Gateway,
                ["SDMI_CLUSTER_PORT"] = node.ClusterPort.ToString(CultureInfo.InvariantCulture),
                ["SDMI_OPENFLOW_PORT"] = node.OpenFlowPort.ToString(CultureInfo.InvariantCulture),
                ["SDMI_STATE_DIR"] = node.StateDirectory,
                ["SDMI_SEED_NODES"] = seeds,
                ["SDMI_CONTROLLER_TARGETS"] = targets,
            };
            if (postgres is not null)
            {
                environment["SDMI_POSTGRES"] = postgres;
                environment["SDMI_POSTGRES_SCHEMA"] = options.Schema;
            }

            var pid = StartNode(self, configs, environment, node.Log);
            started.Add(node with { Pid = pid });
            Console.WriteLine($"node {node.Index}: pid {pid}, control API {node.Gateway}, cluster port {node.ClusterPort}, "
                + $"OpenFlow port {node.OpenFlowPort}, log {node.Log}");
        }

        var state = new ClusterNodes(started, options.Schema);
        state.Save();
        await WaitUntilUpAsync(state);
        await PrintAsync(state);
        return 0;
    }

    private static int StartNode(string self, IReadOnlyList<string> configs, IReadOnlyDictionary<string, string> environment, string log)
    {
        var start = new ProcessStartInfo("setsid") { UseShellExecute = false, RedirectStandardInput = true };
        start.ArgumentList.Add("sh");
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("log=\"$1\"; shift; exec \"$0\" \"$@\" >>\"$log\" 2>&1 </dev/null");
        start.ArgumentList.Add(self);
        start.ArgumentList.Add(log);
        start.ArgumentList.Add("node");
        foreach (var config in configs)
        {
            start.ArgumentList.Add("--config");
            start.ArgumentList.Add(config);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new CliException("Could not start a node process.");
        return process.Id;
    }

    private static async Task WaitUntilUpAsync(ClusterNodes state)
    {
        var deadline = DateTime.UtcNow + UpTimeout;
        var expected = state.Nodes.Count;
        while (DateTime.UtcNow < deadline)
        {
            var exited = state.Nodes.FirstOrDefault(n => !ClusterNodes.IsRunning(n.Pid));
            if (exited is not null)
            {
                throw new CliException($"Node {exited.Index} (pid {exited.Pid}) exited while starting; see {exited.Log}.");
            }

            var views = await ClusterViews.FetchAsync(state);
            if (views.All(v => v.View is { } view && CountUp(view) == expected))
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }

        throw new CliException(
            $"The cluster did not reach {expected} Up members within {UpTimeout.TotalSeconds} s; "
            + $"see the logs in {ClusterNodes.LogDirectory} and `sdmi cluster status`.");
    }

    private static int CountUp(JsonElement view) =>
        view.GetProperty("members").EnumerateArray().Count(m => m.GetProperty("status").GetString() == "Up");

    private static async Task<int> StatusAsync(string[] args)
    {
        if (args is not ([] or ["--json"]))
        {
            return UsageError("cluster status takes only --json.");
        }

        var state = ClusterNodes.Load()
            ?? throw new CliException($"No cluster started by `sdmi cluster up` ({ClusterNodes.StateFile} not found).");
        if (args is ["--json"])
        {
            var report = ClusterViews.Report(await ClusterViews.FetchAsync(state));
            Console.WriteLine(JsonSerializer.Serialize(report, ClusterViews.Json));
            return 0;
        }

        await PrintAsync(state);
        return 0;
    }

    private static async Task PrintAsync(ClusterNodes state)
    {
        var report = ClusterViews.Report(await ClusterViews.FetchAsync(state));
        Console.WriteLine($"  {"NODE",-5} {"PID",-8} {"CONTROL API",-24} {"ADDRESS",-32} {"STATUS",-9} ROLES");
        foreach (var node in report.Nodes)
        {
            var member = report.Members.FirstOrDefault(m => m.Address == node.Address);
            var status = !node.Running ? "stopped" : member?.Status ?? (node.Answering ? "Joining" : "no answer");
            if (member is { Reachable: false })
            {
                status += " (unreachable)";
            }

            Console.WriteLine($"  {node.Index,-5} {node.Pid,-8} {node.Gateway,-24} {node.Address ?? "-",-32} {status,-9} "
                + string.Join(',', member?.Roles ?? []));
        }

        if (report.Switches.Count == 0)
        {
            Console.WriteLine("  no switch has connected");
        }

        foreach (var sw in report.Switches)
        {
            var master = sw.Master is null ? "no MASTER" : $"MASTER node {sw.Master.Index} ({sw.Master.Address})";
            Console.WriteLine($"  switch {sw.DatapathId}: {master}, generation_id {sw.GenerationId}, "
                + $"SLAVE nodes {string.Join(',', sw.Slaves.Select(s => s.Index))}");
        }
    }

    private static int Down()
    {
        var state = ClusterNodes.Load();
        if (state is null)
        {
            Console.WriteLine("no cluster started by sdmi is running");
            return 0;
        }

        foreach (var node in state.Nodes.Where(n => ClusterNodes.IsRunning(n.Pid)))
        {
            Process.Start("kill", ["-TERM", node.Pid.ToString(CultureInfo.InvariantCulture)])!.WaitForExit();
        }

        foreach (var node in state.Nodes)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (ClusterNodes.IsRunning(node.Pid) && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(200);
            }

            if (ClusterNodes.IsRunning(node.Pid))
            {
                Console.Error.WriteLine($"node {node.Index} (pid {node.Pid}) did not stop within 30 s after SIGTERM; sending SIGKILL");
                Process.Start("kill", ["-KILL", node.Pid.ToString(CultureInfo.InvariantCulture)])!.WaitForExit();
            }

            Console.WriteLine($"node {node.Index} (pid {node.Pid}) stopped");
        }

        File.Delete(ClusterNodes.StateFile);
        return 0;
    }

    /// <summary>The journal's connection string: SDMI_POSTGRES, else the one tools/setup wrote.</summary>
    private static string PostgresConnection()
    {
        const string file = "/etc/sdmi/postgres.env";
        const string key = "SDMI_POSTGRES=";
        var fromEnvironment = Environment.GetEnvironmentVariable("SDMI_POSTGRES");
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return fromEnvironment;
        }

        var line = File.Exists(file) ? File.ReadLines(file).FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal)) : null;
        return line?[key.Length..].Trim('"')
            ?? throw new CliException(
                $"A cluster needs PostgreSQL, but SDMI_POSTGRES is not set and {file} has no {key[..^1]} line. "
                + "Run tools/setup, which writes it.");
    }

    private sealed record UpOptions(int Count, bool Postgres, string Schema, string? Overlay, int HttpPort, int ClusterPort, int OpenFlowPort)
    {
        public static UpOptions Parse(string[] args)
        {
            var options = new UpOptions(0, false, "sdmi_cluster", null, 7790, 7800, 6660);
            for (var i = 0; i < args.Length; i++)
            {
                string Value() => i + 1 < args.Length ? args[++i] : throw new CliException($"{args[i]} needs a value.\n{Usage}", 2);
                options = args[i] switch
                {
                    "--nodes" => options with { Count = Number("--nodes", Value(), 1, 10) },
                    "--postgres" => options with { Postgres = true },
                    "--schema" => options with { Schema = Value() },
                    "--config-overlay" => options with { Overlay = Value() },
                    "--http-port" => options with { HttpPort = Number("--http-port", Value(), 1024, 65525) },
                    "--cluster-port" => options with { ClusterPort = Number("--cluster-port", Value(), 1024, 65525) },
                    "--openflow-port" => options with { OpenFlowPort = Number("--openflow-port", Value(), 1024, 65525) },
                    _ => throw new CliException($"Unknown option '{args[i]}' for cluster up.\n{Usage}", 2),
                };
            }

            return options.Count == 0 ? throw new CliException($"cluster up needs --nodes N.\n{Usage}", 2) : options;
        }

        private static int Number(string option, string text, int min, int max) =>
            int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
                ? value
                : throw new CliException($"{option} is '{text}'; expected a whole number from {min} to {max}.", 2);
    }
}
