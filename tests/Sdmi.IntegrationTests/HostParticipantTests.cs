using System.Net;
using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit.Xunit2;
using Microsoft.Extensions.Logging.Abstractions;
using Sdmi.Fabric;
using Sdmi.Node.Hosts;
using Sdmi.Node.Transactions;
using static Sdmi.Node.Transactions.TransactionProtocol;

namespace Sdmi.IntegrationTests;

/// <summary>
/// The host actor as a transaction participant on the real Docker engine and Open vSwitch: what
/// prepare stages, what abort and commit leave behind, and that a repeated commit changes nothing.
/// </summary>
[Collection(RealComponents.Name)]
public sealed class HostParticipantTests : TestKit, IDisposable
{
    private const string System = "txhost";
    private const string Bridge = "sdmitx0";
    private const string Participant = "host:local";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private readonly DockerEngine docker;
    private readonly IActorRef host;

    public HostParticipantTests()
        : base(ConfigurationFactory.ParseString("akka.actor.provider = local"))
    {
        RemoveLeftovers();
        docker = new DockerEngine(new Uri("unix:///var/run/docker.sock"), NullLogger<DockerEngine>.Instance);
        var wiring = new PortWiring(new CommandRunner(NullLogger<CommandRunner>.Instance), NullLogger<PortWiring>.Instance);
        // No controller listens on this loopback port: the bridge only needs to exist.
        wiring.EnsureBridgeAsync(Bridge, System, "tcp:127.0.0.1:6999", CancellationToken.None).GetAwaiter().GetResult();
        host = Sys.ActorOf(HostActor.Props(docker, wiring), "host");
    }

    [Fact]
    public void Abort_RemovesStagedContainer()
    {
        var step = Step(Request(1, 1000));

        host.Tell(new Prepare("tx-a", step, Participant), TestActor);
        ExpectMsg<Prepared>(Wait);
        var staged = Assert.Single(Containers());
        Assert.Equal(HostActor.StagedName("txhost-web-01", "tx-a"), staged.Name);
        Assert.False(staged.Running);
        Assert.Equal("tx-a", staged.Labels[SdmiLabels.Transaction]);

        host.Tell(new Abort("tx-a", step, Participant), TestActor);

        Assert.True(ExpectMsg<Applied>(Wait).Changed);
        Assert.Empty(Containers());
        Assert.Empty(HostProbe.OvsPorts(System));
    }

    [Fact]
    public void CommitTwice_OneContainerOnPlannedPort()
    {
        var step = Step(Request(1, 1000), Request(2, 1001));
        host.Tell(new Prepare("tx-b", step, Participant), TestActor);
        ExpectMsg<Prepared>(Wait);

        host.Tell(new Commit("tx-b", step, Participant), TestActor);
        Assert.True(ExpectMsg<Applied>(Wait).Changed);
        var first = Containers().OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
        host.Tell(new Commit("tx-b", step, Participant), TestActor);
        Assert.False(ExpectMsg<Applied>(Wait).Changed);

        Assert.Equal(["txhost-web-01", "txhost-web-02"], first.Select(c => c.Name));
        Assert.All(first, c => Assert.True(c.Running));
        Assert.Equal(first.Select(c => c.Id), Containers().OrderBy(c => c.Name, StringComparer.Ordinal).Select(c => c.Id));
        Assert.Equal("1000", OfPort(IPAddress.Parse("172.30.77.1")));
        Assert.Equal("1001", OfPort(IPAddress.Parse("172.30.77.2")));
    }

