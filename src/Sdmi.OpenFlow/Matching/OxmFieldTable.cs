namespace Sdmi.OpenFlow.Matching;

/// <summary>
/// Value size, maskability and prerequisite of one OpenFlow basic field (section 7.2.3.7,
/// table 12). A prerequisite is an exact value of another field that the match must contain.
/// </summary>
public sealed record OxmFieldInfo(
    OxmFieldId Field,
    int Size,
    bool Maskable,
    OxmPrerequisite? Prerequisite = null);

/// <summary>
/// A field that the match must also contain, with one of <see cref="Values"/> as its exact value,
/// or with any value when <see cref="Values"/> is empty. The prerequisite of <see cref="Field"/>
/// applies in turn.
/// </summary>
public sealed record OxmPrerequisite(OxmFieldId Field, EquatableArray<ulong> Values);

/// <summary>Lookup of <see cref="OxmFieldInfo"/> for the OpenFlow basic class.</summary>
public static class OxmFieldTable
{
    public const ushort EthTypeIpv4 = 0x0800;
    public const ushort EthTypeArp = 0x0806;
    public const ushort EthTypeIpv6 = 0x86dd;
    public const ushort EthTypeMpls = 0x8847;
    public const ushort EthTypeMplsMulticast = 0x8848;
    public const ushort EthTypePbb = 0x88e7;
    public const byte IpProtoIcmp = 1;
    public const byte IpProtoTcp = 6;
    public const byte IpProtoUdp = 17;
    public const byte IpProtoSctp = 132;
    public const byte IpProtoIcmpv6 = 58;

    private static readonly OxmPrerequisite IpAny = new(OxmFieldId.EthType, [EthTypeIpv4, EthTypeIpv6]);
    private static readonly OxmPrerequisite Ipv4 = new(OxmFieldId.EthType, [EthTypeIpv4]);
    private static readonly OxmPrerequisite Ipv6 = new(OxmFieldId.EthType, [EthTypeIpv6]);
    private static readonly OxmPrerequisite Arp = new(OxmFieldId.EthType, [EthTypeArp]);
    private static readonly OxmPrerequisite Mpls =
        new(OxmFieldId.EthType, [EthTypeMpls, EthTypeMplsMulticast]);

    private static readonly OxmPrerequisite Tcp = new(OxmFieldId.IpProto, [IpProtoTcp]);
    private static readonly OxmPrerequisite Udp = new(OxmFieldId.IpProto, [IpProtoUdp]);
    private static readonly OxmPrerequisite Sctp = new(OxmFieldId.IpProto, [IpProtoSctp]);
    private static readonly OxmPrerequisite Icmp = new(OxmFieldId.IpProto, [IpProtoIcmp]);
    private static readonly OxmPrerequisite Icmpv6 = new(OxmFieldId.IpProto, [IpProtoIcmpv6]);

    // ND fields need icmpv6_type 135 (neighbor solicitation) or 136 (advertisement).
    private static readonly OxmPrerequisite NdTarget = new(OxmFieldId.Icmpv6Type, [135, 136]);
    private static readonly OxmPrerequisite NdSll = new(OxmFieldId.Icmpv6Type, [135]);
    private static readonly OxmPrerequisite NdTll = new(OxmFieldId.Icmpv6Type, [136]);

    private static readonly OxmFieldInfo[] Fields =
    [
        new(OxmFieldId.InPort, 4, false),
        new(OxmFieldId.InPhyPort, 4, false, new OxmPrerequisite(OxmFieldId.InPort, [])),
        new(OxmFieldId.Metadata, 8, true),
        new(OxmFieldId.EthDst, 6, true),
        new(OxmFieldId.EthSrc, 6, true),
        new(OxmFieldId.EthType, 2, false),
        new(OxmFieldId.VlanVid, 2, true),
        new(OxmFieldId.VlanPcp, 1, false, new OxmPrerequisite(OxmFieldId.VlanVid, [])),
        new(OxmFieldId.IpDscp, 1, false, IpAny),
        new(OxmFieldId.IpEcn, 1, false, IpAny),
        new(OxmFieldId.IpProto, 1, false, IpAny),
        new(OxmFieldId.Ipv4Src, 4, true, Ipv4),
        new(OxmFieldId.Ipv4Dst, 4, true, Ipv4),
        new(OxmFieldId.TcpSrc, 2, false, Tcp),
        new(OxmFieldId.TcpDst, 2, false, Tcp),
        new(OxmFieldId.UdpSrc, 2, false, Udp),
        new(OxmFieldId.UdpDst, 2, false, Udp),
        new(OxmFieldId.SctpSrc, 2, false, Sctp),
        new(OxmFieldId.SctpDst, 2, false, Sctp),
        new(OxmFieldId.Icmpv4Type, 1, false, Icmp),
        new(OxmFieldId.Icmpv4Code, 1, false, Icmp),
        new(OxmFieldId.ArpOp, 2, false, Arp),
        new(OxmFieldId.ArpSpa, 4, true, Arp),
        new(OxmFieldId.ArpTpa, 4, true, Arp),
        new(OxmFieldId.ArpSha, 6, true, Arp),
        new(OxmFieldId.ArpTha, 6, true, Arp),
        new(OxmFieldId.Ipv6Src, 16, true, Ipv6),
        new(OxmFieldId.Ipv6Dst, 16, true, Ipv6),
        new(OxmFieldId.Ipv6Flabel, 4, true, Ipv6),
        new(OxmFieldId.Icmpv6Type, 1, false, Icmpv6),
        new(OxmFieldId.Icmpv6Code, 1, false, Icmpv6),
        new(OxmFieldId.Ipv6NdTarget, 16, false, NdTarget),
        new(OxmFieldId.Ipv6NdSll, 6, false, NdSll),
        new(OxmFieldId.Ipv6NdTll, 6, false, NdTll),
        new(OxmFieldId.MplsLabel, 4, false, Mpls),
        new(OxmFieldId.MplsTc, 1, false, Mpls),
        new(OxmFieldId.MplsBos, 1, false, Mpls),
        new(OxmFieldId.PbbIsid, 3, true, new OxmPrerequisite(OxmFieldId.EthType, [EthTypePbb])),
        new(OxmFieldId.TunnelId, 8, true),
        new(OxmFieldId.Ipv6Exthdr, 2, true, Ipv6),
    ];

    /// <summary>Returns the description of <paramref name="field"/>.</summary>
    public static OxmFieldInfo Get(OxmFieldId field) => Fields[(int)field];

    /// <summary>
    /// Looks up a basic field by its 7-bit number; false for numbers 1.3 does not define.
    /// </summary>
    public static bool TryGet(byte field, out OxmFieldInfo info)
    {
        if (field < Fields.Length)
        {
            info = Fields[field];
            return true;
        }

        info = null!;
        return false;
    }
}
