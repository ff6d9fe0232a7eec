using Sdmi.OpenFlow.Wire;

namespace Sdmi.OpenFlow.Messages;

// Section 7.3.1 and 7.3.2 of OpenFlow 1.3.5: handshake (FEATURES) and switch configuration,
// plus BARRIER (7.3.8) and ROLE (7.3.9), which have fixed bodies as well.

/// <summary>OFPC_* switch capabilities reported in FEATURES_REPLY.</summary>
[Flags]
public enum SwitchCapabilities : uint
{
    None = 0,
    FlowStats = 1 << 0,
    TableStats = 1 << 1,
    PortStats = 1 << 2,
    GroupStats = 1 << 3,
    IpReasm = 1 << 5,
    QueueStats = 1 << 6,
    PortBlocked = 1 << 8,
}

/// <summary>OFPC_FRAG_* handling of IP fragments, set with SET_CONFIG.</summary>
[Flags]
public enum SwitchConfigFlags : ushort
{
    FragNormal = 0,
    FragDrop = 1,
    FragReasm = 2,
    FragMask = 3,
}

/// <summary>OFPCR_ROLE_* controller roles.</summary>
public enum ControllerRole : uint
{
    NoChange = 0,
    Equal = 1,
    Master = 2,
    Slave = 3,
}

/// <summary>OFPT_FEATURES_REQUEST, which has no body.</summary>
public sealed record FeaturesRequest : OpenFlowMessage
{
    public override OfpType Type => OfpType.FeaturesRequest;

    private protected override int BodyLength => 0;

    private protected override void WriteBody(ref WireWriter writer)
    {
    }
}

/// <summary>OFPT_FEATURES_REPLY (<c>struct ofp_switch_features</c>).</summary>
public sealed record FeaturesReply(
    ulong DatapathId,
    uint BufferCount,
    byte TableCount,
    byte AuxiliaryId,
    SwitchCapabilities Capabilities,
    uint Reserved = 0) : OpenFlowMessage
{
    public const int BodySize = 24;

    public override OfpType Type => OfpType.FeaturesReply;

    private protected override int BodyLength => BodySize;

    private protected override void WriteBody(ref WireWriter writer)
    {
        writer.WriteUInt64(DatapathId);
        writer.WriteUInt32(BufferCount);
        writer.WriteUInt8(TableCount);
        writer.WriteUInt8(AuxiliaryId);
        writer.WriteZeros(2);
        writer.WriteUInt32((uint)Capabilities);
        writer.WriteUInt32(Reserved);
    }

    internal static FeaturesReply ReadBody(ref WireReader reader)
    {
        ulong datapathId = reader.ReadUInt64();
        uint buffers = reader.ReadUInt32();
        byte tables = reader.ReadUInt8();
        byte auxiliaryId = reader.ReadUInt8();
        reader.Skip(2);
        var capabilities = (SwitchCapabilities)reader.ReadUInt32();
        uint reserved = reader.ReadUInt32();
        return new FeaturesReply(datapathId, buffers, tables, auxiliaryId, capabilities, reserved);
    }
}

/// <summary>OFPT_GET_CONFIG_REQUEST, which has no body.</summary>
public sealed record GetConfigRequest : OpenFlowMessage
{
    public override OfpType Type => OfpType.GetConfigRequest;

    private protected override int BodyLength => 0;

    private protected override void WriteBody(ref WireWriter writer)
    {
    }
}

/// <summary>
/// OFPT_GET_CONFIG_REPLY or OFPT_SET_CONFIG (<c>struct ofp_switch_config</c>). <see cref="MissSendLength"/>
/// is the number of bytes of a table-miss packet sent to the controller; 0xffff sends it whole.
/// </summary>
public abstract record SwitchConfigMessage(SwitchConfigFlags Flags, ushort MissSendLength) : OpenFlowMessage
{
    public const int BodySize = 4;

    /// <summary>OFP_DEFAULT_MISS_SEND_LEN.</summary>
    public const ushort DefaultMissSendLength = 128;

    private protected override int BodyLength => BodySize;

    private protected override void WriteBody(ref WireWriter writer)
    {
        writer.WriteUInt16((ushort)Flags);
        writer.WriteUInt16(MissSendLength);
    }
}

/// <summary>OFPT_GET_CONFIG_REPLY.</summary>
public sealed record GetConfigReply(SwitchConfigFlags Flags, ushort MissSendLength)
    : SwitchConfigMessage(Flags, MissSendLength)
{
    public override OfpType Type => OfpType.GetConfigReply;
}

/// <summary>OFPT_SET_CONFIG.</summary>
public sealed record SetConfig(
    SwitchConfigFlags Flags,
    ushort MissSendLength = SwitchConfigMessage.DefaultMissSendLength)
    : SwitchConfigMessage(Flags, MissSendLength)
{
    public override OfpType Type => OfpType.SetConfig;
}

/// <summary>
/// OFPT_BARRIER_REQUEST: the switch replies after it has finished all earlier messages.
/// </summary>
public sealed record BarrierRequest : OpenFlowMessage
{
    public override OfpType Type => OfpType.BarrierRequest;

    private protected override int BodyLength => 0;

    private protected override void WriteBody(ref WireWriter writer)
    {
    }
}

/// <summary>OFPT_BARRIER_REPLY.</summary>
public sealed record BarrierReply : OpenFlowMessage
{
    public override OfpType Type => OfpType.BarrierReply;

    private protected override int BodyLength => 0;

    private protected override void WriteBody(ref WireWriter writer)
    {
    }
}

/// <summary>OFPT_ROLE_REQUEST or OFPT_ROLE_REPLY (<c>struct ofp_role_request</c>).</summary>
public abstract record RoleMessage(ControllerRole Role, ulong GenerationId) : OpenFlowMessage
{
    public const int BodySize = 16;

    private protected override int BodyLength => BodySize;

    private protected override void WriteBody(ref WireWriter writer)
    {
        writer.WriteUInt32((uint)Role);
        writer.WriteZeros(4);
        writer.WriteUInt64(GenerationId);
    }

    internal static (ControllerRole Role, ulong GenerationId) ReadFields(ref WireReader reader)
    {
        var role = (ControllerRole)reader.ReadUInt32();
        reader.Skip(4);
        return (role, reader.ReadUInt64());
    }
}

/// <summary>
/// OFPT_ROLE_REQUEST. <see cref="RoleMessage.GenerationId"/> orders master elections.
/// </summary>
public sealed record RoleRequest(ControllerRole Role, ulong GenerationId = 0) : RoleMessage(Role, GenerationId)
{
    public override OfpType Type => OfpType.RoleRequest;
}

/// <summary>OFPT_ROLE_REPLY.</summary>
public sealed record RoleReply(ControllerRole Role, ulong GenerationId) : RoleMessage(Role, GenerationId)
{
    public override OfpType Type => OfpType.RoleReply;
}
