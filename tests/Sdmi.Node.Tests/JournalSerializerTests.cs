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
