using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Sdmi.OpenFlow.Matching;

/// <summary>
/// Factories for OpenFlow basic OXM fields with typed values. A mask argument of null means an
/// exact match. Fields that the spec does not allow to be masked take no mask argument.
/// </summary>
public static class Oxm
{
    /// <summary>
    /// OFPVID_PRESENT: the bit of vlan_vid that is set when a VLAN tag is present.
    /// </summary>
    public const ushort VlanPresent = 0x1000;

    /// <summary>OFPVID_NONE: vlan_vid value that matches packets without a VLAN tag.</summary>
    public const ushort VlanNone = 0x0000;

    public static OxmField InPort(uint port) => Make(OxmFieldId.InPort, port);

    public static OxmField InPhyPort(uint port) => Make(OxmFieldId.InPhyPort, port);

    public static OxmField Metadata(ulong value, ulong? mask = null) => Make(OxmFieldId.Metadata, value, mask);

    public static OxmField EthDst(MacAddress address, MacAddress? mask = null) =>
        Make(OxmFieldId.EthDst, address.Value, mask?.Value);

    public static OxmField EthSrc(MacAddress address, MacAddress? mask = null) =>
        Make(OxmFieldId.EthSrc, address.Value, mask?.Value);

    public static OxmField EthType(ushort etherType) => Make(OxmFieldId.EthType, etherType);

    /// <summary>
    /// Matches or sets VLAN id <paramref name="vlanId"/> (0-4095) with OFPVID_PRESENT added, which
    /// the spec requires for tagged packets. Use <see cref="VlanVidRaw"/> for OFPVID_NONE or a
    /// value without the present bit.
    /// </summary>
    public static OxmField VlanVid(ushort vlanId)
    {
        if (vlanId > 0x0fff)
        {
            throw new ArgumentOutOfRangeException(nameof(vlanId), vlanId, "A VLAN id has 12 bits (0-4095).");
        }

        return Make(OxmFieldId.VlanVid, (ushort)(vlanId | VlanPresent));
    }

    /// <summary>vlan_vid with the 13-bit wire value as given, for example OFPVID_NONE.</summary>
    public static OxmField VlanVidRaw(ushort value, ushort? mask = null) => Make(OxmFieldId.VlanVid, value, mask);

    public static OxmField VlanPcp(byte priority) => Make(OxmFieldId.VlanPcp, priority);

    public static OxmField IpDscp(byte dscp) => Make(OxmFieldId.IpDscp, dscp);

    public static OxmField IpEcn(byte ecn) => Make(OxmFieldId.IpEcn, ecn);

    public static OxmField IpProto(byte protocol) => Make(OxmFieldId.IpProto, protocol);

    public static OxmField Ipv4Src(IPAddress address, IPAddress? mask = null) =>
        Make(OxmFieldId.Ipv4Src, ToUInt32(address), mask is null ? null : ToUInt32(mask));

    public static OxmField Ipv4Dst(IPAddress address, IPAddress? mask = null) =>
        Make(OxmFieldId.Ipv4Dst, ToUInt32(address), mask is null ? null : ToUInt32(mask));

    public static OxmField TcpSrc(ushort port) => Make(OxmFieldId.TcpSrc, port);

    public static OxmField TcpDst(ushort port) => Make(OxmFieldId.TcpDst, port);

    public static OxmField UdpSrc(ushort port) => Make(OxmFieldId.UdpSrc, port);

    public static OxmField UdpDst(ushort port) => Make(OxmFieldId.UdpDst, port);

    public static OxmField SctpSrc(ushort port) => Make(OxmFieldId.SctpSrc, port);

    public static OxmField SctpDst(ushort port) => Make(OxmFieldId.SctpDst, port);

    public static OxmField Icmpv4Type(byte type) => Make(OxmFieldId.Icmpv4Type, type);

    public static OxmField Icmpv4Code(byte code) => Make(OxmFieldId.Icmpv4Code, code);

    public static OxmField ArpOp(ushort operation) => Make(OxmFieldId.ArpOp, operation);

    public static OxmField ArpSpa(IPAddress address, IPAddress? mask = null) =>
        Make(OxmFieldId.ArpSpa, ToUInt32(address), mask is null ? null : ToUInt32(mask));

    public static OxmField ArpTpa(IPAddress address, IPAddress? mask = null) =>
        Make(OxmFieldId.ArpTpa, ToUInt32(address), mask is null ? null : ToUInt32(mask));

