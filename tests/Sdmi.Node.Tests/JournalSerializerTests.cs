using Akka.Actor;
using Akka.Configuration;
using Akka.Serialization;
using Akka.TestKit.Xunit2;
using Sdmi.Node.Persistence;
using Sdmi.Node.Systems;
using Sdmi.Node.Transactions;

namespace Sdmi.Node.Tests;

public sealed class JournalSerializerTests : TestKit
{
    public JournalSerializerTests()
        : base(ConfigurationFactory.ParseString(File.ReadAllText(Path.Combine(
            AppContext.BaseDirectory, "..", "..", "..", "..", "..", "cluster-config", "node.hocon")))
            .WithFallback(ConfigurationFactory.ParseString("akka.actor.provider = local")))
    {
    }

    [Fact]
    public void Serializer_ReplicasObserved_RoundTripsThroughTheConfiguredBinding()
    {
        var observed = new SystemEvents.ReplicasObserved(
            "db", [new SystemEvents.ReplicaRecord(1, "c1", "milestone1-db-01", "domain03", "172.16.30.1", 0x025dac101e01, 5, true)]);

        var decoded = RoundTrip(observed);

        var replica = Assert.Single(decoded.Replicas);
        Assert.Equal("db", decoded.Service);
        Assert.Equal(observed.Replicas[0], replica);
    }

    [Fact]
    public void Serializer_SystemSnapshot_KeepsReplicasPerService()
    {
        var replica = new SystemEvents.ReplicaRecord(1, "c1", "milestone1-db-01", "domain03", "172.16.30.1", 0x025dac101e01, 1000, true);
        var snapshot = new SystemEvents.SystemSnapshot(
            "{}", null, true, 3, false, "up", null, new Dictionary<string, IReadOnlyList<SystemEvents.ReplicaRecord>> { ["db"] = [replica] });

        var decoded = RoundTrip(snapshot);

        Assert.Equal(replica, Assert.Single(decoded.Replicas["db"]));
        Assert.Equal(3, decoded.Change);
        Assert.Equal("up", decoded.Phase);
        Assert.Null(decoded.PreviousSpecJson);
    }

    [Fact]
    public void Serializer_SnapshotWithoutKnownNames_ReadsAsNull()
    {
        // A snapshot written before the system actor recorded the names of its entities.
        var json = """{"SpecJson":null,"PreviousSpecJson":null,"PreviousRemoved":true,"Change":2,"Removed":false,"Phase":"up","LastError":null,"Replicas":{}}""";
        var serializer = new JournalSerializer((Akka.Actor.ExtendedActorSystem)Sys);

        var decoded = (SystemEvents.SystemSnapshot)serializer.FromBinary(
            System.Text.Encoding.UTF8.GetBytes(json), serializer.Manifest(new SystemEvents.SystemSnapshot(null, null, true, 0, false, "", null, new Dictionary<string, IReadOnlyList<SystemEvents.ReplicaRecord>>())));

        Assert.Equal(2, decoded.Change);
        Assert.Null(decoded.KnownServices);
        Assert.Null(decoded.KnownNetworks);
    }

    [Fact]
    public void Serializer_EntityEvents_RoundTrip()
    {
        var leases = new Sdmi.Node.Networks.NetworkEvents.LeasesChanged(
            3, [new Sdmi.Node.Networks.Lease("api", 1, "10.99.0.1")], [new Sdmi.Node.Networks.Lease("api", 2, "10.99.0.2")]);
        var reconciled = new Sdmi.Node.Services.ServiceEvents.ReplicasReconciled(
            3, [new SystemEvents.ReplicaRecord(1, "c1", "shop-api-01", "apps", "10.99.0.1", 0x025d0a630001, 1000, false)]);

        Assert.Equal(leases.Granted, RoundTrip(leases).Granted);
        Assert.Equal(leases.Released, RoundTrip(leases).Released);
        Assert.Equal(reconciled.Replicas, RoundTrip(reconciled).Replicas);
    }

    [Fact]
    public void Serializer_TransactionBegun_KeepsStepsAndResources()
    {
        var begun = new TransactionEvents.TransactionBegun(
            "t1", [new TransactionProtocol.ParticipantStep("host", "ensure db-01", ["service/db", "switch/sdmi0"])]);

        var decoded = RoundTrip(begun);

        var step = Assert.Single(decoded.Steps);
        Assert.Equal(["service/db", "switch/sdmi0"], step.Resources);
    }

    private T RoundTrip<T>(T value)
        where T : notnull
    {
        var serialization = Sys.Serialization;
        var serializer = serialization.FindSerializerFor(value);
        Assert.IsType<JournalSerializer>(serializer);
        var manifest = Akka.Serialization.Serialization.ManifestFor(serializer, value);
        return (T)serialization.Deserialize(serializer.ToBinary(value), serializer.Identifier, manifest);
    }
}
