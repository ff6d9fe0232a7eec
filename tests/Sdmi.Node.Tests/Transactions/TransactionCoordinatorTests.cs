using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Sdmi.Node.Transactions;
using static Sdmi.Node.Transactions.TransactionProtocol;

namespace Sdmi.Node.Tests.Transactions;

public sealed class TransactionCoordinatorTests : TestKit
{
    private static readonly CoordinatorSettings Fast = new(
        TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(400));

    /// <summary>A prepare timeout that a loaded machine does not reach, for tests where every participant votes.</summary>
    private static readonly CoordinatorSettings Patient = Fast with { PrepareTimeout = TimeSpan.FromSeconds(10) };

    private readonly Dictionary<string, TestProbe> participants = new();

    public TransactionCoordinatorTests()
        : base(ConfigurationFactory.ParseString("""
            akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
            akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
            # A loaded machine (CI runs the suites one after another with services up) can delay a reply past 3 s.
            akka.test.single-expect-default = 10s
            """))
    {
        foreach (var name in new[] { "host", "switch", "dns" })
        {
            participants[name] = CreateTestProbe(name);
        }
    }

    [Fact]
    public void Begin_AllPrepared_CommitsEveryParticipant()
    {
        var manager = Manager();

        manager.Tell(Begin("t1", "host", "switch"), TestActor);
        Vote("t1", "host", prepared: true);
        Vote("t1", "switch", prepared: true);

        Assert.Equal("ensure host part", participants["host"].ExpectMsg<Commit>().Operation);
        participants["switch"].ExpectMsg<Commit>();
        Acknowledge("t1", "host", "switch");
        var outcome = ExpectMsg<TransactionOutcome>();
        Assert.Equal(Decision.Commit, outcome.Decision);
        Assert.Null(outcome.Reason);
    }

    [Fact]
    public void Begin_OneRefuses_AbortsEveryParticipantWithReason()
    {
        var manager = Manager();

        manager.Tell(Begin("t2", "host", "switch"), TestActor);
        Vote("t2", "host", prepared: true);
        participants["switch"].ExpectMsg<Prepare>();
        participants["switch"].Reply(new Refused("t2", "switch", "table full"));

        participants["host"].ExpectMsg<Abort>();
        participants["switch"].ExpectMsg<Abort>();
        Acknowledge("t2", "host", "switch");
        var outcome = ExpectMsg<TransactionOutcome>();
        Assert.Equal(Decision.Abort, outcome.Decision);
        Assert.Contains("table full", outcome.Reason);
    }

    [Fact]
    public void Begin_ParticipantSilent_AbortsAfterPrepareTimeout()
    {
        var manager = Sys.ActorOf(TransactionManager.Props(Resolve, Fast));

        manager.Tell(Begin("t3", "host", "dns"), TestActor);
        Vote("t3", "host", prepared: true);
        participants["dns"].ExpectMsg<Prepare>();

        participants["host"].ExpectMsg<Abort>(TimeSpan.FromSeconds(3));
        participants["dns"].ExpectMsg<Abort>();
        Acknowledge("t3", "host", "dns");
        Assert.Contains("dns", ExpectMsg<TransactionOutcome>().Reason);
    }

    [Fact]
    public void Decision_NotAcknowledged_IsSentAgainUntilAcknowledged()
    {
        var manager = Manager();
        manager.Tell(Begin("t4", "host"), TestActor);
        Vote("t4", "host", prepared: true);

        participants["host"].ExpectMsg<Commit>();
        participants["host"].ExpectMsg<Commit>(TimeSpan.FromSeconds(2));
        participants["host"].Reply(new Applied("t4", "host"));

        Assert.Equal(Decision.Commit, ExpectMsg<TransactionOutcome>().Decision);
    }

