using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Sdmi.OpenFlow.Connection;

/// <summary>
/// Accepts switch connections, for example from Open vSwitch configured with
/// <c>ovs-vsctl set-controller BRIDGE tcp:127.0.0.1:PORT</c>. Binds to the loopback address
/// unless given another endpoint.
/// </summary>
public sealed class OpenFlowListener : IAsyncDisposable
{
    /// <summary>The IANA-assigned OpenFlow port.</summary>
    public const int DefaultPort = 6653;

    private readonly TcpListener _listener;
    private readonly OpenFlowConnectionOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;

    /// <summary>Listens on 127.0.0.1:<paramref name="port"/>; port 0 picks a free port.</summary>
    public OpenFlowListener(
        int port = DefaultPort, OpenFlowConnectionOptions? options = null, ILoggerFactory? loggerFactory = null)
        : this(new IPEndPoint(IPAddress.Loopback, port), options, loggerFactory)
    {
    }

    public OpenFlowListener(
        IPEndPoint endpoint, OpenFlowConnectionOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        _listener = new TcpListener(endpoint);
        _options = options ?? new OpenFlowConnectionOptions();
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger<OpenFlowListener>();
    }

    /// <summary>The bound endpoint, with the actual port after <see cref="Start"/>.</summary>
    public IPEndPoint LocalEndpoint => (IPEndPoint)_listener.LocalEndpoint;

    public void Start() => _listener.Start();

    /// <summary>Waits for the next switch and returns its connection, not yet handshaken.</summary>
    public async Task<OpenFlowConnection> AcceptAsync(CancellationToken cancellationToken = default)
    {
        Socket socket = await _listener.AcceptSocketAsync(cancellationToken).ConfigureAwait(false);
        socket.NoDelay = true;
        Log.Accepted(_logger, socket.RemoteEndPoint?.ToString() ?? "unknown");
        var stream = new NetworkStream(socket, ownsSocket: true);
        return new OpenFlowConnection(stream, _options, _loggerFactory.CreateLogger<OpenFlowConnection>());
    }

    public ValueTask DisposeAsync()
    {
        _listener.Dispose();
        return ValueTask.CompletedTask;
    }
}
