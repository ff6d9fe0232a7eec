using Sdmi.Node.Persistence;

namespace Sdmi.Node.Networks;

/// <summary>Journal events of a network entity. Plain data only: the journal stores them as JSON.</summary>
public static class NetworkEvents
{
    /// <summary>The declared state changed; addresses are in their text form, the range as its first and last address.</summary>
    public sealed record NetworkDeclared(
        long Change, string Subnet, string Gateway, string RangeStart, string RangeEnd, string? Parent, string Bridge) : IJournalEvent;

    public sealed record LeasesChanged(long Change, IReadOnlyList<Lease> Granted, IReadOnlyList<Lease> Released) : IJournalEvent;

    public sealed record NetworkDropped(long Change) : IJournalEvent;

    /// <summary>The whole state; <paramref name="Declared"/> is null before the first declaration and after retirement.</summary>
    public sealed record NetworkSnapshot(long Change, NetworkDeclared? Declared, IReadOnlyList<Lease> Leases) : IJournalEvent;
}