    [Fact]
    public void Recovery_DecidedButNotCompleted_SendsDecisionAgain()
    {
        var first = Sys.ActorOf(TransactionCoordinator.Props("t5", Resolve, Patient));
        first.Tell(Begin("t5", "host", "switch"), TestActor);
        Vote("t5", "host", prepared: true);
        Vote("t5", "switch", prepared: true);
        participants["host"].ExpectMsg<Commit>();
        participants["switch"].ExpectMsg<Commit>();
        Watch(first);
        first.Tell(PoisonPill.Instance);
        ExpectTerminated(first);

        var recovered = Sys.ActorOf(TransactionCoordinator.Props("t5", Resolve, Patient));

        participants["host"].FishForMessage(m => m is Commit, TimeSpan.FromSeconds(3));
        participants["switch"].FishForMessage(m => m is Commit, TimeSpan.FromSeconds(3));
        recovered.Tell(new GetTransaction("t5"), TestActor);
        Assert.Equal(Decision.Commit, ExpectMsg<TransactionState>().Decision);
    }

    [Fact]
    public void Recovery_BegunButNotDecided_AbortsEveryParticipant()
    {
        var first = Sys.ActorOf(TransactionCoordinator.Props("t6", Resolve, Patient));
        first.Tell(Begin("t6", "host", "switch"), TestActor);
        participants["host"].ExpectMsg<Prepare>();
        participants["switch"].ExpectMsg<Prepare>();
        Watch(first);
        first.Tell(PoisonPill.Instance);
        ExpectTerminated(first);

        var recovered = Sys.ActorOf(TransactionCoordinator.Props("t6", Resolve, Patient));

        participants["host"].ExpectMsg<Abort>();
        participants["switch"].ExpectMsg<Abort>();
        recovered.Tell(new GetTransaction("t6"), TestActor);
        var state = ExpectMsg<TransactionState>();
        Assert.Equal(Decision.Abort, state.Decision);
        Assert.Equal("decided", state.Phase);
    }

    [Fact]
    public void DecisionDelay_StoppedBeforeDeciding_Aborts()
    {
        var paused = Patient with { DecisionDelay = TimeSpan.FromSeconds(30) };
        var first = Sys.ActorOf(TransactionCoordinator.Props("t8", Resolve, paused));
        first.Tell(Begin("t8", "host", "switch"), TestActor);
        Vote("t8", "host", prepared: true);
        Vote("t8", "switch", prepared: true);

        participants["host"].ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        Watch(first);
        first.Tell(PoisonPill.Instance);
        ExpectTerminated(first);
        Sys.ActorOf(TransactionCoordinator.Props("t8", Resolve, Patient));

        participants["host"].ExpectMsg<Abort>();
        participants["switch"].ExpectMsg<Abort>();
    }

    [Fact]
    public void Outcome_ReportsWhetherAnyParticipantChangedSomething()
    {
        var manager = Manager();
        manager.Tell(Begin("t9", "host", "switch"), TestActor);
        Vote("t9", "host", prepared: true);
        Vote("t9", "switch", prepared: true);
        participants["host"].ExpectMsg<Commit>();
        participants["switch"].ExpectMsg<Commit>();

        participants["host"].Reply(new Applied("t9", "host", Changed: false));
        participants["switch"].Reply(new Applied("t9", "switch", Changed: false));

        Assert.False(ExpectMsg<TransactionOutcome>().Changed);
    }

    [Fact]
    public void Manager_RepeatedBegin_SameCoordinator()
    {
        var manager = Manager();
        manager.Tell(Begin("t10", "host"), TestActor);
        Vote("t10", "host", prepared: true);
        participants["host"].ExpectMsg<Commit>();

        manager.Tell(Begin("t10", "host"), TestActor);
        participants["host"].Reply(new Applied("t10", "host"));

        Assert.Equal("t10", ExpectMsg<TransactionOutcome>().TransactionId);
        Assert.Equal("t10", ExpectMsg<TransactionOutcome>().TransactionId);
    }

