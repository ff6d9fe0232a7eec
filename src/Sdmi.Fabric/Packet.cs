using System.Net;

namespace Sdmi.Fabric;

/// <summary>The header fields of one packet that the simulator reads. A null field is absent from the packet.</summary>
public sealed record Packet
{
    public required uint InPort { get; init; }
    public required MacAddress EthSrc { get; init; }
    public required MacAddress EthDst { get; init; }
    public required ushort EthType { get; init; }
    public IPAddress? Ipv4Src { get; init; }
    public IPAddress? Ipv4Dst { get; init; }
    public byte? IpProto { get; init; }
    public ushort? TpSrc { get; init; }
    public ushort? TpDst { get; init; }
    public byte Ttl { get; init; } = 64;
    public ushort? ArpOp { get; init; }
    public MacAddress? ArpSha { get; init; }
    public IPAddress? ArpSpa { get; init; }
    public MacAddress? ArpTha { get; init; }
    public IPAddress? ArpTpa { get; init; }

    public static Packet Tcp(Endpoint from, MacAddress nextHop, IPAddress to, ushort sourcePort, ushort destinationPort) =>
        new()
        {
            InPort = from.Port,
            EthSrc = from.Mac,
            EthDst = nextHop,
            EthType = FlowMatch.EthTypeIPv4,
            Ipv4Src = from.Address,
            Ipv4Dst = to,
            IpProto = FlowMatch.IpProtoTcp,
            TpSrc = sourcePort,
            TpDst = destinationPort,
        };

    public static Packet ArpRequest(Endpoint from, IPAddress target) =>
        new()
        {
            InPort = from.Port,
            EthSrc = from.Mac,
            EthDst = new MacAddress(0xffff_ffff_ffff),
            EthType = FlowMatch.EthTypeArp,
            ArpOp = 1,
            ArpSha = from.Mac,
            ArpSpa = from.Address,
            ArpTha = new MacAddress(0),
            ArpTpa = target,
        };
}
