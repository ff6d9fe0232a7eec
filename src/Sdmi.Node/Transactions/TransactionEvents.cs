using Sdmi.Node.Persistence;
using static Sdmi.Node.Transactions.TransactionProtocol;

namespace Sdmi.Node.Transactions;

/// <summary>Journal events of the transaction coordinator. Plain data: the journal stores them as JSON.</summary>
public static class TransactionEvents
{
    public sealed record TransactionBegun(string TransactionId, IReadOnlyList<ParticipantStep> Steps) : IJournalEvent;

    /// <summary>The decision, journaled before any participant hears it.</summary>
    public sealed record TransactionDecided(string TransactionId, Decision Decision, string? Reason) : IJournalEvent;

    /// <summary>Every participant acknowledged the decision.</summary>
    public sealed record TransactionCompleted(string TransactionId) : IJournalEvent;

    /// <summary>The admission granted the transaction its resources and passed its Begin to the coordinator.</summary>
    public sealed record TransactionAdmitted(string TransactionId, IReadOnlyList<string> Resources) : IJournalEvent;

    /// <summary>The transaction ended (or never began) and its resources are free.</summary>
    public sealed record AdmissionReleased(string TransactionId) : IJournalEvent;

    /// <summary>The transactions holding resources when the admission saved its state.</summary>
    public sealed record AdmissionSnapshot(IReadOnlyList<TransactionAdmitted> Running) : IJournalEvent;
}
