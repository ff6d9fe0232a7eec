using Akka.Actor;
using Akka.Event;
using Sdmi.Fabric;
using Sdmi.Model;
using Sdmi.Node.Transactions;
using Sdmi.OpenFlow;
using Sdmi.OpenFlow.Connection;
using Sdmi.OpenFlow.Messages;
using static Sdmi.Node.Switches.SwitchProtocol;
using static Sdmi.Node.Transactions.TransactionProtocol;

namespace Sdmi.Node.Switches;

/// <summary>
/// This node's OpenFlow connection to one switch, identified by its datapath id. States:
/// Disconnected (no connection), Standby (connected, not MASTER) and Master (the switch confirmed
/// the MASTER role). Flow requests run one at a time, only in Master; in the other states they
/// wait, and fail after <see cref="ConnectTimeout"/>. The switch's entity chooses the role
/// (<see cref="AssignRole"/>); each new connection reports to it with <see cref="ConnectionUp"/>,
/// because the switch starts every connection in the EQUAL role. A closed connection returns the
/// actor to Disconnected; the switch keeps its flows meanwhile because SDMI bridges run with
/// fail_mode=secure.
/// </summary>
public sealed class SwitchActor : ReceiveActor, IWithTimers
{
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan RoleTimeout = TimeSpan.FromSeconds(10);
    private const string ConnectTimer = "connect";
    private readonly ILoggingAdapter log = Context.GetLogger();
    private readonly ulong datapathId;
    private readonly IActorRef owners;
    private readonly List<(object Request, IActorRef Sender)> waiting = [];
    private OpenFlowConnection? connection;
    private AssignRole? assigned;
    private ControllerRole confirmedRole = ControllerRole.Equal;
    private ulong confirmedGeneration;

