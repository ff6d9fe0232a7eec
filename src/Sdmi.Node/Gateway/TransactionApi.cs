using System.Diagnostics;
using System.Text.Json;
using Akka.Actor;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Sdmi.Node.Transactions;
using static Sdmi.Node.Transactions.TransactionProtocol;

namespace Sdmi.Node.Gateway;

/// <summary>
/// HTTP view of the transaction coordinators. GET /v1/transactions/{id} reports a transaction's
/// phase and decision from its journal (after a crash, this is how an operator learns whether a
/// change committed). POST /v1/transactions/probe runs a transaction whose steps change nothing
/// on the named participants: it exercises the whole path (admission, a sharded coordinator, the
/// journal, every participant's vote and acknowledgement) and reports how long the commit took.
/// </summary>
public static class TransactionApi
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(60);

    public static void Map(WebApplication app, IActorRef transactions, IActorRef switches, Hosting.JournalHealth journal, string host)
    {
        app.MapGet("/v1/transactions/{id}", async (string id, HttpContext http) =>
        {
            if (await journal.ProblemAsync(http.RequestAborted) is { } problem)
            {
                return Unavailable(problem);
            }

            try
            {
                var state = await transactions.Ask<TransactionState>(new GetTransaction(id), TimeSpan.FromSeconds(20));
                if (state.Phase == "unknown")
                {
                    return Results.Json(
                        new { error = $"Transaction {id} not found: no coordinator journaled it. Transaction ids appear in the node log and in the sdmi.transaction label of the containers they created." },
                        ControlApi.Json, statusCode: StatusCodes.Status404NotFound);
                }

                return Results.Json(new { transactionId = state.TransactionId, phase = state.Phase, decision = Name(state.Decision) }, ControlApi.Json);
            }
            catch (AskTimeoutException)
            {
                return Unavailable($"Transaction {id}: its coordinator did not answer within 20 s; its journal may be unreachable. Ask again.");
            }
        });
        app.MapPost("/v1/transactions/probe", (Delegate)((HttpContext http) => OnProbe(http, transactions, switches, host)));
    }

    /// <summary>
    /// Runs a probe. Body (optional): {"participants": ["host:NAME", "switch:BRIDGE", ...]}, see
    /// <see cref="ProbeRequest"/>. Without a body, the probe's only participant is this node's host.
    /// </summary>
    private static async Task<IResult> OnProbe(HttpContext http, IActorRef transactions, IActorRef switches, string host)
    {
        IReadOnlyList<string> participants;
        try
        {
            participants = await ParticipantsAsync(http, host);
        }
        catch (JsonException e)
        {
            return Results.Json(new { error = $"Probe request body is not valid: {e.Message.TrimEnd('.')}. Send {{\"participants\": [\"host:{host}\"]}} or no body." },
                ControlApi.Json, statusCode: StatusCodes.Status400BadRequest);
        }

        if (await UnknownSwitchAsync(participants, switches) is { } unknown)
        {
            return Results.Json(new { error = unknown }, ControlApi.Json, statusCode: StatusCodes.Status400BadRequest);
        }

        var id = "probe-" + Guid.NewGuid().ToString("N")[..12];
        var steps = participants.Select(p => new ParticipantStep(p, "", ["probe:" + id])).ToList();
        var clock = Stopwatch.StartNew();
        try
        {
            // A Begin lost on the way (a coordinator that could not read its journal drops it) is sent again;
            // the coordinator replies to a repeated Begin from its state.
            var outcome = await Hosting.RetryingAsk.AskAsync<TransactionOutcome>(
                transactions, new Begin(id, steps), TimeSpan.FromSeconds(15), ProbeTimeout);
            return Results.Json(
                new
                {
                    transactionId = id,
                    decision = Name(outcome.Decision),
                    reason = outcome.Reason,
                    elapsedMs = Math.Round(clock.Elapsed.TotalMilliseconds, 2),
                },
                ControlApi.Json);
        }
        catch (JournalUnavailableException e)
        {
            return Unavailable(e.Message);
        }
        catch (ArgumentException e)
        {
            return Results.Json(new { error = e.Message }, ControlApi.Json, statusCode: StatusCodes.Status400BadRequest);
        }
        catch (AskTimeoutException)
        {
            return Results.Json(
                new { error = $"Transaction {id} did not end within {ProbeTimeout.TotalSeconds} s; ask GET /v1/transactions/{id} for its outcome." },
                ControlApi.Json, statusCode: StatusCodes.Status504GatewayTimeout);
        }
        catch (Exception e) when (!http.RequestAborted.IsCancellationRequested)
        {
            // Any other failure (a journal error of another type while the database goes down, or a
            // cancelled Ask) still gets a message instead of an empty HTTP 500.
            return Unavailable(
                $"Transaction {id} failed ({e.GetType().Name}): {e.GetBaseException().Message}. "
                + "Check the node log and the journal's database, then send it again.");
        }
    }

    private static async Task<IReadOnlyList<string>> ParticipantsAsync(HttpContext http, string host)
    {
        // The whole body is read first, so that a chunked body without bytes also counts as no body.
        // Kestrel's request body limit bounds the buffer.
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
        return ProbeRequest.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), host);
    }

    /// <summary>
    /// Names a switch participant whose bridge has no OpenFlow connection to this node. Such a probe
    /// could only time out, and it would leave a switch entity behind for a bridge that does not exist.
    /// </summary>
    private static async Task<string?> UnknownSwitchAsync(IReadOnlyList<string> participants, IActorRef switches)
    {
        var bridges = participants.Select(SwitchStep.BridgeOf).OfType<string>().ToList();
        if (bridges.Count == 0)
        {
            return null;
        }

        var report = await switches.Ask<Switches.SwitchProtocol.ConnectionsReport>(
            Switches.SwitchProtocol.GetConnections.Instance, TimeSpan.FromSeconds(5));
        var connected = report.Connections.Where(c => c.Connected).Select(c => c.DatapathId).ToHashSet();
        var missing = bridges.FirstOrDefault(b => !connected.Contains(Switches.DatapathIds.ForBridge(b)));
        return missing is null
            ? null
            : $"Participant switch:{missing}: no bridge of that name is connected to this node ({connected.Count} connected). "
                + "Name a bridge that a deployed system uses, as in `ovs-vsctl list-br`.";
    }

    private static IResult Unavailable(string message) =>
        Results.Json(new { error = message }, ControlApi.Json, statusCode: StatusCodes.Status503ServiceUnavailable);

    private static string? Name(Decision? decision) => decision?.ToString().ToLowerInvariant();
}
