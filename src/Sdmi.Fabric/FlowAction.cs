using System.Net;

namespace Sdmi.Fabric;

/// <summary>One step of a rule's apply-actions list, in switch-independent form.</summary>
public abstract record FlowAction;

/// <summary>Sends the packet out of an OpenFlow port.</summary>
public sealed record OutputAction(uint Port) : FlowAction
{
    /// <summary>OFPP_IN_PORT: the port the packet arrived on.</summary>
    public const uint InPort = 0xfffffff8;

    public override string ToString() => Port == InPort ? "IN_PORT" : $"output:{Port}";
}

public sealed record SetEthSrcAction(MacAddress Mac) : FlowAction
{
    public override string ToString() => $"set_field:{Mac}->eth_src";
}

public sealed record SetEthDstAction(MacAddress Mac) : FlowAction
{
    public override string ToString() => $"set_field:{Mac}->eth_dst";
}

/// <summary>Decrements the IPv4 TTL, as a router does (OFPAT_DEC_NW_TTL).</summary>
public sealed record DecrementTtlAction : FlowAction
{
    public static readonly DecrementTtlAction Instance = new();

    public override string ToString() => "dec_ttl";
}

/// <summary>
/// Turns an ARP request into the reply for <paramref name="Address"/> at <paramref name="Mac"/>, OVN
/// style: the requester's MAC and IPv4 address move into the target fields, the resolved MAC and address go into the
/// sender fields, and the opcode becomes 2. The caller outputs the packet to IN_PORT afterwards.
/// Needs the Nicira register-move action, which Open vSwitch supports under OpenFlow 1.3.
/// </summary>
public sealed record ArpReplyAction(IPAddress Address, MacAddress Mac) : FlowAction
{
    public override string ToString() =>
        $"move:eth_src->eth_dst,set_field:{Mac}->eth_src,set_field:2->arp_op,move:arp_sha->arp_tha,"
        + $"set_field:{Mac}->arp_sha,move:arp_spa->arp_tpa,set_field:{Address}->arp_spa";
}
