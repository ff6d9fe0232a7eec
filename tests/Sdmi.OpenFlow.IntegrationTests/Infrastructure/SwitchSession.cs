using Sdmi.OpenFlow.Connection;
using Sdmi.OpenFlow.Messages;

namespace Sdmi.OpenFlow.IntegrationTests.Infrastructure;

/// <summary>
/// A fresh bridge connected to OpenFlow listeners of this test on 127.0.0.1, one listener and
/// one connection per controller, each connection handshaken. Disposal deletes the bridge first,
/// so that Open vSwitch stops reconnecting, then closes the connections and listeners.
/// </summary>
internal sealed class SwitchSession : IAsyncDisposable
{
    /// <summary>Maximum wait for Open vSwitch to connect and complete the handshake.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);

    private readonly List<OpenFlowListener> _listeners = [];
    private readonly List<OpenFlowConnection> _connections = [];
    private readonly List<FeaturesReply> _features = [];
    private OvsBridge? _bridge;

    private SwitchSession()
    {
    }

    public OvsBridge Bridge => _bridge ?? throw new InvalidOperationException("The session has no bridge.");

    /// <summary>The connection to the first controller target.</summary>
    public OpenFlowConnection Connection => _connections[0];

    public IReadOnlyList<OpenFlowConnection> Connections => _connections;

    /// <summary>FEATURES_REPLY of each connection's handshake, in the order of <see cref="Connections"/>.</summary>
    public IReadOnlyList<FeaturesReply> Features => _features;

    /// <summary>
    /// Starts <paramref name="controllerCount"/> listeners on free loopback ports, creates a
    /// bridge with one controller target per listener, and accepts and handshakes each connection.
    /// </summary>
    public static async Task<SwitchSession> StartAsync(
        int controllerCount = 1, OpenFlowConnectionOptions? options = null)
    {
        var session = new SwitchSession();
        try
        {
            for (int i = 0; i < controllerCount; i++)
            {
                var listener = new OpenFlowListener(0, options);
                session._listeners.Add(listener);
                listener.Start();
            }

            session._bridge = await OvsBridge.CreateAsync(
                [.. session._listeners.Select(listener => listener.LocalEndpoint.Port)]);
            using var timeout = new CancellationTokenSource(ConnectTimeout);
            foreach (OpenFlowListener listener in session._listeners)
            {
                OpenFlowConnection connection = await listener.AcceptAsync(timeout.Token);
                session._connections.Add(connection);
                session._features.Add(await connection.HandshakeAsync(timeout.Token));
            }

            return session;
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_bridge is not null)
        {
            await _bridge.DisposeAsync();
        }

        foreach (OpenFlowConnection connection in _connections)
        {
            await connection.DisposeAsync();
        }

        foreach (OpenFlowListener listener in _listeners)
        {
            await listener.DisposeAsync();
        }
    }
}