    [Fact]
    public void Manager_ConflictingTransactions_SecondStartsAfterFirstEnds()
    {
        var manager = Manager();
        manager.Tell(Begin("a", "host"), TestActor);
        participants["host"].ExpectMsg<Prepare>();
        var coordinatorOfA = participants["host"].LastSender;

        manager.Tell(Begin("b", "host"), TestActor);

        participants["host"].ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        coordinatorOfA.Tell(new Prepared("a", "host"));
        participants["host"].ExpectMsg<Commit>();
        participants["host"].Reply(new Applied("a", "host"));
        Assert.Equal("a", ExpectMsg<TransactionOutcome>().TransactionId);
        Assert.Equal("b", participants["host"].ExpectMsg<Prepare>().TransactionId);
    }

    [Fact]
    public void ManagerRestart_RunningTransaction_StillHoldsItsResources()
    {
        var manager = Manager();
        manager.Tell(Begin("held", "host"), TestActor);
        participants["host"].ExpectMsg<Prepare>();
        Watch(manager);
        manager.Tell(PoisonPill.Instance);
        ExpectTerminated(manager);

        var next = Manager();
        next.Tell(Begin("later", "host"), TestActor);

        // The restarted admission recovered the lock of "held", so "later" waits for its outcome.
        participants["host"].ExpectNoMsg(TimeSpan.FromMilliseconds(500));
        next.Tell(new TransactionOutcome("held", Decision.Abort, "ended on the old node", Changed: false));
        Assert.Equal("later", participants["host"].ExpectMsg<Prepare>().TransactionId);
    }

    [Fact]
    public void ManagerRestart_EndedTransaction_ReleasedForGood()
    {
        var manager = Manager();
        manager.Tell(Begin("done", "host"), TestActor);
        Vote("done", "host", prepared: true);
        participants["host"].ExpectMsg<Commit>();
        participants["host"].Reply(new Applied("done", "host"));
        ExpectMsg<TransactionOutcome>();
        Watch(manager);
        manager.Tell(PoisonPill.Instance);
        ExpectTerminated(manager);

        Manager().Tell(Begin("after", "host"), TestActor);

        Assert.Equal("after", participants["host"].ExpectMsg<Prepare>().TransactionId);
    }

    [Fact]
    public void Manager_IndependentTransactions_PrepareAtOnce()
    {
        var manager = Manager();

        manager.Tell(Begin("x", "host"), TestActor);
        manager.Tell(Begin("y", "switch"), TestActor);

        Assert.Equal("x", participants["host"].ExpectMsg<Prepare>().TransactionId);
        Assert.Equal("y", participants["switch"].ExpectMsg<Prepare>().TransactionId);
    }

    [Fact]
    public void Begin_SameParticipantTwice_Rejected()
    {
        var coordinator = Sys.ActorOf(TransactionCoordinator.Props("t7", Resolve, Fast));

        coordinator.Tell(new Begin("t7", [Step("host"), Step("host")]), TestActor);

        var failure = ExpectMsg<Status.Failure>();
        Assert.Contains("host twice", failure.Cause.Message);
    }

    private IActorRef Manager() => Sys.ActorOf(TransactionManager.Props(Resolve, Patient));

    private IActorRef Resolve(string participant) => participants[participant].Ref;

    private static Begin Begin(string id, params string[] names) => new(id, names.Select(Step).ToList());

    /// <summary>One step per participant; every step touches the participant's own resource.</summary>
    private static ParticipantStep Step(string participant) =>
        new(participant, $"ensure {participant} part", [participant]);

    private void Vote(string transaction, string participant, bool prepared)
    {
        participants[participant].ExpectMsg<Prepare>(p => p.TransactionId == transaction);
        participants[participant].Reply(prepared
            ? new Prepared(transaction, participant)
            : new Refused(transaction, participant, "no"));
    }

    private void Acknowledge(string transaction, params string[] names)
    {
        foreach (var name in names)
        {
            participants[name].Reply(new Applied(transaction, name));
        }
    }
}
