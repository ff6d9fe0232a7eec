using Akka.Actor;
using Akka.Event;
using Sdmi.Fabric;
using Sdmi.OpenFlow;
using Sdmi.OpenFlow.Connection;
using Sdmi.OpenFlow.Messages;
using static Sdmi.Node.Switches.SwitchProtocol;

namespace Sdmi.Node.Switches;

/// <summary>
/// One switch, identified by its datapath id. States: Disconnected (flow requests wait until the
/// switch connects, or fail after <see cref="ConnectTimeout"/>) and Connected (requests
/// run one at a time over the OpenFlow connection). A closed connection returns it to Disconnected;
/// the switch keeps its flows meanwhile because SDMI bridges run with fail_mode=secure.
/// </summary>
public sealed class SwitchActor : ReceiveActor, IWithTimers
{
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);
    private const string ConnectTimer = "connect";
    private readonly ILoggingAdapter log = Context.GetLogger();
    private readonly ulong datapathId;
    private readonly List<(object Request, IActorRef Sender)> waiting = [];
    private OpenFlowConnection? connection;

    public SwitchActor(ulong datapathId)
    {
        this.datapathId = datapathId;
        Disconnected();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(ulong datapathId) => Akka.Actor.Props.Create(() => new SwitchActor(datapathId));

    private void Disconnected()
    {
        Receive<SwitchConnected>(OnConnected);
        Receive<ApplyFlows>(WaitForSwitch);
        Receive<RemoveFlows>(WaitForSwitch);
        Receive<ConnectTimedOut>(_ => OnConnectTimedOut());
        Receive<ConnectionClosed>(_ => { });
    }

    private void Connected()
    {
        Receive<SwitchConnected>(OnConnected);
        ReceiveAsync<ApplyFlows>(OnApplyFlows);
        ReceiveAsync<RemoveFlows>(OnRemoveFlows);
        Receive<ConnectionClosed>(closed =>
        {
            if (ReferenceEquals(closed.Connection, connection))
            {
                log.Warning("Switch {0:x16}: OpenFlow connection closed; flows stay installed (fail_mode=secure)", datapathId);
                connection = null;
                Become(Disconnected);
            }
        });
        Receive<ConnectTimedOut>(_ => { });
    }

    private void WaitForSwitch(object request)
    {
        waiting.Add((request, Sender));
        if (!Timers.IsTimerActive(ConnectTimer))
        {
            Timers.StartSingleTimer(ConnectTimer, ConnectTimedOut.Instance, ConnectTimeout);
        }
    }

    private void OnConnectTimedOut()
    {
        var error = new TimeoutException(
            $"Switch {datapathId:x16} has not connected to this node within {ConnectTimeout.TotalSeconds} s. "
            + "Check `ovs-vsctl get-controller BRIDGE` and that ovs-vswitchd runs.");
        log.Error(error, "Switch {0:x16}: {1} flow requests failed while waiting for the switch", datapathId, waiting.Count);
        foreach (var (_, sender) in waiting)
        {
            sender.Tell(new Status.Failure(error));
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
        log.Info("Switch {0:x16}: connected", datapathId);
        var self = Self;
        connection.Completion.ContinueWith(_ => self.Tell(new ConnectionClosed(message.Connection)), TaskScheduler.Default);
        _ = DrainAsync(message.Connection);
        Timers.Cancel(ConnectTimer);
        Become(Connected);
        foreach (var (request, sender) in waiting)
        {
            Self.Tell(request, sender);
        }

        waiting.Clear();
    }

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
            var cookie = FlowCookies.For(request.System, request.Rules.Select(r => r.ToString()));
            var systemCookie = FlowCookies.ForSystem(request.System);
            var installed = await connection!.GetFlowStatsAsync(
                new FlowStatsRequest { Cookie = systemCookie, CookieMask = FlowCookies.SystemMask });
            if (installed.Count == request.Rules.Count && installed.All(f => f.Cookie == cookie))
            {
                sender.Tell(new FlowsApplied(request.Rules.Count, Changed: false));
                return;
            }

            var messages = new List<OpenFlowMessage>(request.Rules.Count + 1)
            {
                FlowTranslator.DeleteByCookie(systemCookie, FlowCookies.SystemMask),
            };
            messages.AddRange(request.Rules.Select(r => FlowTranslator.ToFlowMod(r, cookie)));
            await connection.CommitBundleAsync(messages);
            log.Info(
                "Switch {0:x16}: replaced {1} flows of system {2} with {3} (cookie {4:x16}) in one bundle",
                datapathId, installed.Count, request.System, request.Rules.Count, cookie);
            sender.Tell(new FlowsApplied(request.Rules.Count, Changed: true));
        }
        catch (Exception e)
        {
            log.Error(e, "Switch {0:x16}: installing flows of system {1} failed", datapathId, request.System);
            sender.Tell(new Status.Failure(e));
        }
    }

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

    public sealed record SwitchConnected(OpenFlowConnection Connection);

    private sealed record ConnectionClosed(OpenFlowConnection Connection);

    private sealed record ConnectTimedOut
    {
        public static readonly ConnectTimedOut Instance = new();
    }
}
