using System.Net;
using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Sdmi.Fabric;
using Sdmi.Model;
using Sdmi.Node.Hosts;
using Sdmi.Node.Services;
using static Sdmi.Node.Services.ServiceProtocol;

namespace Sdmi.Node.Tests.Services;

public sealed class ServiceActorTests : TestKit
{
    private const string Declaration = """
        {
          "system": "shop",
          "hosts": [ { "name": "local", "bridge": "sdmi9" } ],
          "networks": [ { "name": "apps", "subnet": "10.99.0.0/24", "gateway": "10.99.0.254" } ],
          "services": [ { "name": "api", "image": "sdmi/app:1", "network": "apps", "replicas": 2, "scale": { "min": 1, "max": 3 } } ]
        }
        """;

    /// <summary>Leases that differ from the range's first addresses, so a test can tell whether the actor uses them.</summary>
    private static readonly IReadOnlyList<string> Addresses = ["10.99.0.7", "10.99.0.8", "10.99.0.9"];
    private static readonly IReadOnlyDictionary<string, string> NoDependencies = new Dictionary<string, string>();

    public ServiceActorTests()
        : base(ConfigurationFactory.ParseString("""
            akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
            akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
            akka.test.single-expect-default = 10s
            """))
    {
    }

    [Fact]
    public void Reconcile_UsesTheLeasedAddresses()
    {
        var host = CreateTestProbe();
        var service = Start(host);

        service.Tell(new Reconcile(System(2), "api", 1, NoDependencies, Addresses), TestActor);
        var requests = AnswerEnsures(host, 2);

        Assert.Equal(["10.99.0.7", "10.99.0.8"], requests.Select(r => r.Address.Address.ToString()));
        Assert.Equal(2, ExpectMsg<Reconciled>().Replicas.Count);
    }

    [Fact]
    public void Restart_RecoversObservedReplicas()
    {
        var host = CreateTestProbe();
        var service = Start(host);
        service.Tell(new Reconcile(System(2), "api", 1, NoDependencies, Addresses), TestActor);
        AnswerEnsures(host, 2);
        ExpectMsg<Reconciled>();
        Stop(service);

        var recovered = Start(host);
        recovered.Tell(new GetServiceState("shop", "api"), TestActor);

        var state = ExpectMsg<ServiceState>();
        Assert.True(state.Declared);
        Assert.Equal(2, state.Replicas);
        Assert.Equal(["c-api-1", "c-api-2"], state.Observed.Select(r => r.ContainerId));
        Assert.Equal("sdmi/app:1", state.Image);
    }

    [Fact]
    public void PlanAfterRestart_ScaleDown_NamesTheLeavingReplica()
    {
        // Before the entity was event-sourced, a service actor that started on another node knew
        // no replicas, so a scale-down there removed nothing.
        var host = CreateTestProbe();
        var service = Start(host);
        service.Tell(new Reconcile(System(2), "api", 1, NoDependencies, Addresses), TestActor);
        AnswerEnsures(host, 2);
        ExpectMsg<Reconciled>();
        Stop(service);

        var recovered = Start(host);
        recovered.Tell(new PlanReplicas(System(1), "api", 2, NoDependencies, Addresses), TestActor);

        var plan = ExpectMsg<ReplicaPlan>();
        Assert.Equal("c-api-2", Assert.Single(plan.Leaving).ContainerId);
        Assert.Single(plan.Ensure);
        recovered.Tell(new GetServiceState("shop", "api"), TestActor);
        var state = ExpectMsg<ServiceState>();
        Assert.Equal(1, state.Replicas);
        Assert.Equal(2, state.Change);
        Assert.Equal("c-api-1", Assert.Single(state.Observed).ContainerId);
    }

    [Fact]
    public void AwaitReadyAfterRestart_ChecksTheRecoveredContainers()
    {
        var host = CreateTestProbe();
        var service = Start(host);
        var system = SystemLoader.Parse(Declaration.Replace(
            "\"scale\"", "\"health\": { \"command\": [\"true\"] }, \"scale\"", StringComparison.Ordinal), "shop.json");
        service.Tell(new Reconcile(system, "api", 1, NoDependencies, Addresses), TestActor);
        AnswerEnsures(host, 2);
        ExpectMsg<Reconciled>();
        Stop(service);

        var recovered = Start(host);
        recovered.Tell(new AwaitReady(system, "api"), TestActor);

        var checkedIds = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            var exec = host.ExpectMsg<HostProtocol.Exec>();
            checkedIds.Add(exec.ContainerId);
            host.Reply(new ExecResult(0, "ok"));
        }

        Assert.Equal(2, ExpectMsg<Ready>().Replicas);
        Assert.Equal(["c-api-1", "c-api-2"], checkedIds.Order());
    }

    [Fact]
    public void Reconcile_UnknownService_FailsNamingIt()
    {
        var service = Start(CreateTestProbe());

        service.Tell(new Reconcile(System(2), "cart", 1, NoDependencies, Addresses), TestActor);

        Assert.Contains("cart", ExpectMsg<Status.Failure>().Cause.Message);
    }

    private static SystemSpec System(int replicas) =>
        SystemLoader.Parse(Declaration.Replace("\"replicas\": 2", $"\"replicas\": {replicas}", StringComparison.Ordinal), "shop.json");

    /// <summary>Answers the host's EnsureContainer requests as the host actor would, in the order they arrive.</summary>
    private static List<HostProtocol.EnsureContainer> AnswerEnsures(TestProbe host, int count)
    {
        var requests = new List<HostProtocol.EnsureContainer>();
        for (var i = 0; i < count; i++)
        {
            var request = host.ExpectMsg<HostProtocol.EnsureContainer>();
            requests.Add(request);
            var endpoint = new Endpoint(
                request.Address.Name, request.Service, "apps", request.Address.Address, request.Address.Mac, (uint)(1000 + request.Replica));
            host.Reply(new HostProtocol.ContainerReady($"c-{request.Service}-{request.Replica}", endpoint, Created: true));
        }

        return requests.OrderBy(r => r.Replica).ToList();
    }

    private IActorRef Start(TestProbe host) => Sys.ActorOf(ServiceActor.Props("shop.api", host.Ref));

    private void Stop(IActorRef actor)
    {
        Watch(actor);
        actor.Tell(PoisonPill.Instance);
        ExpectTerminated(actor);
        Unwatch(actor);
    }
}
