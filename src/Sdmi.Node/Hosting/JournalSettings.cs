using System.Text.RegularExpressions;
using Akka.Configuration;
using Npgsql;

namespace Sdmi.Node.Hosting;

/// <summary>
/// Chooses the journal and snapshot store: PostgreSQL when SDMI_POSTGRES holds a connection string,
/// otherwise a SQLite file in the state directory (the embedded default for a single node). On
/// PostgreSQL, SDMI_POSTGRES_SCHEMA names the schema of the journal tables, so several clusters
/// (or a cluster and the tests) can share one database.
/// </summary>
public static partial class JournalSettings
{
    public const string PostgresVariable = "SDMI_POSTGRES";
    public const string SchemaVariable = "SDMI_POSTGRES_SCHEMA";

    public static Config For(string stateDirectory)
    {
        var postgres = Environment.GetEnvironmentVariable(PostgresVariable);
        string connection;
        string provider;
        if (!string.IsNullOrWhiteSpace(postgres))
        {
            connection = WithPoolLimit(postgres);
            provider = "PostgreSQL.15";
        }
        else
        {
            Directory.CreateDirectory(stateDirectory);
            connection = $"Data Source={Path.Combine(stateDirectory, "journal.db")}";
            provider = "SQLite.MS";
        }

        var quoted = Quote(connection);
        var config = ConfigurationFactory.ParseString($"""
            akka.persistence.journal.sql.connection-string = {quoted}
            akka.persistence.journal.sql.provider-name = "{provider}"
            akka.persistence.snapshot-store.sql.connection-string = {quoted}
            akka.persistence.snapshot-store.sql.provider-name = "{provider}"
            """);
        if (Schema() is { } schema)
        {
            config = ConfigurationFactory.ParseString($"""
                akka.persistence.journal.sql.default.schema-name = "{schema}"
                akka.persistence.snapshot-store.sql.default.schema-name = "{schema}"
                """).WithFallback(config);
        }

        return config;
    }

    /// <summary>Connections one node opens to the journal at most, unless the connection string sets its own limit.</summary>
    public const int DefaultPoolSize = 16;

    /// <summary>
    /// Caps the node's connection pool. With Npgsql's default of 100 per node, a burst of journal
    /// writes on three nodes exceeds PostgreSQL's default max_connections (100), and a write that
    /// cannot connect fails. With a cap, writes wait for a free connection instead.
    /// </summary>
    public static string WithPoolLimit(string postgres)
    {
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = postgres };
        string[] limits = ["maximum pool size", "maxpoolsize"];
        if (given.Keys.Cast<string>().Any(k => limits.Contains(k.ToLowerInvariant())))
        {
            return postgres;
        }

        return new NpgsqlConnectionStringBuilder(postgres) { MaxPoolSize = DefaultPoolSize }.ConnectionString;
    }

    /// <summary>
    /// Creates the PostgreSQL schema named by SDMI_POSTGRES_SCHEMA when it is missing; the journal
    /// plugin then creates its tables in it. Does nothing without PostgreSQL or a schema. Safe when
    /// several nodes start at once. CREATE SCHEMA IF NOT EXISTS fails with a unique violation (seen on
    /// PostgreSQL 15) when another session creates the same schema concurrently, and that error means
    /// the schema exists.
    /// </summary>
    public static async Task EnsureSchemaAsync(CancellationToken cancellation)
    {
        var postgres = Environment.GetEnvironmentVariable(PostgresVariable);
        if (string.IsNullOrWhiteSpace(postgres) || Schema() is not { } schema)
        {
            return;
        }

        await using var connection = new NpgsqlConnection(postgres);
        await connection.OpenAsync(cancellation);
        await using var command = new NpgsqlCommand($"CREATE SCHEMA IF NOT EXISTS \"{schema}\"", connection);
        try
        {
            await command.ExecuteNonQueryAsync(cancellation);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DuplicateSchema)
        {
            // Another node created the schema between this statement's existence check and its insert.
        }
    }

    public static string Describe(string stateDirectory)
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(PostgresVariable)))
        {
            return $"SQLite file {Path.Combine(stateDirectory, "journal.db")}";
        }

        return Schema() is { } schema ? $"PostgreSQL (from SDMI_POSTGRES), schema {schema}" : "PostgreSQL (from SDMI_POSTGRES)";
    }

    private static string? Schema()
    {
        var schema = Environment.GetEnvironmentVariable(SchemaVariable);
        if (string.IsNullOrWhiteSpace(schema))
        {
            return null;
        }

        return SchemaName().IsMatch(schema)
            ? schema
            : throw new ConfigurationException(
                $"{SchemaVariable} is '{schema}', which is not a valid schema name: use lowercase letters, digits and "
                + "underscores, starting with a letter, at most 63 characters.");
    }

    [GeneratedRegex("^[a-z][a-z0-9_]{0,62}$")]
    private static partial Regex SchemaName();

    private static string Quote(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
