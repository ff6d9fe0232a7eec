using System.Net;
using Sdmi.Node.Hosts;
using Sdmi.Node.Services;

namespace Sdmi.Node.Tests;

public sealed class PostgresMeshServiceTests
{
    private static readonly ReplicaInfo[] Replicas =
    [
        new(1, "db-01", "c1", IPAddress.Parse("172.16.30.1")),
        new(2, "db-02", "c2", IPAddress.Parse("172.16.30.2")),
        new(3, "db-03", "c3", IPAddress.Parse("172.16.30.3")),
    ];

    [Fact]
    public async Task Join_ThirdNode_FollowsMeshOrder()
    {
        var exec = new RecordingExec();

        await new PostgresMeshService().OnReplicaJoinedAsync(Replicas[2], Replicas, exec, CancellationToken.None);

        var creates = exec.Statements
            .Where(s => s.Sql.StartsWith("CREATE SUBSCRIPTION", StringComparison.Ordinal))
            .Select(s => $"{s.Container}:{s.Sql.Split(' ')[2]}")
            .ToList();
        Assert.Equal(
            ["c3:sdmi_sub_3_from_2", "c3:sdmi_sub_3_from_1", "c2:sdmi_sub_2_from_3", "c1:sdmi_sub_1_from_3"],
            creates);
    }

    [Fact]
    public async Task Join_ThirdNode_PublishesBeforeSubscribing()
    {
        var exec = new RecordingExec();

        await new PostgresMeshService().OnReplicaJoinedAsync(Replicas[2], Replicas, exec, CancellationToken.None);

        Assert.Contains("6442450942", exec.Statements[0].Sql);
        Assert.Contains("CREATE PUBLICATION sdmi_pub_3 FOR TABLE items", exec.Statements[1].Sql);
        Assert.All(exec.Statements.Take(2), s => Assert.Equal("c3", s.Container));
    }

    [Fact]
    public void CreateSubscription_Options_MatchMesh()
    {
        var sql = PostgresMeshService.CreateSubscription(2, Replicas[0]);

        Assert.Equal(
            "CREATE SUBSCRIPTION sdmi_sub_2_from_1 CONNECTION 'host=172.16.30.1 port=5432 dbname=app user=postgres' "
            + "PUBLICATION sdmi_pub_1 WITH (copy_data = false, origin = none)",
            sql);
    }

    [Theory]
    [InlineData(1, 2147483648L)]
    [InlineData(2, 4294967295L)]
    [InlineData(3, 6442450942L)]
    public void FirstKey_NodeK_IsKTimesRangePlusOne(int node, long expected)
    {
        Assert.Equal(expected, PostgresMeshService.FirstKey(node));
    }

