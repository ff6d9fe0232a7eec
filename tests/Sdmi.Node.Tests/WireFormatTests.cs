using System.Net;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.TestKit.Xunit2;
using Sdmi.Fabric;
using Sdmi.Model;
using Sdmi.Node.Hosting;
using Sdmi.Node.Hosts;
using Sdmi.Node.Switches;
using Sdmi.Node.Systems;
using Sdmi.OpenFlow.Messages;

namespace Sdmi.Node.Tests;

/// <summary>
/// Messages that cross nodes, round-tripped through the serializer the cluster uses: each must
/// come back equal, field by field, to what was sent.
/// </summary>
public sealed class WireFormatTests() : TestKit(
    BootstrapSetup.Create().WithConfig(ConfigurationFactory.ParseString("akka.actor.provider = cluster\nakka.remote.dot-netty.tcp.port = 0"))
        .And(WireFormat.Setup()))
{
    private static readonly SystemSpec Milestone = SystemLoader.LoadFile(
        Path.Combine(RepositoryRoot(), "examples", "milestone1", "system.json"));

    [Fact]
    public void ApplyFlows_MilestoneRules_RoundTripsEveryRule()
    {
        var rules = FabricCompiler.Compile(Milestone, Endpoints());
        var message = new SwitchProtocol.ApplyFlows("sdmi0", Milestone.Name, rules);

        var copy = RoundTrip(message);

        Assert.Equal(message.Bridge, copy.Bridge);
        Assert.Equal(rules.Select(r => r.ToString()), copy.Rules.Select(r => r.ToString()));
        Assert.Equal(
            FlowCookies.For(message.System, rules.Select(r => r.ToString())),
            FlowCookies.For(copy.System, copy.Rules.Select(r => r.ToString())));
    }

    [Fact]
    public void Deploy_SystemSpec_RoundTrips()
    {
        var message = new SystemProtocol.Deploy(Milestone, TestActor);

        var copy = RoundTrip(message);

        Assert.True(Milestone.ContentEquals(copy.System));
        Assert.Equal(TestActor, copy.Progress);
    }

    [Fact]
    public void EnsureContainer_AddressAndEnvironment_RoundTrip()
    {
        var address = IPAddress.Parse("172.16.20.1");
        var message = new HostProtocol.EnsureContainer(
            "milestone1", "sdmi0", 3, "app", 1, "sdmi/app:1",
            new Dictionary<string, string> { ["SDMI_SERVICE"] = "app" },
            ["python3", "-u", "/opt/sdmi/app.py"],
            new EndpointAddress("milestone1-app-01", address, 24, IPAddress.Parse("172.16.20.254"), MacAddress.FromIPv4(address)));

        var copy = RoundTrip(message);

        Assert.Equal(message.Address, copy.Address);
        Assert.Equal(message.Environment, copy.Environment);
        Assert.Equal(message.Command, copy.Command);
        Assert.Equal(message.Change, copy.Change);
    }

    [Fact]
    public void HostReplies_ContainersAndEndpoints_RoundTrip()
    {
        var endpoint = Endpoints()[0];
        var ready = new HostProtocol.ContainerReady("abc123", endpoint, Created: true);
        var list = new HostProtocol.ContainerList(
            [new ManagedContainer("abc123", "milestone1-app-01", true, new Dictionary<string, string> { ["sdmi.system"] = "milestone1" })]);

        var readyCopy = RoundTrip(ready);
        var listCopy = RoundTrip(list);

        Assert.Equal(endpoint, readyCopy.Endpoint);
        Assert.Equal(list.Containers[0].Labels, listCopy.Containers[0].Labels);
        Assert.Equal(list.Containers[0].Name, listCopy.Containers[0].Name);
    }

    [Fact]
    public void RoleMessages_RoundTrip()
    {
        var assign = new SwitchProtocol.AssignRole(0x5d00000027b52f37, ControllerRole.Master, 7);
        var up = new SwitchProtocol.ConnectionUp(0x5d00000027b52f37, TestActor);

        Assert.Equal(assign, RoundTrip(assign));
        Assert.Equal(up, RoundTrip(up));
    }

    [Fact]
    public void JournalEvent_WrittenWithoutConverters_ReadsBack()
    {
        using var plain = ActorSystem.Create("plain", ConfigurationFactory.ParseString("akka.actor.provider = local"));
        var observed = new SystemEvents.ReplicasObserved(
            "app", [new SystemEvents.ReplicaRecord(1, "abc123", "milestone1-app-01", "domain02", "172.16.20.1", 42, 7, true)]);
        var writer = plain.Serialization.FindSerializerFor(observed);
        var bytes = writer.ToBinary(observed);

        var copy = Assert.IsType<SystemEvents.ReplicasObserved>(
            ((ExtendedActorSystem)Sys).Serialization.Deserialize(bytes, writer.Identifier, typeof(SystemEvents.ReplicasObserved)));

        Assert.Contains("$values", System.Text.Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        Assert.Equal(observed.Replicas, copy.Replicas);
    }

    private T RoundTrip<T>(T message)
        where T : class
    {
        var serialization = ((ExtendedActorSystem)Sys).Serialization;
        var serializer = serialization.FindSerializerFor(message);
        var bytes = serializer.ToBinary(message);
        return Assert.IsType<T>(serialization.Deserialize(bytes, serializer.Identifier, typeof(T)));
    }

    private static IReadOnlyList<Endpoint> Endpoints() =>
        Milestone.Services
            .SelectMany(s => Enumerable.Range(1, s.Replicas).Select(k =>
            {
                var address = Addressing.ReplicaAddress(Milestone.GetNetwork(s.Network), k);
                return new Endpoint(
                    Addressing.ReplicaName(s.Name, k), s.Name, s.Network, address, MacAddress.FromIPv4(address), (uint)(10 + k));
            }))
            .ToList();

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Sdmi.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Sdmi.slnx not found above the test directory.");
    }
}
