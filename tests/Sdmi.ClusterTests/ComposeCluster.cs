using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Npgsql;

namespace Sdmi.ClusterTests;

/// <summary>
/// The cluster of docker-compose.test.yml: three node containers and their PostgreSQL journal,
/// all in the host's network namespace on 127.0.0.1. <see cref="Start"/> builds the images with
/// tools/images/compose and starts the containers. Dispose saves the containers' logs to
/// artifacts/compose-test.log and removes the containers with `docker-compose down`.
/// </summary>
internal sealed class ComposeCluster : IDisposable
{
    public const int NodeCount = 3;
    public const string Project = "sdmi-compose-test";
    public const string Schema = "sdmi_compose";

    /// <summary>
    /// The journal server and role of docker-compose.test.yml, as its nodes' SDMI_POSTGRES names them.
    /// </summary>
    public const string JournalConnection =
        "Host=127.0.0.1;Port=55432;Database=sdmi;Username=sdmi;Password=sdmi-compose-test;Timeout=5";

    private static readonly TimeSpan ComposeTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan ImageBuildTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(20) };

    private ComposeCluster()
    {
    }

    public static string ComposeFile => Path.Combine(Commands.RepositoryRoot, "docker-compose.test.yml");

    public static string LogFile => Path.Combine(Commands.RepositoryRoot, "artifacts", "compose-test.log");

    /// <summary>Builds the images, removes what an interrupted run left and starts every service.</summary>
    public static ComposeCluster Start()
    {
        var script = Path.Combine(Commands.RepositoryRoot, "tools", "images", "compose");
        var images = Commands.Run(script, [], ImageBuildTimeout);
        if (images.ExitCode != 0)
        {
            throw new InvalidOperationException($"tools/images/compose failed: {images}");
        }

        Compose("down", "--remove-orphans", "-t", "5");
        var cluster = new ComposeCluster();
        var up = Compose("up", "-d");
        if (up.ExitCode != 0)
        {
            cluster.Dispose();
            throw new InvalidOperationException($"docker-compose up -d failed: {up}");
        }

        return cluster;
    }

    public static Uri Gateway(int node) => new($"http://127.0.0.1:{7820 + node}");

    /// <summary>The node's Akka.NET address, as the cluster API lists members.</summary>
    public static string Address(int node) => $"akka.tcp://sdmi@127.0.0.1:{7830 + node}";

    /// <summary>GET /v1/cluster of one node, or null when the node does not respond.</summary>
    public async Task<JsonElement?> ClusterViewAsync(int node)
    {
        try
        {
            using var response = await http.GetAsync(new Uri(Gateway(node), "/v1/cluster"));
            if (!response.IsSuccessStatusCode)
            {
                return null;
            }

            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return document.RootElement.Clone();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>
    /// GET /v1/status of one node: every known system, or the one named. Status is null when the
    /// request failed, which happens while a singleton moves after a node died. Reply then contains the error.
    /// </summary>
    public async Task<(JsonElement? Status, string Reply)> StatusAsync(int node, string? system)
    {
        var path = system is null ? "/v1/status" : $"/v1/status?system={Uri.EscapeDataString(system)}";
        try
        {
            using var response = await http.GetAsync(new Uri(Gateway(node), path));
            var body = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode)
            {
                return (null, $"GET {path} on node {node} failed with {(int)response.StatusCode}: {body}");
            }

            using var document = JsonDocument.Parse(body);
            return (document.RootElement.Clone(), body);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return (null, $"GET {path} on node {node} failed: {e.Message}");
        }
    }

    /// <summary>
    /// Posts a system file to one node's control API. The returned task ends when the node sends its
    /// whole reply, or throws when <paramref name="cancellation"/> stops the request first.
    /// </summary>
    public async Task<string> DeployAsync(int node, string systemJson, CancellationToken cancellation)
    {
        using var client = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        using var content = new StringContent(systemJson, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(new Uri(Gateway(node), "/v1/systems"), content, cancellation);
        return $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellation)}";
    }

    /// <summary>Names of the tables in the nodes' journal schema.</summary>
    public static async Task<IReadOnlyList<string>> JournalTablesAsync()
    {
        await using var connection = new NpgsqlConnection(JournalConnection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = @schema ORDER BY table_name",
            connection);
        command.Parameters.AddWithValue("schema", Schema);
        var tables = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }

    /// <summary>The event type (journal manifest) of each event journaled for one persistence id, in order.</summary>
    public static async Task<IReadOnlyList<string>> JournalManifestsAsync(string persistenceId)
    {
        await using var connection = new NpgsqlConnection(JournalConnection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"SELECT coalesce(manifest, '') FROM \"{Schema}\".journal WHERE persistence_id = @id "
            + "ORDER BY sequence_number",
            connection);
        command.Parameters.AddWithValue("id", persistenceId);
        var manifests = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            manifests.Add(reader.GetString(0));
        }

        return manifests;
    }

    /// <summary>
    /// Stops one node's container with SIGKILL (`docker kill`), so the node cannot leave the cluster gracefully.
    /// </summary>
    public static void Kill(int node)
    {
        var container = Compose("ps", "-q", $"node{node}");
        Assert.True(container.ExitCode == 0, $"docker-compose ps -q node{node} failed: {container}");
        var id = container.Output.Trim();
        Assert.False(string.IsNullOrEmpty(id), $"docker-compose lists no container for node{node}");
        var kill = Commands.Run("docker", ["kill", id], TimeSpan.FromSeconds(30));
        Assert.True(kill.ExitCode == 0, $"docker kill {id} failed: {kill}");
    }

    /// <summary>
    /// Polls <paramref name="probe"/> until it reports its condition met, and returns the value of
    /// that probe. After <paramref name="timeout"/> throws, naming <paramref name="what"/> and the
    /// last observation.
    /// </summary>
    public static async Task<T> WaitForAsync<T>(
        string what, TimeSpan timeout, Func<Task<(bool Met, T Value, string Observed)>> probe)
    {
        var clock = Stopwatch.StartNew();
        var observed = "nothing yet";
        while (clock.Elapsed < timeout)
        {
            (var met, var value, observed) = await probe();
            if (met)
            {
                return value;
            }

            await Task.Delay(PollInterval);
        }

        throw new TimeoutException(
            $"Timed out after {timeout.TotalSeconds} s waiting for {what}. Last observed: {observed}");
    }

    public void Dispose()
    {
        var logs = Compose("logs", "--no-color", "--timestamps");
        Directory.CreateDirectory(Path.GetDirectoryName(LogFile)!);
        File.WriteAllText(LogFile, logs.Output + logs.Error);
        var down = Compose("down", "--remove-orphans", "-t", "10");
        http.Dispose();
        Assert.True(down.ExitCode == 0, $"docker-compose down failed: {down}");
    }

    private static CommandResult Compose(params string[] arguments) =>
        Commands.Run("docker-compose", ["-f", ComposeFile, "-p", Project, .. arguments], ComposeTimeout);
}