    public static OxmField ArpSha(MacAddress address, MacAddress? mask = null) =>
        Make(OxmFieldId.ArpSha, address.Value, mask?.Value);

    public static OxmField ArpTha(MacAddress address, MacAddress? mask = null) =>
        Make(OxmFieldId.ArpTha, address.Value, mask?.Value);

    public static OxmField Ipv6Src(IPAddress address, IPAddress? mask = null) =>
        MakeIpv6(OxmFieldId.Ipv6Src, address, mask);

    public static OxmField Ipv6Dst(IPAddress address, IPAddress? mask = null) =>
        MakeIpv6(OxmFieldId.Ipv6Dst, address, mask);

    public static OxmField Ipv6Flabel(uint label, uint? mask = null) => Make(OxmFieldId.Ipv6Flabel, label, mask);

    public static OxmField Icmpv6Type(byte type) => Make(OxmFieldId.Icmpv6Type, type);

    public static OxmField Icmpv6Code(byte code) => Make(OxmFieldId.Icmpv6Code, code);

    public static OxmField Ipv6NdTarget(IPAddress address) => MakeIpv6(OxmFieldId.Ipv6NdTarget, address, null);

    public static OxmField Ipv6NdSll(MacAddress address) => Make(OxmFieldId.Ipv6NdSll, address.Value);

    public static OxmField Ipv6NdTll(MacAddress address) => Make(OxmFieldId.Ipv6NdTll, address.Value);

    public static OxmField MplsLabel(uint label) => Make(OxmFieldId.MplsLabel, label);

    public static OxmField MplsTc(byte trafficClass) => Make(OxmFieldId.MplsTc, trafficClass);

    public static OxmField MplsBos(byte bottomOfStack) => Make(OxmFieldId.MplsBos, bottomOfStack);

    public static OxmField PbbIsid(uint isid, uint? mask = null) => Make(OxmFieldId.PbbIsid, isid, mask);

    public static OxmField TunnelId(ulong tunnelId, ulong? mask = null) => Make(OxmFieldId.TunnelId, tunnelId, mask);

    public static OxmField Ipv6Exthdr(ushort flags, ushort? mask = null) => Make(OxmFieldId.Ipv6Exthdr, flags, mask);

    /// <summary>
    /// Builds a basic field from an integer value, truncated or zero-extended to the field's size
    /// in bytes (big-endian). Throws when a mask is given for a field that cannot be masked.
    /// </summary>
    public static OxmField Make(OxmFieldId field, ulong value, ulong? mask = null)
    {
        OxmFieldInfo info = OxmFieldTable.Get(field);
        if (mask is not null && !info.Maskable)
        {
            throw new ArgumentException($"OXM field {field} cannot be masked.", nameof(mask));
        }

        byte[] valueBytes = ToBigEndian(value, info.Size);
        byte[]? maskBytes = mask is null ? null : ToBigEndian(mask.Value, info.Size);
        return new OxmField(
            OxmClass.OpenFlowBasic,
            (byte)field,
            mask is not null,
            EquatableArray<byte>.FromOwned(valueBytes),
            maskBytes is null ? default : EquatableArray<byte>.FromOwned(maskBytes));
    }

    private static OxmField MakeIpv6(OxmFieldId field, IPAddress address, IPAddress? mask)
    {
        byte[] value = ToIpv6Bytes(address, nameof(address));
        byte[]? maskBytes = mask is null ? null : ToIpv6Bytes(mask, nameof(mask));
        return new OxmField(
            OxmClass.OpenFlowBasic,
            (byte)field,
            mask is not null,
            EquatableArray<byte>.FromOwned(value),
            maskBytes is null ? default : EquatableArray<byte>.FromOwned(maskBytes));
    }

    private static byte[] ToIpv6Bytes(IPAddress address, string parameterName)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            throw new ArgumentException($"Expected an IPv6 address, got {address}.", parameterName);
        }

        return address.GetAddressBytes();
    }

    private static uint ToUInt32(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException($"Expected an IPv4 address, got {address}.", nameof(address));
        }

        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        return BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    /// <summary>
    /// Writes the low <paramref name="size"/> bytes of <paramref name="value"/>, zero-extended past
    /// 8 bytes.
    /// </summary>
    private static byte[] ToBigEndian(ulong value, int size)
    {
        Span<byte> buffer = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(buffer, value);
        byte[] bytes = new byte[size];
        int copied = Math.Min(size, 8);
        buffer[(8 - copied)..].CopyTo(bytes.AsSpan(size - copied));
        return bytes;
    }
}
