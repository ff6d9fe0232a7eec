namespace Sdmi.Node.Switches;

/// <summary>
/// Cookie layout of SDMI flows: byte 7 is the SDMI tag 0x5D, bytes 5-6 a hash of the system name,
/// bytes 2-4 a hash of the whole rule set the flow belongs to, bytes 0-1 a hash of the transaction
/// that installed it. Masking with <see cref="SystemMask"/> selects every flow of one system, and
/// <see cref="RuleSetMask"/> one rule set: a switch that contains exactly N flows of the system, all
/// with the rule set's bits, contains that rule set and no other. The transaction bits tell which
/// change installed a flow; they do not take part in that comparison, so a change that compiles to
/// the table already installed leaves it alone.
/// </summary>
public static class FlowCookies
{
    public const ulong Tag = 0x5DUL << 56;
    public const ulong TagMask = 0xFFUL << 56;
    public const ulong SystemMask = 0xFFFFFFUL << 40;
    public const ulong RuleSetMask = ulong.MaxValue << 16;
    private const ulong RuleSetBits = 0xFFFFFFUL << 16;

    public static ulong ForSystem(string system) => Tag | ((ulong)SystemHash(system) << 40);

    /// <param name="transactionId">The installing transaction; null leaves the transaction bits zero.</param>
    public static ulong For(string system, IEnumerable<string> rules, string? transactionId = null)
    {
        var hash = 14695981039346656037UL;
        // Sorted, because a switch table is a set of flows: the same rules in another order are the same table.
        foreach (var rule in rules.Order(StringComparer.Ordinal))
        {
            foreach (var c in rule)
            {
                hash = (hash ^ c) * 1099511628211UL;
            }

            hash = (hash ^ '\n') * 1099511628211UL;
        }

        var transaction = transactionId is null ? 0UL : Fold16(Fnv1a.Hash32(transactionId));
        return ForSystem(system) | ((hash << 16) & RuleSetBits) | transaction;
    }

    /// <summary>The 16 bits a transaction id leaves in the cookies of the flows it installs.</summary>
    public static ushort TransactionBits(string transactionId) => (ushort)Fold16(Fnv1a.Hash32(transactionId));

    /// <summary>Folds the name's 32-bit FNV-1a hash to 16 bits.</summary>
    private static ushort SystemHash(string system) => (ushort)Fold16(Fnv1a.Hash32(system));

    private static ulong Fold16(uint hash) => (ushort)(hash ^ (hash >> 16));
}
