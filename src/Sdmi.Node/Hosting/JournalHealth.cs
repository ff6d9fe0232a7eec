using Npgsql;

namespace Sdmi.Node.Hosting;

/// <summary>
/// Checks that the PostgreSQL journal responds before the gateway starts a command, so a command
/// sent while the database is down fails at once with the reason instead of waiting for a timeout.
/// One check serves every request for <see cref="CacheFor"/>, so a burst of requests costs one
/// connection attempt. Without PostgreSQL (the SQLite file) there is nothing to check.
/// </summary>
public sealed class JournalHealth
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(1);
    private const int ConnectTimeoutSeconds = 2;
    private readonly string? connectionString;
    private readonly SemaphoreSlim checking = new(1, 1);
    private DateTime checkedAt = DateTime.MinValue;
    private string? lastProblem;

    /// <param name="postgres">The journal's Npgsql connection string; null or empty for the SQLite journal.</param>
    public JournalHealth(string? postgres)
    {
        if (!string.IsNullOrWhiteSpace(postgres))
        {
            connectionString = new NpgsqlConnectionStringBuilder(postgres) { Timeout = ConnectTimeoutSeconds, Pooling = false }.ConnectionString;
        }
    }

    /// <summary>Checks the journal that SDMI_POSTGRES names, as the node's journal settings do.</summary>
    public static JournalHealth FromEnvironment() => new(Environment.GetEnvironmentVariable(JournalSettings.PostgresVariable));

    /// <summary>Returns null when the journal responds, otherwise what is wrong, for an error message.</summary>
    public async Task<string?> ProblemAsync(CancellationToken cancellation)
    {
        if (connectionString is null)
        {
            return null;
        }

        await checking.WaitAsync(cancellation);
        try
        {
            if (DateTime.UtcNow - checkedAt < CacheFor)
            {
                return lastProblem;
            }

            lastProblem = await CheckAsync(cancellation);
            checkedAt = DateTime.UtcNow;
            return lastProblem;
        }
        finally
        {
            checking.Release();
        }
    }

    private async Task<string?> CheckAsync(CancellationToken cancellation)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellation);
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync(cancellation);
            return null;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException or System.Net.Sockets.SocketException or IOException)
        {
            return $"The journal database (PostgreSQL at {builder.Host}:{builder.Port}) does not answer: {e.Message.TrimEnd('.')}. "
                + "Nothing was changed. Start PostgreSQL (tools/setup starts the local one) and send the command again; "
                + "the cluster resumes by itself once it answers.";
        }
    }
}
