namespace Sdmi.Node.Transactions;

/// <summary>
/// Messages of a transaction (RDMP): a coordinator asks each participant to prepare its part, then,
/// once the decision is journaled, tells every participant to commit or abort. Every message carries
/// the transaction id, so a participant can recognise a repeated request and apply it only once.
/// </summary>
public static class TransactionProtocol
{
    /// <summary>Starts a transaction. The coordinator replies with <see cref="TransactionOutcome"/> once it ends.</summary>
    public sealed record Begin(string TransactionId, IReadOnlyList<ParticipantStep> Steps);

    /// <param name="Participant">Id that the coordinator's participant directory resolves to an actor.</param>
    /// <param name="Operation">What the participant must do, in its own terms (for example "ensure db-01").</param>
    /// <param name="Resources">Names of what the step changes; transactions that share one run one after another.</param>
    public sealed record ParticipantStep(string Participant, string Operation, IReadOnlyList<string> Resources);

    /// <param name="Participant">The participant id of the step, so a sharded participant can be routed by it.</param>
    public sealed record Prepare(string TransactionId, string Operation, string Participant = "");

    public sealed record Prepared(string TransactionId, string Participant);

    public sealed record Refused(string TransactionId, string Participant, string Reason);

    public sealed record Commit(string TransactionId, string Operation, string Participant = "");

    public sealed record Abort(string TransactionId, string Operation, string Participant = "");

    /// <summary>A participant's acknowledgement that it applied the decision (commit or abort).</summary>
    /// <param name="Changed">False when the participant already held the step's effects (a repeated or empty step).</param>
    public sealed record Applied(string TransactionId, string Participant, bool Changed = true);

    public enum Decision
    {
        Commit,
        Abort,
    }

    /// <param name="Reason">Why the transaction aborted; null when it committed.</param>
    /// <param name="Changed">Whether any participant changed something; true when unknown (after a coordinator restart).</param>
    public sealed record TransactionOutcome(string TransactionId, Decision Decision, string? Reason, bool Changed = true);

    public sealed record GetTransaction(string TransactionId);

    /// <param name="Phase">begun, decided or completed; unknown for an id the coordinator never saw.</param>
    public sealed record TransactionState(string TransactionId, string Phase, Decision? Decision);
}
