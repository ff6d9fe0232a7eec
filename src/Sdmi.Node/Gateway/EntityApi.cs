using Akka.Actor;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Sdmi.Node.Networks;
using Sdmi.Node.Services;

namespace Sdmi.Node.Gateway;

/// <summary>
/// Read-only views of the service and network entities: their declared state, what they observed,
/// and their journal revision. The entity replies from whichever node runs it.
/// </summary>
public static class EntityApi
{
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(15);

    public static void Map(WebApplication app, IActorRef services, IActorRef networks)
    {
        app.MapGet("/v1/systems/{name}/services/{service}", async (string name, string service) =>
        {
            if (InvalidName(("system name", name), ("service name", service)) is { } invalid)
            {
                return invalid;
            }

            var state = await Hosting.RetryingAsk.AskAsync<ServiceProtocol.ServiceState>(
                services, new ServiceProtocol.GetServiceState(name, service), TimeSpan.FromSeconds(5), QueryTimeout);
            return state.Declared
                ? Results.Json(state, ControlApi.Json)
                : NotDeclared($"System {name} declares no service {service}", "sdmi status " + name);
        });
        app.MapGet("/v1/systems/{name}/networks/{network}", async (string name, string network) =>
        {
            if (InvalidName(("system name", name), ("network name", network)) is { } invalid)
            {
                return invalid;
            }

            var state = await Hosting.RetryingAsk.AskAsync<NetworkProtocol.NetworkState>(
                networks, new NetworkProtocol.GetNetworkState(name, network), TimeSpan.FromSeconds(5), QueryTimeout);
            return state.Declared
                ? Results.Json(state, ControlApi.Json)
                : NotDeclared($"System {name} declares no network {network}", "the system file");
        });
    }

    /// <summary>
    /// Rejects a name that no system file can declare. Entity ids join the names with a dot, so
    /// without this check "a.b" and "c" would reach the same entity as "a" and "b.c".
    /// </summary>
    private static IResult? InvalidName(params (string Description, string Value)[] names)
    {
        foreach (var (description, value) in names)
        {
            if (!Sdmi.Model.DnsLabel.IsValid(value))
            {
                return Results.Json(new { error = Sdmi.Model.DnsLabel.Explain(description, value) },
                    ControlApi.Json, statusCode: StatusCodes.Status400BadRequest);
            }
        }

        return null;
    }

    private static IResult NotDeclared(string what, string where) =>
        Results.Json(new { error = $"{what} (or it is not deployed). See {where} for the declared names." },
            ControlApi.Json, statusCode: StatusCodes.Status404NotFound);
}
