using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit.Xunit2;
using Sdmi.Node.Switches;
using Sdmi.OpenFlow.Messages;
using static Sdmi.Node.Switches.SwitchProtocol;

namespace Sdmi.Node.Tests;

/// <summary>
/// The switch entity on its own, with the in-memory journal and a probe in place of this node's
/// switch manager (/user/switches).
/// </summary>
public sealed class SwitchOwnerActorTests : TestKit
{
    private const ulong DatapathId = 0x5d000000000000aa;

    public SwitchOwnerActorTests()
        : base(ConfigurationFactory.ParseString("""
            akka.actor.provider = cluster
            akka.remote.dot-netty.tcp.port = 0
            akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
            akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
            """))
    {
        var testActor = TestActor;
        Sys.ActorOf(Props.Create(() => new Forwarder(testActor)), SwitchManagerActor.Name);
    }

    [Fact]
    public void Start_NewJournal_AssignsMasterWithEpochOne()
    {
        Sys.ActorOf(SwitchOwnerActor.Props(DatapathId));

        var role = ExpectMsg<AssignRole>();

        Assert.Equal(new AssignRole(DatapathId, ControllerRole.Master, 1), role);
    }

    [Fact]
    public void Restart_SameSwitch_IncrementsPersistedEpoch()
    {
        var first = Sys.ActorOf(SwitchOwnerActor.Props(DatapathId));
        ExpectMsg<AssignRole>();
        Watch(first);
        Sys.Stop(first);
        ExpectTerminated(first);

        Sys.ActorOf(SwitchOwnerActor.Props(DatapathId));

        Assert.Equal(2UL, ExpectMsg<AssignRole>().GenerationId);
    }

    [Fact]
    public void ConnectionUp_LocalConnection_RepliesMasterWithCurrentEpoch()
    {
        var owner = Sys.ActorOf(SwitchOwnerActor.Props(DatapathId));
        ExpectMsg<AssignRole>();
        var connection = CreateTestProbe();

        owner.Tell(new ConnectionUp(DatapathId, connection.Ref), connection.Ref);

        Assert.Equal(new AssignRole(DatapathId, ControllerRole.Master, 1), connection.ExpectMsg<AssignRole>());
    }

    [Fact]
    public void RoleRejected_NewJournal_ContinuesAboveSwitchGeneration()
    {
        var owner = Sys.ActorOf(SwitchOwnerActor.Props(DatapathId));
        ExpectMsg<AssignRole>();

        owner.Tell(new RoleRejected(DatapathId, 1, 41));

        Assert.Equal(new AssignRole(DatapathId, ControllerRole.Master, 42), ExpectMsg<AssignRole>());
    }

    [Fact]
    public void RoleRejected_JournalHadEpoch_DoesNotClaimAgain()
    {
        var first = Sys.ActorOf(SwitchOwnerActor.Props(DatapathId));
        ExpectMsg<AssignRole>();
        Watch(first);
        Sys.Stop(first);
        ExpectTerminated(first);
        var second = Sys.ActorOf(SwitchOwnerActor.Props(DatapathId));
        ExpectMsg<AssignRole>();

        second.Tell(new RoleRejected(DatapathId, 2, 9));

        ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public void ApplyFlows_Owning_ForwardsToLocalConnectionWithSender()
    {
        var owner = Sys.ActorOf(SwitchOwnerActor.Props(DatapathId));
        ExpectMsg<AssignRole>();
        var requester = CreateTestProbe();
        var request = new ApplyFlows("sdmic0", "clustertest", []);

        owner.Tell(request, requester.Ref);

        Assert.Same(request, ExpectMsg<ApplyFlows>());
        Assert.Equal(requester.Ref, LastSender);
    }

    /// <summary>Stands in for /user/switches: passes every message on with its sender.</summary>
    private sealed class Forwarder : ReceiveActor
    {
        public Forwarder(IActorRef target) => ReceiveAny(m => target.Forward(m));
    }
}