    /// <param name="owners">The switch entities' shard region (or a proxy to it).</param>
    public SwitchActor(ulong datapathId, IActorRef owners)
    {
        this.datapathId = datapathId;
        this.owners = owners;
        Disconnected();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(ulong datapathId, IActorRef owners) =>
        Akka.Actor.Props.Create(() => new SwitchActor(datapathId, owners));

    private void Disconnected()
    {
        Receive<SwitchConnected>(OnConnected);
        WaitingForMaster();
        Receive<AssignRole>(role => assigned = role);
        Receive<RoleResult>(_ => { });
        Receive<ConnectTimedOut>(_ => OnConnectTimedOut());
        Receive<ConnectionClosed>(_ => { });
    }

    private void Standby()
    {
        Receive<SwitchConnected>(OnConnected);
        WaitingForMaster();
        Receive<AssignRole>(RequestRole);
        Receive<RoleResult>(OnRoleResult);
        Receive<ConnectTimedOut>(_ => OnConnectTimedOut());
        Receive<ConnectionClosed>(OnConnectionClosed);
    }

    /// <summary>Makes requests that need MASTER wait for it; an abort installs nothing, so it needs none.</summary>
    private void WaitingForMaster()
    {
        Receive<ApplyFlows>(WaitForMaster);
        Receive<RemoveFlows>(WaitForMaster);
        Receive<Prepare>(WaitForMaster);
        Receive<Commit>(WaitForMaster);
        Receive<Abort>(OnAbort);
    }

    private void Master()
    {
        Receive<SwitchConnected>(OnConnected);
        ReceiveAsync<ApplyFlows>(OnApplyFlows);
        ReceiveAsync<RemoveFlows>(OnRemoveFlows);
        Receive<Prepare>(OnPrepare);
        ReceiveAsync<Commit>(OnCommit);
        Receive<Abort>(OnAbort);
        Receive<AssignRole>(RequestRole);
        Receive<RoleResult>(OnRoleResult);
        Receive<ConnectTimedOut>(_ => { });
        Receive<ConnectionClosed>(OnConnectionClosed);
    }

    private void WaitForMaster(object request)
    {
        waiting.Add((request, Sender));
        if (!Timers.IsTimerActive(ConnectTimer))
        {
            Timers.StartSingleTimer(ConnectTimer, ConnectTimedOut.Instance, ConnectTimeout);
        }
    }

    private void OnConnectTimedOut()
    {
        var state = connection is null ? "has not connected to this node" : "has not confirmed this node as MASTER";
        var error = new TimeoutException(
            $"Switch {datapathId:x16} {state} within {ConnectTimeout.TotalSeconds} s. "
            + "Check `ovs-vsctl list controller` (target, is_connected, role) and that ovs-vswitchd runs.");
        log.Error(error, "Switch {0:x16}: {1} flow requests failed while waiting for the switch", datapathId, waiting.Count);
        foreach (var (request, sender) in waiting)
        {
            // A commit gets no reply: the coordinator sends it again until a master installs it.
            if (request is Commit)
            {
                continue;
            }

            sender.Tell(request is Prepare p ? new Refused(p.TransactionId, p.Participant, error.Message) : new Status.Failure(error));
        }

        waiting.Clear();
    }

    private void OnConnected(SwitchConnected message)
    {
        if (connection is not null && !ReferenceEquals(connection, message.Connection))
        {
            _ = connection.DisposeAsync().AsTask();
        }

        connection = message.Connection;
        confirmedRole = ControllerRole.Equal;
        log.Info("Switch {0:x16}: connected", datapathId);
        var self = Self;
        connection.Completion.ContinueWith(_ => self.Tell(new ConnectionClosed(message.Connection)), TaskScheduler.Default);
        _ = DrainAsync(message.Connection);
        Become(Standby);
        ReportState();
        owners.Tell(new ConnectionUp(datapathId, Self));
        if (assigned is not null)
        {
            RequestRole(assigned);
        }
    }

    private void OnConnectionClosed(ConnectionClosed closed)
    {
        if (!ReferenceEquals(closed.Connection, connection))
        {
            return;
        }

        log.Warning("Switch {0:x16}: OpenFlow connection closed; flows stay installed (fail_mode=secure)", datapathId);
        connection = null;
        confirmedRole = ControllerRole.Equal;
        Become(Disconnected);
        ReportState();
    }

    /// <summary>
    /// Sends ROLE_REQUEST. A Slave assignment takes effect here at once, so no flow request runs
    /// while the switch may already prefer another master.
    /// </summary>
    private void RequestRole(AssignRole role)
    {
        assigned = role;
        if (role.Role == ControllerRole.Slave && confirmedRole == ControllerRole.Master)
        {
            confirmedRole = ControllerRole.Slave;
            Become(Standby);
        }

        var target = connection!;
        RequestRoleAsync(target, role).PipeTo(Self);
    }

    private static async Task<RoleResult> RequestRoleAsync(OpenFlowConnection target, AssignRole role)
    {
        using var timeout = new CancellationTokenSource(RoleTimeout);
        try
        {
            var reply = await target.RequestAsync<RoleReply>(new RoleRequest(role.Role, role.GenerationId), timeout.Token);
            return new RoleResult(target, role, reply.Role, reply.GenerationId, null);
        }
        catch (OpenFlowErrorReplyException e)
            when (e.Error.ErrorType == OfpErrorType.RoleRequestFailed && e.Error.Code == (ushort)RoleRequestFailedCode.Stale)
        {
            // The switch reports its current generation_id in the reply to a NOCHANGE request.
            var current = await target.RequestAsync<RoleReply>(new RoleRequest(ControllerRole.NoChange), timeout.Token);
            return new RoleResult(target, role, current.Role, current.GenerationId, e);
        }
        catch (Exception e) when (e is OpenFlowErrorReplyException or OperationCanceledException or IOException
            or OpenFlowProtocolException or ObjectDisposedException)
        {
            return new RoleResult(target, role, null, 0, e);
        }
    }

    private void OnRoleResult(RoleResult result)
    {
        if (!ReferenceEquals(result.Connection, connection) || result.Requested != assigned)
        {
            return;
        }

        if (result.Error is not null)
        {
            OnRoleFailed(result);
            return;
        }

        confirmedRole = result.Role!.Value;
        confirmedGeneration = result.GenerationId;
        log.Info("Switch {0:x16}: this node is {1} (generation_id {2})", datapathId, confirmedRole, confirmedGeneration);
        ReportState();
        if (confirmedRole != ControllerRole.Master)
        {
            Become(Standby);
            return;
        }

        Timers.Cancel(ConnectTimer);
        Become(Master);
        foreach (var (request, sender) in waiting)
        {
            Self.Tell(request, sender);
        }

        waiting.Clear();
    }

    private void OnRoleFailed(RoleResult result)
    {
        if (result.Error is OpenFlowErrorReplyException { Error.ErrorType: OfpErrorType.RoleRequestFailed } && result.Role is not null)
        {
            log.Warning(
                "Switch {0:x16}: {1} request with generation_id {2} rejected as stale; the switch reports generation_id {3}",
                datapathId, result.Requested.Role, result.Requested.GenerationId, result.GenerationId);
            if (result.Requested.Role == ControllerRole.Master)
            {
                owners.Tell(new RoleRejected(datapathId, result.Requested.GenerationId, result.GenerationId));
            }

            return;
        }

        log.Error(result.Error, "Switch {0:x16}: {1} request with generation_id {2} failed",
            datapathId, result.Requested.Role, result.Requested.GenerationId);
    }

    private void ReportState() =>
        Context.Parent.Tell(new ConnectionState(
            datapathId, connection is not null, confirmedRole.ToString().ToLowerInvariant(), confirmedGeneration));

    /// <summary>Reads asynchronous messages so the connection's bounded queues never stall its read loop.</summary>
    private async Task DrainAsync(OpenFlowConnection source)
    {
        var events = Task.Run(async () =>
        {
            await foreach (var message in source.Events.ReadAllAsync())
            {
                log.Info("Switch {0:x16}: asynchronous {1}", datapathId, message.Type);
            }
        });
        await foreach (var _ in source.PacketIns.ReadAllAsync())
        {
            // NOTE: no SDMI flow sends packets to the controller yet; any PACKET_IN is discarded.
        }

        await events;
    }

    private async Task OnApplyFlows(ApplyFlows request)
    {
        var sender = Sender;
        try
        {
            var changed = await InstallAsync(request.System, request.Rules, null);
            sender.Tell(new FlowsApplied(request.Rules.Count, changed));
        }
        catch (Exception e)
        {
            log.Error(e, "Switch {0:x16}: installing flows of system {1} failed", datapathId, request.System);
            sender.Tell(new Status.Failure(e));
        }
    }

    /// <summary>
    /// Replaces every flow of the system with the rules in one bundle, unless the switch already
    /// has exactly this rule set. Returns whether it changed the table.
    /// </summary>
    private async Task<bool> InstallAsync(string system, IReadOnlyList<FlowRule> rules, string? transactionId)
    {
        var cookie = FlowCookies.For(system, rules.Select(r => r.ToString()), transactionId);
        var systemCookie = FlowCookies.ForSystem(system);
        var installed = await connection!.GetFlowStatsAsync(
            new FlowStatsRequest { Cookie = systemCookie, CookieMask = FlowCookies.SystemMask });
        if (installed.Count == rules.Count && installed.All(f => (f.Cookie & FlowCookies.RuleSetMask) == (cookie & FlowCookies.RuleSetMask)))
        {
            return false;
        }

        var messages = new List<OpenFlowMessage>(rules.Count + 1)
        {
            FlowTranslator.DeleteByCookie(systemCookie, FlowCookies.SystemMask),
        };
        messages.AddRange(rules.Select(r => FlowTranslator.ToFlowMod(r, cookie)));
        await connection.CommitBundleAsync(messages);
        log.Info(
            "Switch {0:x16}: replaced {1} flows of system {2} with {3} (cookie {4:x16}{5}) in one bundle",
            datapathId, installed.Count, system, rules.Count, cookie, transactionId is null ? "" : ", transaction " + transactionId);
        return true;
    }

    /// <summary>
    /// Votes on a switch step: the rules must compile and translate into OpenFlow messages, and this
    /// node must hold the switch as MASTER (a prepare waits for that like any flow request).
    /// </summary>
    private void OnPrepare(Prepare prepare)
    {
        if (prepare.Operation.Length == 0)
        {
            // A probe of the transaction path: this node is the switch's MASTER, which is all it checks.
            Sender.Tell(new Prepared(prepare.TransactionId, prepare.Participant));
            return;
        }

        try
        {
            var rules = Compile(SwitchStep.Parse(prepare.Operation));
            foreach (var rule in rules)
            {
                FlowTranslator.ToFlowMod(rule, 0);
            }

            log.Info("Transaction {0}: switch {1:x16} prepared {2} rules", prepare.TransactionId, datapathId, rules.Count);
            Sender.Tell(new Prepared(prepare.TransactionId, prepare.Participant));
        }
        catch (Exception e)
        {
            log.Error(e, "Transaction {0}: switch {1:x16} rejects its step", prepare.TransactionId, datapathId);
            Sender.Tell(new Refused(prepare.TransactionId, prepare.Participant, e.Message));
        }
    }

    /// <summary>Installs the step's rules. A repeated commit finds them installed and changes nothing.</summary>
    private async Task OnCommit(Commit commit)
    {
        var sender = Sender;
        if (commit.Operation.Length == 0)
        {
            sender.Tell(new Applied(commit.TransactionId, commit.Participant, Changed: false));
            return;
        }

        try
        {
            var step = SwitchStep.Parse(commit.Operation);
            var changed = await InstallAsync(step.System, Compile(step), commit.TransactionId);
            sender.Tell(new Applied(commit.TransactionId, commit.Participant, changed));
        }
        catch (Exception e)
        {
            // Not acknowledged: the coordinator sends the commit again.
            log.Error(e, "Transaction {0}: switch {1:x16} commit failed", commit.TransactionId, datapathId);
        }
    }

    private static IReadOnlyList<FlowRule> Compile(SwitchStep step) => step.RemovesAll
        ? []
        : FabricCompiler.Compile(SystemLoader.Parse(step.SpecJson, $"transaction step for switch {step.Bridge}"), step.ToEndpoints());

    private async Task OnRemoveFlows(RemoveFlows request)
    {
        var sender = Sender;
        try
        {
            await connection!.CommitBundleAsync(
                [FlowTranslator.DeleteByCookie(FlowCookies.ForSystem(request.System), FlowCookies.SystemMask)]);
            log.Info("Switch {0:x16}: removed every flow of system {1}", datapathId, request.System);
            sender.Tell(new FlowsRemoved(request.System));
        }
        catch (Exception e)
        {
            log.Error(e, "Switch {0:x16}: removing flows of system {1} failed", datapathId, request.System);
            sender.Tell(new Status.Failure(e));
        }
    }

    /// <summary>Nothing was installed before the decision, so an abort only acknowledges.</summary>
    private void OnAbort(Abort abort) => Sender.Tell(new Applied(abort.TransactionId, abort.Participant, Changed: false));

    public sealed record SwitchConnected(OpenFlowConnection Connection);

    private sealed record ConnectionClosed(OpenFlowConnection Connection);

    /// <param name="Role">The role in the switch's reply; for a stale rejection, the role it still holds.</param>
    private sealed record RoleResult(
        OpenFlowConnection Connection, AssignRole Requested, ControllerRole? Role, ulong GenerationId, Exception? Error);

    private sealed record ConnectTimedOut
    {
        public static readonly ConnectTimedOut Instance = new();
    }
}
