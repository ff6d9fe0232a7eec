namespace Sdmi.Model;

/// <summary>A port that a service's containers listen on (1 to 65535).</summary>
public sealed record ServicePort(int Port, TransportProtocol Protocol)
{
    public override string ToString() => $"{Port}/{Protocol.ToString().ToLowerInvariant()}";
}
