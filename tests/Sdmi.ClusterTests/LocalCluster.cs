using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Sdmi.ClusterTests;

/// <summary>
/// Three `sdmi node` processes started by `tools/sdmi cluster up` on this machine, journaling to
/// the PostgreSQL server of tools/setup in a schema of their own. Disposing stops the nodes and
/// removes the test system's containers, its bridge and the schema. Node i listens on 127.0.0.1:
/// control API 7790+i, cluster 7800+i, OpenFlow 6660+i (the defaults of `sdmi cluster up`).
/// </summary>
internal sealed class LocalCluster : IDisposable
{
    public const int NodeCount = 3;
    public const string Bridge = "sdmic0";
    public const string SystemName = "clustertest";
    private const string CredentialsFile = "/etc/sdmi/postgres.env";
    private const string ConnectionVariable = "SDMI_POSTGRES";
    private static readonly TimeSpan OvsTimeout = TimeSpan.FromSeconds(10);

    private readonly string? overlay;

    private LocalCluster(string schema, string? overlay)
    {
        Schema = schema;
        this.overlay = overlay;
    }

    public string Schema { get; }

    public static string SystemFile => Path.Combine(AppContext.BaseDirectory, "clustertest.json");

    /// <param name="overlay">A HOCON file applied after cluster-config/cluster.hocon, or null.</param>
    public static LocalCluster Start(string schema, string? overlay)
    {
        RemoveLeftovers();
        DropSchema(schema);
        var cluster = new LocalCluster(schema, overlay);
        var result = Commands.Sdmi(cluster.UpArguments());
        if (result.ExitCode != 0)
        {
            cluster.Dispose();
            throw new InvalidOperationException($"sdmi cluster up failed: {result}");
        }

        return cluster;
    }

    /// <summary>Stops every node with `sdmi cluster down`, keeping the journal, the containers and the bridge.</summary>
    public void Stop()
    {
        var down = Commands.Sdmi("cluster", "down");
        Assert.True(down.ExitCode == 0, $"sdmi cluster down failed: {down}");
    }

    /// <summary>
    /// Starts the nodes again on the same schema after <see cref="Stop"/>. Unlike <see cref="Start"/>,
    /// it keeps the journal, the containers and the bridge, as an operator's restart of the whole
    /// cluster would. Returns when all nodes are Up members again.
    /// </summary>
    public void StartAgain()
    {
        var up = Commands.Sdmi(UpArguments());
        Assert.True(up.ExitCode == 0, $"sdmi cluster up on the kept schema {Schema} failed: {up}");
    }

    public JsonElement Status()
    {
        var result = Commands.Sdmi("cluster", "status", "--json");
        Assert.True(result.ExitCode == 0, $"sdmi cluster status --json failed: {result}");
        using var document = JsonDocument.Parse(result.Output);
        return document.RootElement.Clone();
    }

    public static string Gateway(int node) => $"http://127.0.0.1:{7790 + node}";

    public static string ControllerTarget(int node) => $"tcp:127.0.0.1:{OpenFlowPort(node)}";

    public static int ClusterPort(int node) => 7800 + node;

    public static int OpenFlowPort(int node) => 6660 + node;

    /// <summary>The node's Akka address as members report it.</summary>
    public static string MemberAddress(int node) => $"akka.tcp://sdmi@127.0.0.1:{ClusterPort(node)}";

    /// <summary>The node's log, which `sdmi cluster up` appends to on every start.</summary>
    public static string LogFile(int node) => $"/var/log/sdmi/cluster/node-{node}.log";

    /// <summary>The node's log size in bytes; <see cref="ReadLog"/> reads what a node wrote after that point.</summary>
    public static long LogLength(int node) => File.Exists(LogFile(node)) ? new FileInfo(LogFile(node)).Length : 0;

