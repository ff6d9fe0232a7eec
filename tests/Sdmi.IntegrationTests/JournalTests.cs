using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Sdmi.Model;
using Sdmi.Node.Hosting;
using Sdmi.Node.Hosts;
using Sdmi.Node.Systems;

namespace Sdmi.IntegrationTests;

/// <summary>
/// The node's journal on the real PostgreSQL server that tools/setup starts: a declaration
/// accepted by one actor system is recovered by the next one. Each run uses a schema of its own,
/// so systems journaled by other runs do not wake up and talk to this test's probes.
/// </summary>
[Collection(RealComponents.Name)]
public sealed class JournalTests
{
    private const string ConnectionVariable = JournalSettings.PostgresVariable;
    private const string CredentialsFile = "/etc/sdmi/postgres.env";

    [Fact]
    public async Task Journal_PostgreSql_RecoversDeclarationAfterRestart()
    {
        var connection = ReadConnectionString();
        var system = SystemLoader.LoadFile(Path.Combine(ProcessRunner.RepositoryRoot, "examples", "milestone1", "system.json"))
            with { Name = $"journal{Guid.NewGuid():N}"[..20] };
        var schema = $"journaltest_{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(JournalSettings.PostgresVariable, connection);
        Environment.SetEnvironmentVariable(JournalSettings.SchemaVariable, schema);
        try
        {
            await JournalSettings.EnsureSchemaAsync(CancellationToken.None);
            await using (var first = new NodeUnderTest())
            {
                first.Systems.Tell(new SystemProtocol.Deploy(system, ActorRefs.Nobody));
                first.Host.ExpectMsg<HostProtocol.CheckImages>(TimeSpan.FromSeconds(30));
            }

            await using var second = new NodeUnderTest();

            var report = await second.Systems.Ask<SystemProtocol.StatusReport>(
                new SystemProtocol.GetStatus(system.Name), TimeSpan.FromSeconds(30));

            var status = Assert.Single(report.Systems);
            Assert.Equal(1, status.Change);
            Assert.Equal(["app", "db", "lb"], status.Services.Select(s => s.Name).Order());
            second.Host.FishForMessage(m => m is HostProtocol.CheckImages, TimeSpan.FromSeconds(30));
            Assert.True(await JournalRowsAsync(connection, schema, "system-" + system.Name) >= 1, "the declaration is not in PostgreSQL");
        }
        finally
        {
            Environment.SetEnvironmentVariable(JournalSettings.PostgresVariable, null);
            Environment.SetEnvironmentVariable(JournalSettings.SchemaVariable, null);
            await ExecuteAsync(connection, $"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE");
        }
    }

    [Fact]
    public async Task Journal_PostgreSql_RecoversFromSnapshot()
    {
        var connection = ReadConnectionString();
        var system = SystemLoader.LoadFile(Path.Combine(ProcessRunner.RepositoryRoot, "examples", "milestone1", "system.json"))
            with { Name = $"snap{Guid.NewGuid():N}"[..20] };
        var schema = $"journaltest_{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(JournalSettings.PostgresVariable, connection);
        Environment.SetEnvironmentVariable(JournalSettings.SchemaVariable, schema);
        try
        {
            await JournalSettings.EnsureSchemaAsync(CancellationToken.None);
            await using (var first = new NodeUnderTest())
            {
                var outcome = first.Systems.Ask<SystemProtocol.DeployOutcome>(
                    new SystemProtocol.Deploy(system, ActorRefs.Nobody), TimeSpan.FromSeconds(60));
                first.Host.ExpectMsg<HostProtocol.CheckImages>(TimeSpan.FromSeconds(30));
                first.Host.Reply(new HostProtocol.ImagesChecked(["sdmi/db:1"]));
                Assert.False((await outcome).Succeeded);
                await WaitForSnapshotAsync(connection, schema, "system-" + system.Name);
            }

            await using var second = new NodeUnderTest();

            var report = await second.Systems.Ask<SystemProtocol.StatusReport>(
                new SystemProtocol.GetStatus(system.Name), TimeSpan.FromSeconds(30));
            var status = Assert.Single(report.Systems);
            Assert.Equal(1, status.Change);
            Assert.Contains("sdmi/db:1", status.LastError);
        }
        finally
        {
            Environment.SetEnvironmentVariable(JournalSettings.PostgresVariable, null);
            Environment.SetEnvironmentVariable(JournalSettings.SchemaVariable, null);
            await ExecuteAsync(connection, $"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE");
        }
    }

