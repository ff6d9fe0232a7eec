namespace Sdmi.Node.Switches;

/// <summary>
/// Cookie layout of SDMI flows: byte 7 is the SDMI tag 0x5D, bytes 5-6 a hash of the system name,
/// bytes 0-4 a hash of the whole rule set the flow belongs to. Masking with <see cref="SystemMask"/>
/// selects every flow of one system; the full cookie selects one rule set, so a switch that contains
/// exactly N flows with the full cookie and N with the system's contains that rule set and no other.
/// </summary>
public static class FlowCookies
{
    public const ulong Tag = 0x5DUL << 56;
    public const ulong TagMask = 0xFFUL << 56;
    public const ulong SystemMask = 0xFFFFFFUL << 40;
    private const ulong RuleSetMask = (1UL << 40) - 1;

    public static ulong ForSystem(string system) => Tag | ((ulong)SystemHash(system) << 40);

    public static ulong For(string system, IEnumerable<string> rules)
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

        return ForSystem(system) | (hash & RuleSetMask);
    }

    /// <summary>Folds the name's 32-bit FNV-1a hash to 16 bits.</summary>
    private static ushort SystemHash(string system)
    {
        var hash = Fnv1a.Hash32(system);
        return (ushort)(hash ^ (hash >> 16));
    }
}
