using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit.Xunit2;
using Sdmi.Model;
using Sdmi.Node.Networks;
using static Sdmi.Node.Networks.NetworkProtocol;

namespace Sdmi.Node.Tests.Networks;

public sealed class NetworkActorTests : TestKit
{
    private const string Declaration = """
        {
          "system": "shared",
          "hosts": [ { "name": "local", "bridge": "sdmi9" } ],
          "networks": [ { "name": "apps", "subnet": "10.99.0.0/24", "gateway": "10.99.0.254" } ],
          "services": [
            { "name": "api", "image": "sdmi/app:1", "network": "apps", "replicas": 2 },
            { "name": "worker", "image": "sdmi/app:1", "network": "apps", "replicas": 2 }
          ]
        }
        """;

    public NetworkActorTests()
        : base(ConfigurationFactory.ParseString("""
            akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
            akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
            akka.test.single-expect-default = 10s
            """))
    {
    }

    [Fact]
    public void Plan_TwoServicesOnOneNetwork_LeasesDistinctAddresses()
    {
        var network = Start("shared.apps");

        network.Tell(new PlanNetwork(Parse(Declaration), "apps", 1, ReleaseUndeclared: false), TestActor);

        var planned = ExpectMsg<NetworkPlanned>();
        Assert.Equal(4, planned.Leases.Select(l => l.Address).Distinct().Count());
        Assert.Equal(["10.99.0.1", "10.99.0.2"], planned.Leases.Where(l => l.Service == "api").Select(l => l.Address));
        Assert.Equal(["10.99.0.3", "10.99.0.4"], planned.Leases.Where(l => l.Service == "worker").Select(l => l.Address));
    }

    [Fact]
    public void Restart_RecoversDeclarationAndLeasesFromTheJournal()
    {
        var network = Start("shared.apps");
        network.Tell(new PlanNetwork(Parse(Declaration), "apps", 1, ReleaseUndeclared: false), TestActor);
        var planned = ExpectMsg<NetworkPlanned>();
        Stop(network);

        var recovered = Start("shared.apps");
        recovered.Tell(new GetNetworkState("shared", "apps"), TestActor);

        var state = ExpectMsg<NetworkState>();
        Assert.True(state.Declared);
        Assert.Equal("10.99.0.0/24", state.Subnet);
        Assert.Equal("10.99.0.254", state.Gateway);
        Assert.Equal("sdmi9", state.Bridge);
        Assert.Equal(planned.Leases, state.Leases);
        Assert.Equal(2, state.Revision);
    }

    [Fact]
    public void Plan_SameDeclarationAgain_JournalsNothing()
    {
        var network = Start("shared.apps");
        network.Tell(new PlanNetwork(Parse(Declaration), "apps", 1, ReleaseUndeclared: false), TestActor);
        ExpectMsg<NetworkPlanned>();

        network.Tell(new PlanNetwork(Parse(Declaration), "apps", 1, ReleaseUndeclared: false), TestActor);
        ExpectMsg<NetworkPlanned>();
        network.Tell(new GetNetworkState("shared", "apps"), TestActor);

        Assert.Equal(2, ExpectMsg<NetworkState>().Revision);
    }

    [Fact]
    public void Plan_ServiceInsertedBeforeOthers_KeepsRunningReplicasAddresses()
    {
        var network = Start("shared.apps");
        network.Tell(new PlanNetwork(Parse(Declaration), "apps", 1, ReleaseUndeclared: false), TestActor);
        var before = ExpectMsg<NetworkPlanned>().Leases;
        var inserted = Declaration.Replace(
            "\"services\": [",
            "\"services\": [ { \"name\": \"cache\", \"image\": \"sdmi/app:1\", \"network\": \"apps\", \"replicas\": 1 },",
            StringComparison.Ordinal);

        network.Tell(new PlanNetwork(Parse(inserted), "apps", 2, ReleaseUndeclared: false), TestActor);

        var after = ExpectMsg<NetworkPlanned>().Leases;
        Assert.All(before, lease => Assert.Contains(lease, after));
        var cache = Assert.Single(after, l => l.Service == "cache");
        Assert.DoesNotContain(cache.Address, before.Select(l => l.Address));
    }

    [Fact]
    public void Plan_ScaledDown_KeepsLeaseUntilReleased()
    {
        var network = Start("shared.apps");
        network.Tell(new PlanNetwork(Parse(Declaration), "apps", 1, ReleaseUndeclared: false), TestActor);
        ExpectMsg<NetworkPlanned>();
        var smaller = Parse(Declaration.Replace("\"worker\", \"image\": \"sdmi/app:1\", \"network\": \"apps\", \"replicas\": 2",
            "\"worker\", \"image\": \"sdmi/app:1\", \"network\": \"apps\", \"replicas\": 1", StringComparison.Ordinal));

        network.Tell(new PlanNetwork(smaller, "apps", 2, ReleaseUndeclared: false), TestActor);
        var during = ExpectMsg<NetworkPlanned>().Leases;
        network.Tell(new PlanNetwork(smaller, "apps", 2, ReleaseUndeclared: true), TestActor);
        var after = ExpectMsg<NetworkPlanned>().Leases;

        Assert.Contains(new Lease("worker", 2, "10.99.0.4"), during);
        Assert.DoesNotContain(after, l => l.Service == "worker" && l.Replica == 2);
        Assert.Equal(3, after.Count);
    }

    [Fact]
    public void Retire_ReleasesEveryLeaseForGood()
    {
        var network = Start("shared.apps");
        network.Tell(new PlanNetwork(Parse(Declaration), "apps", 1, ReleaseUndeclared: false), TestActor);
        ExpectMsg<NetworkPlanned>();

        network.Tell(new RetireNetwork("shared", "apps"), TestActor);
        ExpectMsg<NetworkRetired>();
        Stop(network);
        var recovered = Start("shared.apps");
        recovered.Tell(new GetNetworkState("shared", "apps"), TestActor);

        var state = ExpectMsg<NetworkState>();
        Assert.False(state.Declared);
        Assert.Empty(state.Leases);
    }

    [Fact]
    public void Plan_UnknownNetwork_FailsWithoutJournaling()
    {
        var network = Start("shared.nowhere");

        network.Tell(new PlanNetwork(Parse(Declaration), "nowhere", 1, ReleaseUndeclared: false), TestActor);

        var failure = ExpectMsg<Status.Failure>();
        Assert.Contains("nowhere", failure.Cause.Message);
        network.Tell(new GetNetworkState("shared", "nowhere"), TestActor);
        Assert.Equal(0, ExpectMsg<NetworkState>().Revision);
    }

    private static SystemSpec Parse(string json) => SystemLoader.Parse(json, "test.json");

    private IActorRef Start(string entityId) => Sys.ActorOf(NetworkActor.Props(entityId));

    private void Stop(IActorRef actor)
    {
        Watch(actor);
        actor.Tell(PoisonPill.Instance);
        ExpectTerminated(actor);
    }
}