    [Fact]
    public async Task Join_SubscriptionAlreadyExists_IsNotCreatedAgain()
    {
        var exec = new RecordingExec { ExistingSubscriptions = { "sdmi_sub_3_from_2" } };

        await new PostgresMeshService().OnReplicaJoinedAsync(Replicas[2], Replicas, exec, CancellationToken.None);

        Assert.DoesNotContain(exec.Statements, s => s.Sql.StartsWith("CREATE SUBSCRIPTION sdmi_sub_3_from_2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Leave_SecondNode_DropsItsReplication()
    {
        var exec = new RecordingExec();

        await new PostgresMeshService().OnReplicaLeavingAsync(Replicas[1], Replicas, exec, CancellationToken.None);

        var drops = exec.Statements.Select(s => $"{s.Container}:{s.Sql}").ToList();
        Assert.Contains("c1:DROP SUBSCRIPTION IF EXISTS sdmi_sub_1_from_2", drops);
        Assert.Contains("c2:DROP SUBSCRIPTION IF EXISTS sdmi_sub_2_from_1", drops);
        Assert.Contains("c3:DROP SUBSCRIPTION IF EXISTS sdmi_sub_3_from_2", drops);
        Assert.Contains("c2:DROP SUBSCRIPTION IF EXISTS sdmi_sub_2_from_3", drops);
        Assert.Equal("c2:DROP PUBLICATION IF EXISTS sdmi_pub_2", drops[^1]);
    }

    [Fact]
    public async Task Join_StaleMeshEntries_Pruned()
    {
        // Replica 4 was removed by a scale-down that crashed before its leave hooks ran.
        var exec = new RecordingExec
        {
            ExistingSubscriptions = { "sdmi_sub_1_from_3" },
            SubscriptionNames = { ["c3"] = ["sdmi_sub_3_from_1", "sdmi_sub_3_from_4"] },
            SlotNames = { ["c3"] = ["sdmi_sub_4_from_3", "sdmi_sub_1_from_3"] },
        };

        await new PostgresMeshService().OnReplicaJoinedAsync(Replicas[2], Replicas, exec, CancellationToken.None);

        var statements = exec.Statements.Select(s => $"{s.Container}:{s.Sql}").ToList();
        Assert.Contains("c3:ALTER SUBSCRIPTION sdmi_sub_3_from_4 SET (slot_name = NONE)", statements);
        Assert.Contains("c3:DROP SUBSCRIPTION sdmi_sub_3_from_4", statements);
        Assert.Contains("c3:" + PostgresMeshService.DropSlot("sdmi_sub_4_from_3"), statements);
        Assert.DoesNotContain("c3:" + PostgresMeshService.DropSlot("sdmi_sub_1_from_3"), statements);
        Assert.DoesNotContain(statements, s => s.Contains("DROP SUBSCRIPTION sdmi_sub_3_from_1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Leave_PublisherSlotMissing_DetachesThenDrops()
    {
        var exec = new RecordingExec { FailDropSubscription = "ERROR: replication slot \"sdmi_sub_1_from_2\" does not exist" };

        await new PostgresMeshService().OnReplicaLeavingAsync(Replicas[1], Replicas, exec, CancellationToken.None);

        var statements = exec.Statements.Select(s => $"{s.Container}:{s.Sql}").ToList();
        Assert.Contains("c1:ALTER SUBSCRIPTION sdmi_sub_1_from_2 DISABLE", statements);
        Assert.Contains("c1:DROP SUBSCRIPTION sdmi_sub_1_from_2", statements);
    }

    [Fact]
    public async Task Join_SubscriptionWithoutSlot_MadeAgain()
    {
        // db-02 was removed and created again: db-03 still subscribes to the old container's slot.
        var exec = new RecordingExec { ExistingSubscriptions = { "sdmi_sub_3_from_2", "sdmi_sub_3_from_1" }, MissingSlots = { "sdmi_sub_3_from_2" } };

        await new PostgresMeshService().OnReplicaJoinedAsync(Replicas[2], Replicas, exec, CancellationToken.None);

        var statements = exec.Statements.Select(s => $"{s.Container}:{s.Sql}").ToList();
        Assert.Contains("c3:DROP SUBSCRIPTION sdmi_sub_3_from_2", statements);
        Assert.Contains(statements, s => s.StartsWith("c3:CREATE SUBSCRIPTION sdmi_sub_3_from_2 ", StringComparison.Ordinal));
        Assert.DoesNotContain(statements, s => s.StartsWith("c3:CREATE SUBSCRIPTION sdmi_sub_3_from_1 ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("sdmi_sub_3_from_12", 3, 12)]
    [InlineData("sdmi_sub_x_from_1", null, null)]
    [InlineData("other_slot", null, null)]
    public void ParseSubscription_Names(string name, int? subscriber, int? publisher)
    {
        var parsed = PostgresMeshService.ParseSubscription(name);

        Assert.Equal(subscriber, parsed?.Subscriber);
        Assert.Equal(publisher, parsed?.Publisher);
    }

    [Fact]
    public async Task Join_StatementFails_RaisesWithReplicaAndStatement()
    {
        var exec = new RecordingExec { FailWith = "ERROR: permission denied" };

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            new PostgresMeshService().OnReplicaJoinedAsync(Replicas[0], Replicas, exec, CancellationToken.None));

        Assert.Contains("db-01", error.Message);
        Assert.Contains("permission denied", error.Message);
    }

    /// <summary>Records every SQL statement a hook runs and replies to existence checks from a set.</summary>
    private sealed class RecordingExec : IContainerExec
    {
        public List<(string Container, string Sql)> Statements { get; } = [];

        public HashSet<string> ExistingSubscriptions { get; } = [];

        public string? FailWith { get; init; }

        /// <summary>Subscription names each container's pg_subscription query returns.</summary>
        public Dictionary<string, string[]> SubscriptionNames { get; } = [];

        /// <summary>Inactive slot names each container's pg_replication_slots query returns.</summary>
        public Dictionary<string, string[]> SlotNames { get; } = [];

        /// <summary>Slots the publisher lacks although a subscription of that name exists.</summary>
        public HashSet<string> MissingSlots { get; } = [];

        /// <summary>When set, every plain DROP SUBSCRIPTION IF EXISTS fails with this output.</summary>
        public string? FailDropSubscription { get; init; }

        public Task<ExecResult> ExecAsync(
            string containerId, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken cancellation)
        {
            var sql = command[^1];
            if (FailWith is not null)
            {
                return Task.FromResult(new ExecResult(1, FailWith));
            }

            if (sql.StartsWith("SELECT subname FROM pg_subscription", StringComparison.Ordinal))
            {
                return Task.FromResult(new ExecResult(0, string.Join('\n', SubscriptionNames.GetValueOrDefault(containerId, []))));
            }

            if (sql.StartsWith("SELECT slot_name FROM pg_replication_slots", StringComparison.Ordinal))
            {
                return Task.FromResult(new ExecResult(0, string.Join('\n', SlotNames.GetValueOrDefault(containerId, []))));
            }

            if (FailDropSubscription is not null && sql.StartsWith("DROP SUBSCRIPTION IF EXISTS", StringComparison.Ordinal))
            {
                return Task.FromResult(new ExecResult(1, FailDropSubscription));
            }

            if (sql.StartsWith("SELECT count(*) FROM pg_replication_slots", StringComparison.Ordinal))
            {
                var present = !MissingSlots.Any(name => sql.Contains($"'{name}'", StringComparison.Ordinal));
                return Task.FromResult(new ExecResult(0, present ? "1\n" : "0\n"));
            }

            if (sql.StartsWith("SELECT count(*) FROM pg_subscription", StringComparison.Ordinal))
            {
                var exists = ExistingSubscriptions.Any(name => sql.Contains($"'{name}'", StringComparison.Ordinal));
                return Task.FromResult(new ExecResult(0, exists ? "1\n" : "0\n"));
            }

            Statements.Add((containerId, sql));
            return Task.FromResult(new ExecResult(0, ""));
        }
    }
}
