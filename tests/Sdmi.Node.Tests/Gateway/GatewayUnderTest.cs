using Akka.Actor;
using Akka.TestKit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Sdmi.Node.Gateway;
using Sdmi.Node.Hosting;

namespace Sdmi.Node.Tests.Gateway;

/// <summary>
/// The control API's HTTP pipeline on Kestrel at a free loopback port, as the node maps it, with
/// test probes in place of the systems registry, the transaction admission and the switch manager.
/// There is no journal database, so the journal check passes.
/// </summary>
internal sealed class GatewayUnderTest : IAsyncDisposable
{
    public const string Host = "local";

    private readonly WebApplication app;

    private GatewayUnderTest(WebApplication app, TestProbe systems, TestProbe transactions, TestProbe switches)
    {
        this.app = app;
        Systems = systems;
        Transactions = transactions;
        Switches = switches;
        Http = new HttpClient { BaseAddress = new Uri(app.Urls.Single()), Timeout = TimeSpan.FromSeconds(30) };
    }

    public HttpClient Http { get; }

    public TestProbe Systems { get; }

    public TestProbe Transactions { get; }

    public TestProbe Switches { get; }

    public TestProbe Services { get; private init; } = null!;

    public TestProbe Networks { get; private init; } = null!;

    /// <param name="maxRequestBodySize">Kestrel's request body limit in bytes; null keeps Kestrel's default.</param>
    public static async Task<GatewayUnderTest> StartAsync(TestKitBase kit, long? maxRequestBodySize = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        if (maxRequestBodySize is { } limit)
        {
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = limit);
        }

        var app = builder.Build();
        var systems = kit.CreateTestProbe("systems");
        var transactions = kit.CreateTestProbe("transactions");
        var switches = kit.CreateTestProbe("switches");
        var journal = new JournalHealth(null);
        ControlApi.Map(app, kit.Sys, systems, journal);
        TransactionApi.Map(app, transactions, switches, journal, Host);
        var services = kit.CreateTestProbe("services");
        var networks = kit.CreateTestProbe("networks");
        EntityApi.Map(app, services, networks);
        await app.StartAsync();
        return new GatewayUnderTest(app, systems, transactions, switches) { Services = services, Networks = networks };
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
