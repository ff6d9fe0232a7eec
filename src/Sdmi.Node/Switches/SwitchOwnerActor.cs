using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Akka.Persistence;
using Sdmi.Node.Persistence;
using Sdmi.OpenFlow.Messages;
using static Sdmi.Node.Switches.SwitchProtocol;

namespace Sdmi.Node.Switches;

/// <summary>
/// The owner of one switch: a sharded, event-sourced entity (remember-entities), so exactly one
/// node runs it and another node starts it when that node leaves or dies. Each start increments
/// and persists the ownership epoch before anything else, then assigns MASTER with generation_id =
/// epoch to this node's connection and SLAVE to every other member's. The switch rejects a MASTER
/// request whose generation_id is lower than one it has seen, so an owner that was replaced but
/// still runs (a stale master) cannot take the switch back. Flow requests go to this node's
/// connection, which serves them only once the switch confirmed it as MASTER.
/// </summary>
public sealed class SwitchOwnerActor : ReceivePersistentActor, IWithStash
{
    private readonly ILoggingAdapter log = Context.GetLogger();
    private readonly ulong datapathId;
    private readonly Cluster cluster = Cluster.Get(Context.System);
    private ulong epoch;
    private ulong epochBeforeStart;

    public SwitchOwnerActor(ulong datapathId)
    {
        this.datapathId = datapathId;
        Recover<EpochAdvanced>(e => epoch = e.Epoch);
        Recover<RecoveryCompleted>(_ =>
        {
            epochBeforeStart = epoch;
            Self.Tell(Claim.Instance);
        });
        Starting();
    }

    public override string PersistenceId => $"switch-owner-{datapathId:x16}";

    public static Props Props(ulong datapathId) => Akka.Actor.Props.Create(() => new SwitchOwnerActor(datapathId));

    protected override void PreStart()
    {
        base.PreStart();
        cluster.Subscribe(Self, ClusterEvent.InitialStateAsEvents, typeof(ClusterEvent.MemberUp));
    }

    protected override void PostStop()
    {
        cluster.Unsubscribe(Self);
        base.PostStop();
    }

    /// <summary>Until the new epoch is persisted: every other message waits in the stash.</summary>
    private void Starting()
    {
        Command<Claim>(_ => AdvanceEpoch(epoch + 1));
        Command<ClusterEvent.MemberUp>(_ => { });
        CommandAny(_ => Stash.Stash());
    }

    private void Owning()
    {
        Command<ApplyFlows>(m => LocalConnections().Tell(m, Sender));
        Command<RemoveFlows>(m => LocalConnections().Tell(m, Sender));
        Command<Transactions.TransactionProtocol.Prepare>(m => LocalConnections().Tell(m, Sender));
        Command<Transactions.TransactionProtocol.Commit>(m => LocalConnections().Tell(m, Sender));
        Command<Transactions.TransactionProtocol.Abort>(m => LocalConnections().Tell(m, Sender));
        Command<ConnectionUp>(m => Sender.Tell(new AssignRole(datapathId, RoleFor(m.Connection.Path.Address), epoch)));
        Command<RoleRejected>(OnRoleRejected);
        Command<ClusterEvent.MemberUp>(m =>
        {
            if (m.Member.Address != cluster.SelfAddress)
            {
                Connections(m.Member.Address).Tell(new AssignRole(datapathId, ControllerRole.Slave, epoch));
            }
        });
        Command<Claim>(_ => { });
    }

    private void AdvanceEpoch(ulong next)
    {
        Persist(new EpochAdvanced(next), e =>
        {
            epoch = e.Epoch;
            log.Info("Switch {0:x16}: owned by {1} with epoch {2}; assigning roles", datapathId, cluster.SelfAddress, epoch);
            AssignRoles();
            Become(Owning);
            Stash.UnstashAll();
        });
    }

    private void AssignRoles()
    {
        LocalConnections().Tell(new AssignRole(datapathId, ControllerRole.Master, epoch));
        foreach (var member in cluster.State.Members.Where(m => m.Status == MemberStatus.Up && m.Address != cluster.SelfAddress))
        {
            Connections(member.Address).Tell(new AssignRole(datapathId, ControllerRole.Slave, epoch));
        }
    }

    /// <summary>
    /// The switch has seen a generation_id at least as high as this epoch. That is a stale owner only
    /// when this journal had an epoch before: a journal that had none (a first start, or a journal
    /// that was deleted while the bridge stayed) adopts the switch's value and claims again.
    /// </summary>
    private void OnRoleRejected(RoleRejected rejected)
    {
        if (rejected.RequestedGenerationId != epoch)
        {
            return;
        }

        if (epochBeforeStart == 0 && rejected.SwitchGenerationId >= epoch)
        {
            log.Warning(
                "Switch {0:x16}: the switch reports generation_id {1}, and this journal had no epoch; continuing above it",
                datapathId, rejected.SwitchGenerationId);
            epochBeforeStart = rejected.SwitchGenerationId;
            AdvanceEpoch(rejected.SwitchGenerationId + 1);
            return;
        }

        // NOTE: a rejected owner keeps its entity but serves no flow request: each waits for MASTER
        // and fails after SwitchActor.ConnectTimeout. The resolver downs such a node's side of a partition.
        log.Error(
            "Switch {0:x16}: MASTER with epoch {1} rejected as stale (the switch reports generation_id {2}); "
            + "another node owns this switch", datapathId, epoch, rejected.SwitchGenerationId);
    }

    private ControllerRole RoleFor(Address address) =>
        address.HasLocalScope || address == cluster.SelfAddress ? ControllerRole.Master : ControllerRole.Slave;

    private ActorSelection LocalConnections() => Context.ActorSelection("/user/" + SwitchManagerActor.Name);

    private ActorSelection Connections(Address member) =>
        Context.ActorSelection(new RootActorPath(member) / "user" / SwitchManagerActor.Name);

    /// <summary>Journal event: the ownership epoch, and with it the switch's generation_id, is now <paramref name="Epoch"/>.</summary>
    public sealed record EpochAdvanced(ulong Epoch) : IJournalEvent;

    private sealed record Claim
    {
        public static readonly Claim Instance = new();
    }
}