    /// <summary>The snapshot is saved after the command's reply, so it may land a moment later.</summary>
    private static async Task WaitForSnapshotAsync(string connection, string schema, string persistenceId)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            await using var database = new Npgsql.NpgsqlConnection(connection);
            await database.OpenAsync();
            await using var command = new Npgsql.NpgsqlCommand(
                $"SELECT count(*) FROM \"{schema}\".snapshot WHERE persistence_id = @id", database);
            command.Parameters.AddWithValue("id", persistenceId);
            if ((long)(await command.ExecuteScalarAsync() ?? 0L) > 0)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"no snapshot of {persistenceId} in {schema}.snapshot within 20 s");
            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
    }

    /// <summary>
    /// The nodes of `sdmi cluster up` start at the same moment and each creates the schema. On
    /// PostgreSQL 15, a session whose CREATE SCHEMA IF NOT EXISTS races another creation of the same
    /// name fails with a unique violation on pg_namespace. Several rounds make the race likely.
    /// </summary>
    [Fact]
    public async Task EnsureSchema_ConcurrentNodes_AllSucceed()
    {
        var connection = ReadConnectionString();
        var schemas = Enumerable.Range(0, 10).Select(_ => $"journaltest_{Guid.NewGuid():N}").ToList();
        Environment.SetEnvironmentVariable(JournalSettings.PostgresVariable, connection);
        try
        {
            foreach (var schema in schemas)
            {
                Environment.SetEnvironmentVariable(JournalSettings.SchemaVariable, schema);

                var starts = Enumerable.Range(0, 6).Select(_ => Task.Run(() => JournalSettings.EnsureSchemaAsync(CancellationToken.None)));
                await Task.WhenAll(starts);

                Assert.True(await SchemaExistsAsync(connection, schema), $"schema {schema} was not created");
            }
        }
        finally
        {
            Environment.SetEnvironmentVariable(JournalSettings.PostgresVariable, null);
            Environment.SetEnvironmentVariable(JournalSettings.SchemaVariable, null);
            foreach (var schema in schemas)
            {
                await ExecuteAsync(connection, $"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE");
            }
        }
    }

    private static async Task<bool> SchemaExistsAsync(string connection, string schema)
    {
        await using var database = new Npgsql.NpgsqlConnection(connection);
        await database.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT count(*) FROM pg_namespace WHERE nspname = @name", database);
        command.Parameters.AddWithValue("name", schema);
        return (long)(await command.ExecuteScalarAsync() ?? 0L) == 1;
    }

    private static async Task ExecuteAsync(string connection, string sql)
    {
        await using var database = new Npgsql.NpgsqlConnection(connection);
        await database.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, database);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> JournalRowsAsync(string connection, string schema, string persistenceId)
    {
        await using var database = new Npgsql.NpgsqlConnection(connection);
        await database.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            $"SELECT count(*) FROM \"{schema}\".journal WHERE persistence_id = @id", database);
        command.Parameters.AddWithValue("id", persistenceId);
        return (long)(await command.ExecuteScalarAsync() ?? 0L);
    }

    private static string ReadConnectionString()
    {
        var line = File.ReadLines(CredentialsFile).FirstOrDefault(l => l.StartsWith(ConnectionVariable + "=", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"{CredentialsFile} has no {ConnectionVariable}; run tools/setup.");
        return line[(ConnectionVariable.Length + 1)..].Trim('"');
    }

    /// <summary>A node's systems manager on the real journal, with probes in place of the host and switch actors.</summary>
    private sealed class NodeUnderTest : IAsyncDisposable
    {
        private readonly ActorSystem actors;

        public NodeUnderTest()
        {
            var file = ConfigurationFactory.ParseString(
                File.ReadAllText(Path.Combine(ProcessRunner.RepositoryRoot, "cluster-config", "node.hocon")));
            var config = ConfigurationFactory.ParseString("akka.actor.provider = local")
                .WithFallback(JournalSettings.For(Path.GetTempPath()))
                .WithFallback(file);
            actors = ActorSystem.Create("journal-test", config);
            Host = new TestProbe(actors, new XunitAssertions());
            var fabricSwitch = new TestProbe(actors, new XunitAssertions());
            var transactions = new TestProbe(actors, new XunitAssertions());
            var services = new TestProbe(actors, new XunitAssertions());
            var networks = new TestProbe(actors, new XunitAssertions());
            var entities = new SystemActor.Entities(transactions.Ref, services.Ref, networks.Ref);
            Systems = actors.ActorOf(SystemsActor.Props(Host.Ref, fabricSwitch.Ref, entities, "tcp:127.0.0.1:6653"), "systems");
        }

        public TestProbe Host { get; }

        public IActorRef Systems { get; }

        public async ValueTask DisposeAsync() => await actors.Terminate();
    }
}
