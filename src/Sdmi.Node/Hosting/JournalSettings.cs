using Akka.Configuration;

namespace Sdmi.Node.Hosting;

/// <summary>
/// Chooses the journal and snapshot store: PostgreSQL when SDMI_POSTGRES holds a connection string,
/// otherwise a SQLite file in the state directory (the embedded default for a single node).
/// </summary>
public static class JournalSettings
{
    public const string PostgresVariable = "SDMI_POSTGRES";

    public static Config For(string stateDirectory)
    {
        var postgres = Environment.GetEnvironmentVariable(PostgresVariable);
        string connection;
        string provider;
        if (!string.IsNullOrWhiteSpace(postgres))
        {
            connection = postgres;
            provider = "PostgreSQL.15";
        }
        else
        {
            Directory.CreateDirectory(stateDirectory);
            connection = $"Data Source={Path.Combine(stateDirectory, "journal.db")}";
            provider = "SQLite.MS";
        }

        var quoted = Quote(connection);
        return ConfigurationFactory.ParseString($"""
            akka.persistence.journal.sql.connection-string = {quoted}
            akka.persistence.journal.sql.provider-name = "{provider}"
            akka.persistence.snapshot-store.sql.connection-string = {quoted}
            akka.persistence.snapshot-store.sql.provider-name = "{provider}"
            """);
    }

    public static string Describe(string stateDirectory) =>
        string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(PostgresVariable))
            ? $"SQLite file {Path.Combine(stateDirectory, "journal.db")}"
            : "PostgreSQL (from SDMI_POSTGRES)";

    private static string Quote(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
