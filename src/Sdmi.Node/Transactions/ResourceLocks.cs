namespace Sdmi.Node.Transactions;

/// <summary>
/// Serialises transactions that change the same resources and lets independent ones run at once.
/// A transaction gets all of its resources or waits; waiting transactions are granted in arrival
/// order, so none is passed over forever. Pure bookkeeping: no actor, no clock.
/// </summary>
public sealed class ResourceLocks
{
    private readonly Dictionary<string, string> owners = new(StringComparer.Ordinal);
    private readonly List<(string Transaction, IReadOnlyCollection<string> Resources)> waiting = [];

    /// <summary>Returns true when the transaction now owns all its resources, and otherwise queues it.</summary>
    public bool TryAcquire(string transaction, IReadOnlyCollection<string> resources)
    {
        if (waiting.Count == 0 && IsFree(transaction, resources))
        {
            Grant(transaction, resources);
            return true;
        }

        waiting.Add((transaction, resources));
        return false;
    }

    /// <summary>Releases a transaction's resources and returns the waiting transactions that now hold theirs.</summary>
    public IReadOnlyList<string> Release(string transaction)
    {
        foreach (var resource in owners.Where(kv => kv.Value == transaction).Select(kv => kv.Key).ToList())
        {
            owners.Remove(resource);
        }

        var granted = new List<string>();
        var blocked = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in waiting.ToList())
        {
            // A waiting transaction may not overtake an earlier waiter that wants one of its resources.
            if (IsFree(entry.Transaction, entry.Resources) && !entry.Resources.Any(blocked.Contains))
            {
                Grant(entry.Transaction, entry.Resources);
                waiting.Remove(entry);
                granted.Add(entry.Transaction);
            }
            else
            {
                blocked.UnionWith(entry.Resources);
            }
        }

        return granted;
    }

    /// <summary>Grants a transaction its resources without a check: recovery of locks that the journal records it held.</summary>
    public void Restore(string transaction, IEnumerable<string> resources) => Grant(transaction, resources);

    public string? OwnerOf(string resource) => owners.GetValueOrDefault(resource);

    private bool IsFree(string transaction, IEnumerable<string> resources) =>
        resources.All(r => !owners.TryGetValue(r, out var owner) || owner == transaction);

    private void Grant(string transaction, IEnumerable<string> resources)
    {
        foreach (var resource in resources)
        {
            owners[resource] = transaction;
        }
    }
}
