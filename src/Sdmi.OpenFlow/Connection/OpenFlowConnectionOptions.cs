namespace Sdmi.OpenFlow.Connection;

/// <summary>Settings of an <see cref="OpenFlowConnection"/>.</summary>
public sealed record OpenFlowConnectionOptions
{
    /// <summary>
    /// Maximum time a request waits for its reply, a confirmation for its barrier reply, or a bundle
    /// step for its reply, before it fails with <see cref="TimeoutException"/>. Default 10 seconds.
    /// </summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Maximum time <see cref="OpenFlowConnection.HandshakeAsync"/> waits for the peer's HELLO.
    /// Default 10 seconds.
    /// </summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Maximum number of PACKET_IN messages queued in <see cref="OpenFlowConnection.PacketIns"/>.
    /// Further PACKET_INs are dropped and counted in <see cref="OpenFlowConnection.DroppedPacketIns"/>,
    /// so that a slow consumer never stops the connection from reading replies. Default 1024.
    /// </summary>
    public int PacketInCapacity { get; init; } = 1024;

    /// <summary>
    /// Idle time after which the connection sends an ECHO_REQUEST to check that the switch is alive:
    /// when nothing was received from the switch for this long, counted from the switch's HELLO.
    /// <see cref="Timeout.InfiniteTimeSpan"/> turns the keep-alive off. Default 5 seconds.
    /// </summary>
    public TimeSpan EchoInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Maximum time to wait for the ECHO_REPLY to a keep-alive ECHO_REQUEST. Without a reply in
    /// time the connection closes, and <see cref="OpenFlowConnection.Completion"/> fails with a
    /// <see cref="TimeoutException"/> naming the datapath id. Default 15 seconds.
    /// </summary>
    public TimeSpan EchoTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Clock for timeouts; tests pass a fake one.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
