using Sdmi.Node.Hosts;

namespace Sdmi.Node.Services;

/// <summary>
/// PostgreSQL nodes in a multi-master logical-replication mesh, following the original prototype.
/// Adding node k: its id sequence starts at k * 2147483647 + 1, so rows written on different nodes
/// never share a key; it publishes its table; it subscribes to every lower-index node (highest
/// first); then every lower-index node subscribes to it (highest first). Subscriptions use
/// copy_data = false (each node starts empty) and origin = none (a node forwards only its own
/// writes, so changes do not loop; needs PostgreSQL 16 or later).
/// </summary>
public sealed class PostgresMeshService : ServiceBehavior
{
    /// <summary>Width of one node's key range.</summary>
    public const long KeyRangeSize = 2147483647;

    private const string Database = "app";
    private const string Table = "items";
    private static readonly TimeSpan StatementTimeout = TimeSpan.FromSeconds(30);

    public static long FirstKey(int replica) => replica * KeyRangeSize + 1;

    public static string Publication(int replica) => $"sdmi_pub_{replica}";

    /// <summary>Name of the subscription on node <paramref name="subscriber"/> to node <paramref name="publisher"/>.</summary>
    public static string Subscription(int subscriber, int publisher) => $"sdmi_sub_{subscriber}_from_{publisher}";

    public override async Task OnReplicaJoinedAsync(
        ReplicaInfo replica, IReadOnlyList<ReplicaInfo> replicas, IContainerExec exec, CancellationToken cancellation)
    {
        var k = replica.Index;
        await RunAsync(exec, replica, SetSequenceStart(k), cancellation).ConfigureAwait(false);
        await RunAsync(exec, replica, CreatePublication(k), cancellation).ConfigureAwait(false);
        await PruneAsync(exec, replica, replicas, cancellation).ConfigureAwait(false);

        var lower = replicas.Where(r => r.Index < k).OrderByDescending(r => r.Index).ToList();
        foreach (var publisher in lower)
        {
            await SubscribeAsync(exec, replica, publisher, cancellation).ConfigureAwait(false);
        }

        foreach (var subscriber in lower)
        {
            await SubscribeAsync(exec, subscriber, replica, cancellation).ConfigureAwait(false);
        }
    }

    public override async Task OnReplicaLeavingAsync(
        ReplicaInfo replica, IReadOnlyList<ReplicaInfo> remaining, IContainerExec exec, CancellationToken cancellation)
    {
        foreach (var other in remaining.Where(r => r.Index != replica.Index))
        {
            await DropSubscriptionAsync(exec, other, Subscription(other.Index, replica.Index), cancellation).ConfigureAwait(false);
            await DropSubscriptionAsync(exec, replica, Subscription(replica.Index, other.Index), cancellation).ConfigureAwait(false);
        }

        await RunAsync(exec, replica, $"DROP PUBLICATION IF EXISTS {Publication(replica.Index)}", cancellation)
            .ConfigureAwait(false);
    }

    /// <summary>Moves the sequence into node k's range unless it is already there (the hook runs on every deployment).</summary>
    public static string SetSequenceStart(int k) =>
        $"SELECT setval('{Table}_id_seq', {FirstKey(k)}, false) "
        + $"WHERE (SELECT last_value FROM {Table}_id_seq) < {FirstKey(k)}";

    public static string CreatePublication(int k) =>
        $"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_publication WHERE pubname = '{Publication(k)}') THEN "
        + $"CREATE PUBLICATION {Publication(k)} FOR TABLE {Table}; END IF; END $$";

    public static string CreateSubscription(int subscriber, ReplicaInfo publisher) =>
        $"CREATE SUBSCRIPTION {Subscription(subscriber, publisher.Index)} "
        + $"CONNECTION 'host={publisher.Address} port=5432 dbname={Database} user=postgres' "
        + $"PUBLICATION {Publication(publisher.Index)} WITH (copy_data = false, origin = none)";