    [Fact]
    public void Commit_ChangedConfig_ReplacesContainer()
    {
        var first = Step(Request(1, 1000));
        host.Tell(new Prepare("tx-c", first, Participant), TestActor);
        ExpectMsg<Prepared>(Wait);
        host.Tell(new Commit("tx-c", first, Participant), TestActor);
        ExpectMsg<Applied>(Wait);
        var before = Assert.Single(Containers()).Id;

        var second = Step(Request(1, 1000) with { Command = ["sleep", "700"] });
        host.Tell(new Prepare("tx-d", second, Participant), TestActor);
        ExpectMsg<Prepared>(Wait);
        Assert.Equal(2, Containers().Count);
        host.Tell(new Commit("tx-d", second, Participant), TestActor);
        ExpectMsg<Applied>(Wait);

        var after = Assert.Single(Containers());
        Assert.NotEqual(before, after.Id);
        Assert.Equal("txhost-web-01", after.Name);
        Assert.True(after.Running);
        Assert.Equal("1000", OfPort(IPAddress.Parse("172.30.77.1")));
    }

    [Fact]
    public void Prepare_PortTaken_Refused()
    {
        var first = Step(Request(1, 1000));
        host.Tell(new Prepare("tx-e", first, Participant), TestActor);
        ExpectMsg<Prepared>(Wait);
        host.Tell(new Commit("tx-e", first, Participant), TestActor);
        ExpectMsg<Applied>(Wait);

        host.Tell(new Prepare("tx-f", Step(Request(2, 1000)), Participant), TestActor);

        var refusal = ExpectMsg<Refused>(Wait);
        Assert.Contains("OpenFlow port 1000", refusal.Reason);
        Assert.Equal(["txhost-web-01"], Containers().Select(c => c.Name));
    }

    [Fact]
    public void Commit_ContainerExits_Acknowledged()
    {
        var step = Step(Request(1, 1000) with { Command = ["false"] });
        host.Tell(new Prepare("tx-h", step, Participant), TestActor);
        ExpectMsg<Prepared>(Wait);

        host.Tell(new Commit("tx-h", step, Participant), TestActor);

        Assert.True(ExpectMsg<Applied>(Wait).Changed);
        Assert.Equal("txhost-web-01", Assert.Single(Containers()).Name);
    }

    [Fact]
    public void Prepare_MissingImage_RefusedNamingIt()
    {
        host.Tell(new Prepare("tx-g", Step(Request(1, 1000) with { Image = "sdmi/absent:9" }), Participant), TestActor);

        Assert.Contains("sdmi/absent:9", ExpectMsg<Refused>(Wait).Reason);
        Assert.Empty(Containers());
    }

    public new void Dispose()
    {
        RemoveLeftovers();
        docker.Dispose();
        base.Dispose();
    }

    private List<ManagedContainer> Containers() =>
        docker.ListManagedAsync(System, CancellationToken.None).GetAwaiter().GetResult().ToList();

    private static string OfPort(IPAddress address) =>
        ProcessRunner.Run("ovs-vsctl", ["get", "Interface", PortWiring.InterfaceName(address), "ofport"], TimeSpan.FromSeconds(10)).Output.Trim();

    private static string Step(params HostProtocol.EnsureContainer[] requests) =>
        new HostStep(System, Bridge, requests, []).ToOperation();

    private static HostProtocol.EnsureContainer Request(int replica, uint port)
    {
        // 172.30.77.0/24 is declared by no example and routed nowhere: it lives only inside the test bridge.
        var address = IPAddress.Parse($"172.30.77.{replica}");
        return new HostProtocol.EnsureContainer(
            System, Bridge, 1, "web", replica, "sdmi/base:1",
            new Dictionary<string, string> { ["SDMI_NETWORK"] = "txnet" },
            ["sleep", "600"],
            new EndpointAddress($"txhost-web-{replica:00}", address, 24, IPAddress.Parse("172.30.77.254"), MacAddress.FromIPv4(address)),
            port);
    }

    private static void RemoveLeftovers()
    {
        foreach (var id in HostProbe.ContainerIds(System))
        {
            ProcessRunner.Run("docker", ["rm", "-f", id], TimeSpan.FromSeconds(30));
        }

        foreach (var port in HostProbe.OvsPorts(System))
        {
            ProcessRunner.Run("ip", ["link", "del", port], TimeSpan.FromSeconds(10));
        }

        ProcessRunner.Run("ovs-vsctl", ["--if-exists", "del-br", Bridge], TimeSpan.FromSeconds(10));
    }
}
