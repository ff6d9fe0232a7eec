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

    /// <summary>Clock for timeouts; tests pass a fake one.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
