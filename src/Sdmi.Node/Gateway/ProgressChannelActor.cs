using System.Threading.Channels;
using Akka.Actor;
using static Sdmi.Node.Systems.SystemProtocol;

namespace Sdmi.Node.Gateway;

/// <summary>Forwards one request's progress notes into a channel that the HTTP response streams from.</summary>
public sealed class ProgressChannelActor : ReceiveActor
{
    public ProgressChannelActor(ChannelWriter<string> writer)
    {
        Receive<ProgressNote>(note => writer.TryWrite(note.Text));
        Receive<Complete>(_ => writer.TryComplete());
    }

    /// <summary>Ends the stream: no note follows.</summary>
    public sealed record Complete
    {
        public static readonly Complete Instance = new();
    }

    public static Props Props(ChannelWriter<string> writer) =>
        Akka.Actor.Props.Create(() => new ProgressChannelActor(writer));
}