    public static string ReadLog(int node, long offset)
    {
        using var stream = File.Open(LogFile(node), FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(Math.Min(offset, stream.Length), SeekOrigin.Begin);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The node's GET /v1/cluster, or null when it does not respond within the client's timeout.</summary>
    public static async Task<JsonElement?> ViewAsync(HttpClient http, int node)
    {
        try
        {
            using var view = JsonDocument.Parse(await http.GetStringAsync(Gateway(node) + "/v1/cluster"));
            return view.RootElement.Clone();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            return null;
        }
    }

    public int Pid(int node) => Status().GetProperty("nodes")[node].GetProperty("pid").GetInt32();

    public static void KillHard(int pid)
    {
        var result = Commands.Run("kill", ["-9", $"{pid}"], TimeSpan.FromSeconds(5));
        Assert.True(result.ExitCode == 0, $"kill -9 {pid} failed: {result}");
    }

    /// <summary>The target of every controller record of the test bridge and the role Open vSwitch reports for it.</summary>
    public static IReadOnlyDictionary<string, string> ControllerRoles()
    {
        // A deployment sets the bridge's controllers again, which replaces their rows, so a row read
        // by the first command may be gone by the second; read both again when that happens.
        for (var attempt = 1; ; attempt++)
        {
            var records = Commands.Run("ovs-vsctl", ["get", "Bridge", Bridge, "controller"], OvsTimeout);
            Assert.True(records.ExitCode == 0, $"ovs-vsctl get Bridge {Bridge} controller failed: {records}");
            var ids = records.Output.Trim().Trim('[', ']').Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var list = Commands.Run(
                "ovs-vsctl", ["--format=csv", "--no-headings", "--columns=target,role", "list", "controller", .. ids], OvsTimeout);
            if (list.ExitCode != 0 && attempt < 3 && list.ToString().Contains("no row", StringComparison.Ordinal))
            {
                continue;
            }

            Assert.True(list.ExitCode == 0, $"ovs-vsctl list controller failed: {list}");
            return list.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => line.Split(','))
                .ToDictionary(fields => fields[0].Trim('"'), fields => fields[1].Trim());
        }
    }

    /// <summary>Posts the test system to one node's control API and returns the final result object.</summary>
    public static async Task<JsonElement> DeployAsync(int node, TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = new Uri(Gateway(node)), Timeout = timeout };
        using var content = new StringContent(await File.ReadAllTextAsync(SystemFile), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await http.PostAsync("/v1/systems", content);
        var body = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode
            ? Result(body)
            : throw new InvalidOperationException($"POST /v1/systems to node {node} answered {(int)response.StatusCode}: {body}");
    }

    /// <summary>POST /v1/systems/{system}/services/{service}/scale on one node; returns the result line.</summary>
    public static async Task<JsonElement> ScaleAsync(int node, string service, int replicas, TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = new Uri(Gateway(node)), Timeout = timeout };
        using var content = new StringContent($"{{\"replicas\": {replicas}}}", Encoding.UTF8, "application/json");
        using var response = await http.PostAsync($"/v1/systems/{SystemName}/services/{service}/scale", content);
        var body = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode
            ? Result(body)
            : throw new InvalidOperationException($"scale of {service} to {replicas} on node {node} answered {(int)response.StatusCode}: {body}");
    }

    public static async Task<JsonElement> RemoveAsync(int node, TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = new Uri(Gateway(node)), Timeout = timeout };
        using var response = await http.DeleteAsync($"/v1/systems/{SystemName}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"DELETE /v1/systems/{SystemName} answered {(int)response.StatusCode}: {body}");
        return Result(body);
    }

    /// <summary>True while the process exists and is not a zombie.</summary>
    public static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].FirstOrDefault() != 'Z';
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        var down = Commands.Sdmi("cluster", "down");
        RemoveLeftovers();
        DropSchema(Schema);
        Assert.True(down.ExitCode == 0, $"sdmi cluster down failed: {down}");
    }

    private string[] UpArguments() => overlay is null
        ? ["cluster", "up", "--nodes", $"{NodeCount}", "--postgres", "--schema", Schema]
        : ["cluster", "up", "--nodes", $"{NodeCount}", "--postgres", "--schema", Schema, "--config-overlay", overlay];

    private static JsonElement Result(string ndjson)
    {
        foreach (var line in ndjson.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var document = JsonDocument.Parse(line);
            if (document.RootElement.TryGetProperty("result", out var result))
            {
                return result.Clone();
            }
        }

        throw new InvalidOperationException($"The node sent no result line:\n{ndjson}");
    }

    /// <summary>Removes what an earlier, interrupted run may have left: nodes, containers and the bridge.</summary>
    private static void RemoveLeftovers()
    {
        Commands.Sdmi("cluster", "down");
        var containers = Commands.Run(
            "docker", ["ps", "-aq", "--filter", $"label=sdmi.system={SystemName}"], TimeSpan.FromSeconds(30));
        foreach (var id in containers.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            Commands.Run("docker", ["rm", "-f", id], TimeSpan.FromSeconds(30));
        }

        Commands.Run("ovs-vsctl", ["--if-exists", "del-br", Bridge], OvsTimeout);
    }

    private static void DropSchema(string schema)
    {
        // Unpooled: a test may restart PostgreSQL, which ends every pooled connection.
        var unpooled = new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString()) { Pooling = false }.ConnectionString;
        using var connection = new Npgsql.NpgsqlConnection(unpooled);
        connection.Open();
        using var command = new Npgsql.NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE", connection);
        command.ExecuteNonQuery();
    }

    private static string ConnectionString()
    {
        var line = File.ReadLines(CredentialsFile).FirstOrDefault(l => l.StartsWith(ConnectionVariable + "=", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"{CredentialsFile} has no {ConnectionVariable}; run tools/setup.");
        return line[(ConnectionVariable.Length + 1)..].Trim('"');
    }
}
