using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Sdmi.ClusterTests;

/// <summary>
/// Three `sdmi node` processes started by `tools/sdmi cluster up` on this machine, journaling to
/// the PostgreSQL server of tools/setup in a schema of their own. Disposing stops the nodes and
/// removes the test system's containers, its bridge and the schema.
/// </summary>
internal sealed class LocalCluster : IDisposable
{
    public const int NodeCount = 3;
    public const string Bridge = "sdmic0";
    public const string SystemName = "clustertest";
    private const string CredentialsFile = "/etc/sdmi/postgres.env";
    private const string ConnectionVariable = "SDMI_POSTGRES_CONNECTION_STRING";
    private static readonly TimeSpan OvsTimeout = TimeSpan.FromSeconds(10);

    private LocalCluster(string schema) => Schema = schema;

    public string Schema { get; }

    public static string SystemFile => Path.Combine(AppContext.BaseDirectory, "clustertest.json");

    /// <param name="overlay">A HOCON file applied after cluster-config/cluster.hocon, or null.</param>
    public static LocalCluster Start(string schema, string? overlay)
    {
        RemoveLeftovers();
        DropSchema(schema);
        var cluster = new LocalCluster(schema);
        string[] arguments = overlay is null
            ? ["cluster", "up", "--nodes", $"{NodeCount}", "--postgres", "--schema", schema]
            : ["cluster", "up", "--nodes", $"{NodeCount}", "--postgres", "--schema", schema, "--config-overlay", overlay];
        var result = Commands.Sdmi(arguments);
        if (result.ExitCode != 0)
        {
            cluster.Dispose();
            throw new InvalidOperationException($"sdmi cluster up failed: {result}");
        }

        return cluster;
    }

    public JsonElement Status()
    {
        var result = Commands.Sdmi("cluster", "status", "--json");
        Assert.True(result.ExitCode == 0, $"sdmi cluster status --json failed: {result}");
        using var document = JsonDocument.Parse(result.Output);
        return document.RootElement.Clone();
    }

    public static string Gateway(int node) => $"http://127.0.0.1:{7790 + node}";

    public static string ControllerTarget(int node) => $"tcp:127.0.0.1:{6660 + node}";

    public int Pid(int node) => Status().GetProperty("nodes")[node].GetProperty("pid").GetInt32();

    public static void KillHard(int pid)
    {
        var result = Commands.Run("kill", ["-9", $"{pid}"], TimeSpan.FromSeconds(5));
        Assert.True(result.ExitCode == 0, $"kill -9 {pid} failed: {result}");
    }

    /// <summary>The target of every controller record of the test bridge and the role Open vSwitch reports for it.</summary>
    public static IReadOnlyDictionary<string, string> ControllerRoles()
    {
        var records = Commands.Run("ovs-vsctl", ["get", "Bridge", Bridge, "controller"], OvsTimeout);
        Assert.True(records.ExitCode == 0, $"ovs-vsctl get Bridge {Bridge} controller failed: {records}");
        var ids = records.Output.Trim().Trim('[', ']').Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var list = Commands.Run(
            "ovs-vsctl", ["--format=csv", "--no-headings", "--columns=target,role", "list", "controller", .. ids], OvsTimeout);
        Assert.True(list.ExitCode == 0, $"ovs-vsctl list controller failed: {list}");
        return list.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(','))
            .ToDictionary(fields => fields[0].Trim('"'), fields => fields[1].Trim());
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

    public static async Task<JsonElement> RemoveAsync(int node, TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = new Uri(Gateway(node)), Timeout = timeout };
        using var response = await http.DeleteAsync($"/v1/systems/{SystemName}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"DELETE /v1/systems/{SystemName} answered {(int)response.StatusCode}: {body}");
        return Result(body);
    }

    public void Dispose()
    {
        var down = Commands.Sdmi("cluster", "down");
        RemoveLeftovers();
        DropSchema(Schema);
        Assert.True(down.ExitCode == 0, $"sdmi cluster down failed: {down}");
    }

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
        using var connection = new Npgsql.NpgsqlConnection(ConnectionString());
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