    /// <summary>
    /// Removes what a replica still holds for replicas that are no longer in the mesh: its
    /// subscriptions to them and the replication slots they subscribed through. A scale-down that a
    /// crash interrupted before its leave hooks ran leaves both behind; a slot that no subscriber reads makes
    /// PostgreSQL keep WAL without limit, and a leftover slot makes a later CREATE SUBSCRIPTION fail.
    /// </summary>
    private static async Task PruneAsync(
        IContainerExec exec, ReplicaInfo replica, IReadOnlyList<ReplicaInfo> replicas, CancellationToken cancellation)
    {
        var current = replicas.Select(r => r.Index).ToHashSet();
        var subscriptions = await RunAsync(
            exec, replica, "SELECT subname FROM pg_subscription WHERE subname LIKE 'sdmi_sub_%'", cancellation).ConfigureAwait(false);
        foreach (var name in Lines(subscriptions))
        {
            if (ParseSubscription(name) is var (subscriber, publisher) && subscriber == replica.Index && !current.Contains(publisher))
            {
                await DetachAndDropAsync(exec, replica, name, cancellation).ConfigureAwait(false);
            }
        }

        var slots = await RunAsync(
            exec, replica, "SELECT slot_name FROM pg_replication_slots WHERE slot_name LIKE 'sdmi_sub_%' AND NOT active", cancellation)
            .ConfigureAwait(false);
        foreach (var name in Lines(slots))
        {
            if (ParseSubscription(name) is var (subscriber, publisher) && publisher == replica.Index && !current.Contains(subscriber))
            {
                await RunAsync(exec, replica, DropSlot(name), cancellation).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Drops a subscription and, through it, its slot on the publisher. When the publisher no longer
    /// has that slot, the subscription is detached from it first, which DROP SUBSCRIPTION then allows.
    /// </summary>
    private static async Task DropSubscriptionAsync(
        IContainerExec exec, ReplicaInfo subscriber, string name, CancellationToken cancellation)
    {
        try
        {
            await RunAsync(exec, subscriber, $"DROP SUBSCRIPTION IF EXISTS {name}", cancellation).ConfigureAwait(false);
        }
        catch (InvalidOperationException e) when (e.Message.Contains("replication slot", StringComparison.Ordinal))
        {
            await DetachAndDropAsync(exec, subscriber, name, cancellation).ConfigureAwait(false);
        }
    }

    private static async Task DetachAndDropAsync(
        IContainerExec exec, ReplicaInfo subscriber, string name, CancellationToken cancellation)
    {
        await RunAsync(exec, subscriber, $"ALTER SUBSCRIPTION {name} DISABLE", cancellation).ConfigureAwait(false);
        await RunAsync(exec, subscriber, $"ALTER SUBSCRIPTION {name} SET (slot_name = NONE)", cancellation).ConfigureAwait(false);
        await RunAsync(exec, subscriber, $"DROP SUBSCRIPTION {name}", cancellation).ConfigureAwait(false);
    }

    public static string DropSlot(string name) =>
        $"SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '{name}' AND NOT active";

    /// <summary>The subscriber and publisher indexes a subscription (or slot) name carries, or null for another name.</summary>
    public static (int Subscriber, int Publisher)? ParseSubscription(string name)
    {
        var parts = name.Split('_');
        return parts is ["sdmi", "sub", var subscriber, "from", var publisher]
            && int.TryParse(subscriber, System.Globalization.CultureInfo.InvariantCulture, out var s)
            && int.TryParse(publisher, System.Globalization.CultureInfo.InvariantCulture, out var p)
            ? (s, p)
            : null;
    }

    private static IEnumerable<string> Lines(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static async Task SubscribeAsync(
        IContainerExec exec, ReplicaInfo subscriber, ReplicaInfo publisher, CancellationToken cancellation)
    {
        // CREATE SUBSCRIPTION cannot run inside a transaction block, so the existence check is a separate query.
        var name = Subscription(subscriber.Index, publisher.Index);
        var exists = await RunAsync(
            exec, subscriber, $"SELECT count(*) FROM pg_subscription WHERE subname = '{name}'", cancellation)
            .ConfigureAwait(false);
        if (exists.Trim() != "0")
        {
            // A subscription whose slot the publisher lacks points at an earlier container of that
            // replica (removed and created again): its apply worker fails until it is made again.
            var slot = await RunAsync(
                exec, publisher, $"SELECT count(*) FROM pg_replication_slots WHERE slot_name = '{name}'", cancellation)
                .ConfigureAwait(false);
            if (slot.Trim() != "0")
            {
                return;
            }

            await DetachAndDropAsync(exec, subscriber, name, cancellation).ConfigureAwait(false);
        }

        // A slot of this name left on the publisher by an interrupted removal would make the create fail.
        await RunAsync(exec, publisher, DropSlot(name), cancellation).ConfigureAwait(false);
        await RunAsync(exec, subscriber, CreateSubscription(subscriber.Index, publisher), cancellation)
            .ConfigureAwait(false);
    }

    private static async Task<string> RunAsync(
        IContainerExec exec, ReplicaInfo replica, string sql, CancellationToken cancellation)
    {
        string[] command = ["psql", "-U", "postgres", "-d", Database, "-v", "ON_ERROR_STOP=1", "-Atc", sql];
        var result = await exec.ExecAsync(replica.ContainerId, command, StatementTimeout, cancellation).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"SQL on {replica.Name} failed with exit code {result.ExitCode}: {result.Output.Trim()} (statement: {sql})");
        }

        return result.Output;
    }
}
