using System.Net;
using Akka.Actor;
using Akka.Event;
using Microsoft.Extensions.Logging;
using Sdmi.OpenFlow.Connection;
using static Sdmi.Node.Switches.SwitchProtocol;
using static Sdmi.Node.Transactions.TransactionProtocol;

namespace Sdmi.Node.Switches;

/// <summary>
/// This node's OpenFlow listener. Accepts connections from switches, completes the handshake and
/// hands each connection to the switch actor of its datapath id. Every node runs one, under the
/// name <see cref="Name"/>, so a switch's entity reaches every node's connection to that switch.
/// Flow requests name a bridge; SDMI set that bridge's datapath id, so they reach the right switch
/// actor even before the switch connects.
/// </summary>
public sealed class SwitchManagerActor : ReceiveActor
{
    /// <summary>Name of the manager under /user on every node.</summary>
    public const string Name = "switches";

    private readonly ILoggingAdapter log = Context.GetLogger();
    private readonly IPEndPoint endpoint;
    private readonly ILoggerFactory loggers;
    private readonly IActorRef owners;
    private readonly CancellationTokenSource stopping = new();
    private readonly SortedDictionary<ulong, ConnectionState> states = new();
    private OpenFlowListener? listener;

    /// <param name="owners">The switch entities' shard region (or a proxy to it).</param>
    public SwitchManagerActor(IPEndPoint endpoint, ILoggerFactory loggers, IActorRef owners)
    {
        this.endpoint = endpoint;
        this.loggers = loggers;
        this.owners = owners;
        Receive<SwitchActor.SwitchConnected>(m =>
        {
            var datapathId = m.Connection.DatapathId ?? 0;
            Switch(datapathId).Forward(m);
        });
        Receive<ApplyFlows>(m => Switch(DatapathIds.ForBridge(m.Bridge)).Forward(m));
        Receive<RemoveFlows>(m => Switch(DatapathIds.ForBridge(m.Bridge)).Forward(m));
        Receive<Prepare>(m => ForwardStep(m.Participant, m));
        Receive<Commit>(m => ForwardStep(m.Participant, m));
        Receive<Abort>(m => ForwardStep(m.Participant, m));
        Receive<AssignRole>(m => Switch(m.DatapathId).Forward(m));
        Receive<ConnectionState>(m => states[m.DatapathId] = m);
        Receive<GetConnections>(_ => Sender.Tell(new ConnectionsReport(states.Values.ToList())));
    }

    public static Props Props(IPEndPoint endpoint, ILoggerFactory loggers, IActorRef owners) =>
        Akka.Actor.Props.Create(() => new SwitchManagerActor(endpoint, loggers, owners));

    protected override void PreStart()
    {
        listener = new OpenFlowListener(endpoint, loggerFactory: loggers);
        listener.Start();
        log.Info("OpenFlow listener on {0}", endpoint);
        var self = Self;
        _ = AcceptLoopAsync(listener, self, stopping.Token);
    }

    protected override void PostStop()
    {
        stopping.Cancel();
        listener?.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(5));
        stopping.Dispose();
    }

    private async Task AcceptLoopAsync(OpenFlowListener source, IActorRef self, CancellationToken cancellation)
    {
        while (!cancellation.IsCancellationRequested)
        {
            OpenFlowConnection connection;
            try
            {
                connection = await source.AcceptAsync(cancellation);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e)
            {
                log.Error(e, "OpenFlow listener on {0}: accept failed", endpoint);
                continue;
            }

            _ = HandshakeAsync(connection, self, cancellation);
        }
    }

    private async Task HandshakeAsync(OpenFlowConnection connection, IActorRef self, CancellationToken cancellation)
    {
        try
        {
            var features = await connection.HandshakeAsync(cancellation);
            log.Info("Switch {0:x16} connected: {1} tables", features.DatapathId, features.TableCount);
            self.Tell(new SwitchActor.SwitchConnected(connection));
        }
        catch (Exception e)
        {
            log.Warning("OpenFlow handshake failed, closing the connection: {0}", e.Message);
            await connection.DisposeAsync();
        }
    }

    private void ForwardStep(string participant, object message)
    {
        if (Transactions.SwitchStep.BridgeOf(participant) is { } bridge)
        {
            Switch(DatapathIds.ForBridge(bridge)).Forward(message);
        }
        else
        {
            log.Warning("Transaction message for participant {0} is not a switch's; dropped", participant);
        }
    }

    private IActorRef Switch(ulong datapathId)
    {
        var name = $"switch-{datapathId:x16}";
        var child = Context.Child(name);
        return child.IsNobody() ? Context.ActorOf(SwitchActor.Props(datapathId, owners), name) : child;
    }
}
