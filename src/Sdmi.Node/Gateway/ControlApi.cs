using System.Text.Json;
using System.Threading.Channels;
using Akka.Actor;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Sdmi.Model;
using static Sdmi.Node.Systems.SystemProtocol;
using Deploy = Sdmi.Node.Systems.SystemProtocol.Deploy;

namespace Sdmi.Node.Gateway;

/// <summary>
/// The node's HTTP control API (JSON). Commands that take time stream their progress as
/// newline-delimited JSON: one {"progress": "..."} object per step, then one {"result": {...}}.
/// </summary>
public static class ControlApi
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = false };
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(30);
    private static readonly TimeSpan ReachTimeout = TimeSpan.FromSeconds(60);

    public static void Map(WebApplication app, ActorSystem actors, IActorRef systems, Hosting.JournalHealth journal)
    {
        ErrorBodies.Use(app, actors.Log);

        // Commands fail at once while the journal is down; queries are served from memory and do not need it.
        app.Use(async (http, next) =>
        {
            if (!HttpMethods.IsGet(http.Request.Method) && await journal.ProblemAsync(http.RequestAborted) is { } problem)
            {
                http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                await http.Response.WriteAsJsonAsync(new { error = problem }, Json, http.RequestAborted);
                return;
            }

            await next(http);
        });
        app.MapPost("/v1/systems", (HttpContext http) => OnDeploy(http, actors, systems));
        app.MapPost("/v1/systems/{name}/services/{service}/scale",
            (HttpContext http, string name, string service) => OnScale(http, actors, systems, name, service));
        app.MapDelete("/v1/systems/{name}", (HttpContext http, string name) => OnRemove(http, actors, systems, name));
        app.MapGet("/v1/status", async (string? system) =>
            Results.Json(await systems.Ask<StatusReport>(new GetStatus(system), TimeSpan.FromSeconds(30)), Json));
        app.MapGet("/v1/health", () => Results.Json(new { status = "ok" }, Json));
    }

    private static async Task OnDeploy(HttpContext http, ActorSystem actors, IActorRef systems)
    {
        using var reader = new StreamReader(http.Request.Body);
        var text = await reader.ReadToEndAsync(http.RequestAborted);
        SystemSpec spec;
        try
        {
            spec = SystemLoader.Parse(text, "request body");
        }
        catch (SystemFileException e)
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            await http.Response.WriteAsJsonAsync(new { error = e.Message, errors = e.Errors }, Json, http.RequestAborted);
            return;
        }

        if (!await ReachAsync(http, systems, spec.Name))
        {
            return;
        }

        await StreamAsync<DeployOutcome>(http, actors, progress => systems.Ask<DeployOutcome>(new Deploy(spec, progress), CommandTimeout));
    }

    /// <summary>Body: {"replicas": N}.</summary>
    private static async Task OnScale(HttpContext http, ActorSystem actors, IActorRef systems, string name, string service)
    {
        int replicas;
        try
        {
            using var body = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted);
            replicas = body.RootElement.ValueKind == JsonValueKind.Object
                && body.RootElement.TryGetProperty("replicas", out var value) && value.TryGetInt32(out var count) && count >= 0
                ? count
                : throw new JsonException("the body must be an object with \"replicas\": a whole number, 0 or more");
        }
        catch (JsonException e)
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            await http.Response.WriteAsJsonAsync(
                new { error = $"Scale request for {name}/{service} is not valid JSON of the form {{\"replicas\": N}}: {e.Message}" },
                Json,
                http.RequestAborted);
            return;
        }

        if (!await ReachAsync(http, systems, name))
        {
            return;
        }

        await StreamAsync<DeployOutcome>(
            http, actors, progress => systems.Ask<DeployOutcome>(new Scale(name, service, replicas, progress), CommandTimeout));
    }

    private static async Task OnRemove(HttpContext http, ActorSystem actors, IActorRef systems, string name)
    {
        if (!await ReachAsync(http, systems, name))
        {
            return;
        }

        await StreamAsync<RemoveOutcome>(http, actors, progress => systems.Ask<RemoveOutcome>(new Remove(name, progress), CommandTimeout));
    }

    /// <summary>
    /// Waits until the systems registry and the system's actor reply to a status query, and responds
    /// with 503 when they do not within <see cref="ReachTimeout"/>. A command is sent only then, because
    /// a command sent to a node that has just died is lost without an error, and a deployment may
    /// legitimately run for many minutes, so its own timeout cannot tell the two apart.
    /// </summary>
    private static async Task<bool> ReachAsync(HttpContext http, IActorRef systems, string name)
    {
        var deadline = DateTime.UtcNow + ReachTimeout;
        var last = "";
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var report = await systems.Ask<StatusReport>(new GetStatus(name), TimeSpan.FromSeconds(20), http.RequestAborted);
                if (report.Systems.All(s => s.Phase != "unknown"))
                {
                    return true;
                }

                last = report.Systems[0].LastError ?? "";
            }
            catch (AskTimeoutException e)
            {
                last = e.Message;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), http.RequestAborted);
        }

        http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        await http.Response.WriteAsJsonAsync(
            new { error = $"System {name} did not answer within {ReachTimeout.TotalSeconds} s ({last}); "
                + "the cluster may be replacing a node that left. Send the command again." },
            Json,
            http.RequestAborted);
        return false;
    }

    private static async Task StreamAsync<T>(HttpContext http, ActorSystem actors, Func<IActorRef, Task<T>> command)
    {
        var channel = Channel.CreateUnbounded<string>();
        var progress = actors.ActorOf(ProgressChannelActor.Props(channel.Writer));
        http.Response.ContentType = "application/x-ndjson";
        var outcome = command(progress);

        // The system actor sends every note before its outcome, so a completion message sent after
        // the outcome queues behind the last note in the progress actor's mailbox.
        _ = outcome.ContinueWith(_ => progress.Tell(ProgressChannelActor.Complete.Instance), TaskScheduler.Default);
        try
        {
            await foreach (var line in channel.Reader.ReadAllAsync(http.RequestAborted))
            {
                await WriteLineAsync(http, new { progress = line });
            }

            try
            {
                await WriteLineAsync(http, new { result = await outcome });
            }
            catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
            {
                await WriteLineAsync(http, new { error = $"The node did not finish the command in time: {e.Message}" });
            }
            catch (Exception e) when (e is Transactions.JournalUnavailableException or ArgumentException or InvalidOperationException)
            {
                await WriteLineAsync(http, new { error = e.Message });
            }
        }
        finally
        {
            actors.Stop(progress);
        }
    }

    private static async Task WriteLineAsync(HttpContext http, object value)
    {
        await http.Response.WriteAsync(JsonSerializer.Serialize(value, Json) + "\n", http.RequestAborted);
        await http.Response.Body.FlushAsync(http.RequestAborted);
    }
}
