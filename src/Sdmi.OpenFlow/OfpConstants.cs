namespace Sdmi.OpenFlow;

/// <summary>Reserved port numbers (section 7.2.1, <c>enum ofp_port_no</c>).</summary>
public static class OfpPortNo
{
    /// <summary>OFPP_MAX: the highest number of a physical or logical port.</summary>
    public const uint Max = 0xffff_ff00;

    public const uint InPort = 0xffff_fff8;
    public const uint Table = 0xffff_fff9;
    public const uint Normal = 0xffff_fffa;
    public const uint Flood = 0xffff_fffb;
    public const uint All = 0xffff_fffc;
    public const uint Controller = 0xffff_fffd;
    public const uint Local = 0xffff_fffe;

    /// <summary>OFPP_ANY: wildcard port in requests and the "no port" value.</summary>
    public const uint Any = 0xffff_ffff;
}

/// <summary>Reserved group ids (<c>enum ofp_group</c>).</summary>
public static class OfpGroupId
{
    public const uint Max = 0xffff_ff00;
    public const uint All = 0xffff_fffc;
    public const uint Any = 0xffff_ffff;
}

/// <summary>Reserved table ids (<c>enum ofp_table</c>).</summary>
public static class OfpTableId
{
    public const byte Max = 0xfe;

    /// <summary>OFPTT_ALL: every table, in deletes and statistics requests.</summary>
    public const byte All = 0xff;
}

/// <summary>Buffer id constants.</summary>
public static class OfpBufferId
{
    /// <summary>OFP_NO_BUFFER: the packet is not buffered on the switch.</summary>
    public const uint NoBuffer = 0xffff_ffff;
}
