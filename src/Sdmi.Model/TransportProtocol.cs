namespace Sdmi.Model;

public enum TransportProtocol
{
    Tcp,
    Udp,
}
