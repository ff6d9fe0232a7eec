using System.Net;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Sdmi.Fabric;
using Sdmi.Model;
using Sdmi.Node.Hosts;
using Sdmi.Node.Services;
using static Sdmi.Node.Services.ServiceProtocol;

namespace Sdmi.Node.Tests;

public sealed class ContainerActorTests : TestKit
{
    private static readonly HealthCheck Check = new(["check"], TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), 3, TimeSpan.Zero);

    [Fact]
    public void CheckHealth_ProbeSucceedsAfterFailures_RepliesHealthy()
    {
        var host = CreateTestProbe();
        var replica = StartedReplica(host);

        replica.Tell(new CheckHealth(Check), TestActor);
        host.ExpectMsg<HostProtocol.Exec>();
        host.Reply(new ExecResult(1, "not yet"));
        host.ExpectMsg<HostProtocol.Exec>();
        host.Reply(new ExecResult(0, "ok"));

        Assert.Equal(1, ExpectMsg<Healthy>().Replica);
    }

    [Fact]
    public void CheckHealth_EveryProbeFails_RepliesUnhealthyWithLastOutput()
    {
        var host = CreateTestProbe();
        var replica = StartedReplica(host);

        replica.Tell(new CheckHealth(Check), TestActor);
        var probes = 0;
        while (probes < 50 && host.ReceiveOne(TimeSpan.FromSeconds(1)) is HostProtocol.Exec)
        {
            probes++;
            host.LastSender.Tell(new ExecResult(1, "connection refused"));
        }

        var failure = ExpectMsg<Status.Failure>(TimeSpan.FromSeconds(5));
        Assert.InRange(probes, Check.Retries, 49);
        var error = Assert.IsType<UnhealthyReplicaException>(failure.Cause);
        Assert.Contains("connection refused", error.Message);
        Assert.Contains("milestone1-db-01", error.Message);
    }

    [Fact]
    public void CheckHealth_NoHealthCheck_RepliesHealthyWithoutProbing()
    {
        var host = CreateTestProbe();
        var replica = StartedReplica(host);

        replica.Tell(new CheckHealth(null), TestActor);

        ExpectMsg<Healthy>();
        host.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Theory]
    [InlineData(1, 250)]
    [InlineData(2, 500)]
    [InlineData(3, 1000)]
    [InlineData(8, 1000)]
    public void ProbeDelay_StartingReplica_DoublesUpToOneSecond(int failures, int expectedMilliseconds)
    {
        var health = Check with { Interval = TimeSpan.FromSeconds(5) };

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMilliseconds), ContainerActor.ProbeDelay(health, failures));
    }

    [Fact]
    public void ProbeDelay_ShortInterval_NeverExceedsInterval()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(100), ContainerActor.ProbeDelay(Check, 5));
    }

    private IActorRef StartedReplica(Akka.TestKit.TestProbe host)
    {
        var replica = Sys.ActorOf(ContainerActor.Props(host, 1));
        var address = IPAddress.Parse("172.16.30.1");
        var endpointAddress = new EndpointAddress(
            "milestone1-db-01", address, 24, IPAddress.Parse("172.16.30.254"), MacAddress.FromIPv4(address));
        var request = new HostProtocol.EnsureContainer(
            "milestone1", "sdmi0", 1, "db", 1, "sdmi/db:1", new Dictionary<string, string>(), null, endpointAddress);

        replica.Tell(new EnsureReplica(request), TestActor);
        host.ExpectMsg<HostProtocol.EnsureContainer>();
        host.Reply(new HostProtocol.ContainerReady(
            "c1", new Endpoint("milestone1-db-01", "db", "domain03", address, endpointAddress.Mac, 5), Created: true));
        ExpectMsg<HostProtocol.ContainerReady>();
        return replica;
    }
}
