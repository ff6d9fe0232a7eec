namespace Sdmi.OpenFlow.Matching;

/// <summary>OXM classes (section 7.2.3.2, <c>enum ofp_oxm_class</c>).</summary>
public static class OxmClass
{
    /// <summary>OFPXMC_NXM_0, the Nicira NXM_OF_* fields that Open vSwitch still accepts.</summary>
    public const ushort Nxm0 = 0x0000;

    /// <summary>
    /// OFPXMC_NXM_1, the Nicira NXM_NX_* fields such as registers and ARP hardware addresses.
    /// </summary>
    public const ushort Nxm1 = 0x0001;

    /// <summary>OFPXMC_OPENFLOW_BASIC, the fields of <see cref="OxmFieldId"/>.</summary>
    public const ushort OpenFlowBasic = 0x8000;

    /// <summary>OFPXMC_EXPERIMENTER: a 32-bit experimenter id follows the OXM header.</summary>
    public const ushort Experimenter = 0xffff;
}

/// <summary>
/// OpenFlow basic match fields (section 7.2.3.7, <c>enum oxm_ofb_match_fields</c>). Each member is
/// the spec's OFPXMT_OFB_* name in PascalCase.
/// </summary>
public enum OxmFieldId : byte
{
    InPort = 0,
    InPhyPort = 1,
    Metadata = 2,
    EthDst = 3,
    EthSrc = 4,
    EthType = 5,
    VlanVid = 6,
    VlanPcp = 7,
    IpDscp = 8,
    IpEcn = 9,
    IpProto = 10,
    Ipv4Src = 11,
    Ipv4Dst = 12,
    TcpSrc = 13,
    TcpDst = 14,
    UdpSrc = 15,
    UdpDst = 16,
    SctpSrc = 17,
    SctpDst = 18,
    Icmpv4Type = 19,
    Icmpv4Code = 20,
    ArpOp = 21,
    ArpSpa = 22,
    ArpTpa = 23,
    ArpSha = 24,
    ArpTha = 25,
    Ipv6Src = 26,
    Ipv6Dst = 27,
    Ipv6Flabel = 28,
    Icmpv6Type = 29,
    Icmpv6Code = 30,
    Ipv6NdTarget = 31,
    Ipv6NdSll = 32,
    Ipv6NdTll = 33,
    MplsLabel = 34,
    MplsTc = 35,
    MplsBos = 36,
    PbbIsid = 37,
    TunnelId = 38,
    Ipv6Exthdr = 39,
}

/// <summary>
/// 32-bit OXM and NXM headers (class, field, has-mask bit and payload length) as used by
/// set_field and by the Nicira NXAST_REG_MOVE action. Values have no mask bit set.
/// </summary>
public static class OxmHeaders
{
    public const uint EthDst = 0x8000_0606;
    public const uint EthSrc = 0x8000_0806;
    public const uint ArpSpa = 0x8000_2c04;
    public const uint ArpTpa = 0x8000_2e04;
    public const uint ArpSha = 0x8000_3006;
    public const uint ArpTha = 0x8000_3206;

    /// <summary>
    /// NXM_OF_ETH_DST, the Nicira form of eth_dst that Open vSwitch prints and accepts.
    /// </summary>
    public const uint NxmOfEthDst = 0x0000_0206;

    /// <summary>NXM_OF_ETH_SRC.</summary>
    public const uint NxmOfEthSrc = 0x0000_0406;

    /// <summary>NXM_OF_ARP_SPA.</summary>
    public const uint NxmOfArpSpa = 0x0000_2004;

    /// <summary>NXM_OF_ARP_TPA.</summary>
    public const uint NxmOfArpTpa = 0x0000_2204;

    /// <summary>NXM_NX_ARP_SHA.</summary>
    public const uint NxmNxArpSha = 0x0001_2206;

    /// <summary>NXM_NX_ARP_THA.</summary>
    public const uint NxmNxArpTha = 0x0001_2406;

    /// <summary>
    /// Builds a header from its parts. <paramref name="payloadLength"/> counts value and mask
    /// bytes.
    /// </summary>
    public static uint Make(ushort oxmClass, byte field, bool hasMask, byte payloadLength) =>
        ((uint)oxmClass << 16) | ((uint)(field & 0x7f) << 9) | (hasMask ? 0x100u : 0u) | payloadLength;

    /// <summary>Builds the header of an OpenFlow basic field without a mask.</summary>
    public static uint Make(OxmFieldId field) =>
        Make(OxmClass.OpenFlowBasic, (byte)field, false, (byte)OxmFieldTable.Get(field).Size);

    public static ushort GetClass(uint header) => (ushort)(header >> 16);

    public static byte GetField(uint header) => (byte)((header >> 9) & 0x7f);

    public static bool GetHasMask(uint header) => (header & 0x100) != 0;

    public static byte GetPayloadLength(uint header) => (byte)header;
}
