using System.Net;
using Akka.Actor;
using Akka.Event;
using Microsoft.Extensions.Logging;
using Sdmi.OpenFlow.Connection;
using static Sdmi.Node.Switches.SwitchProtocol;

namespace Sdmi.Node.Switches;

/// <summary>
/// Accepts OpenFlow connections from switches, completes the handshake and hands each connection
/// to the switch actor of its datapath id. Flow requests name a bridge; SDMI set that bridge's
/// datapath id, so they reach the right switch actor even before the switch connects.
/// </summary>
public sealed class SwitchManagerActor : ReceiveActor
{
    private readonly ILoggingAdapter log = Context.GetLogger();
    private readonly IPEndPoint endpoint;
    private readonly ILoggerFactory loggers;
    private readonly CancellationTokenSource stopping = new();
    private OpenFlowListener? listener;

    public SwitchManagerActor(IPEndPoint endpoint, ILoggerFactory loggers)
    {
        this.endpoint = endpoint;
        this.loggers = loggers;
        Receive<SwitchActor.SwitchConnected>(m =>
        {
            var datapathId = m.Connection.DatapathId ?? 0;
            Switch(datapathId).Forward(m);
        });
        Receive<ApplyFlows>(m => Switch(DatapathIds.ForBridge(m.Bridge)).Forward(m));
        Receive<RemoveFlows>(m => Switch(DatapathIds.ForBridge(m.Bridge)).Forward(m));
    }

    public static Props Props(IPEndPoint endpoint, ILoggerFactory loggers) =>
        Akka.Actor.Props.Create(() => new SwitchManagerActor(endpoint, loggers));

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

    private IActorRef Switch(ulong datapathId)
    {
        var name = $"switch-{datapathId:x16}";
        var child = Context.Child(name);
        return child.IsNobody() ? Context.ActorOf(SwitchActor.Props(datapathId), name) : child;
    }
}
