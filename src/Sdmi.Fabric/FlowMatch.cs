using System.Net;
using System.Text;

namespace Sdmi.Fabric;

/// <summary>
/// The packet fields a fabric rule matches on; a null field is a wildcard. Prerequisites follow
/// OpenFlow 1.3: IPv4 fields need <see cref="EthType"/> 0x0800, ARP fields 0x0806 and transport
/// ports an <see cref="IpProto"/>.
/// </summary>
public sealed record FlowMatch
{
    public const ushort EthTypeIPv4 = 0x0800;
    public const ushort EthTypeArp = 0x0806;
    public const byte IpProtoIcmp = 1;
    public const byte IpProtoTcp = 6;
    public const byte IpProtoUdp = 17;

    public uint? InPort { get; init; }
    public ulong? Metadata { get; init; }
    public ulong? MetadataMask { get; init; }
    public MacAddress? EthSrc { get; init; }
    public MacAddress? EthDst { get; init; }
    public ushort? EthType { get; init; }
    public IPAddress? Ipv4Src { get; init; }
    public IPAddress? Ipv4Dst { get; init; }
    public byte? IpProto { get; init; }
    public ushort? TpSrc { get; init; }
    public ushort? TpDst { get; init; }
    public ushort? ArpOp { get; init; }
    public IPAddress? ArpSpa { get; init; }
    public IPAddress? ArpTpa { get; init; }

    /// <summary>Renders the match in ovs-ofctl's field syntax, fields in a fixed order.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        void Add(string name, object? value)
        {
            if (value is null)
            {
                return;
            }

            if (text.Length > 0)
            {
                text.Append(',');
            }

            text.Append(name).Append('=').Append(value);
        }

        Add("in_port", InPort);
        Add("metadata", Metadata is { } m ? MetadataMask is { } mask ? $"0x{m:x}/0x{mask:x}" : $"0x{m:x}" : null);
        Add("dl_src", EthSrc);
        Add("dl_dst", EthDst);
        Add("dl_type", EthType is { } t ? $"0x{t:x4}" : null);
        Add("nw_src", Ipv4Src);
        Add("nw_dst", Ipv4Dst);
        Add("nw_proto", IpProto);
        Add("tp_src", TpSrc);
        Add("tp_dst", TpDst);
        Add("arp_op", ArpOp);
        Add("arp_spa", ArpSpa);
        Add("arp_tpa", ArpTpa);
        return text.ToString();
    }
}
