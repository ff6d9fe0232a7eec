using Sdmi.OpenFlow.Matching;
using Sdmi.OpenFlow.Wire;

namespace Sdmi.OpenFlow.Messages;

// Section 7.3.4.3 (OFPT_TABLE_MOD) and 7.3.4.4 (OFPT_PORT_MOD) of OpenFlow 1.3.5.

/// <summary>
/// OFPT_PORT_MOD (<c>struct ofp_port_mod</c>): port_no (4), 4 pad, hw_addr (6), 2 pad, config (4),
/// mask (4), advertise (4), 4 pad. Only the <see cref="Config"/> bits selected by <see cref="Mask"/> change.
/// </summary>
public sealed record PortMod(
    uint PortNo,
    MacAddress HardwareAddress,
    PortConfig Config,
    PortConfig Mask,
    PortFeatures Advertise) : OpenFlowMessage
{
    public const int BodySize = 32;

    public override OfpType Type => OfpType.PortMod;

    private protected override int BodyLength => BodySize;

    private protected override void WriteBody(ref WireWriter writer)
    {
        writer.WriteUInt32(PortNo);
        writer.WriteZeros(4);
        Span<byte> address = stackalloc byte[MacAddress.Size];
        HardwareAddress.WriteTo(address);
        writer.WriteBytes(address);
        writer.WriteZeros(2);
        writer.WriteUInt32((uint)Config);
        writer.WriteUInt32((uint)Mask);
        writer.WriteUInt32((uint)Advertise);
        writer.WriteZeros(4);
    }

    internal static PortMod ReadBody(ref WireReader reader)
    {
        uint portNo = reader.ReadUInt32();
        reader.Skip(4);
        MacAddress address = MacAddress.Read(reader.ReadBytes(MacAddress.Size));
        reader.Skip(2);
        var config = (PortConfig)reader.ReadUInt32();
        var mask = (PortConfig)reader.ReadUInt32();
        var advertise = (PortFeatures)reader.ReadUInt32();
        reader.Skip(4);
        return new PortMod(portNo, address, config, mask, advertise);
    }
}

/// <summary>
/// OFPT_TABLE_MOD (<c>struct ofp_table_mod</c>): table_id (1), 3 pad, config (4). OpenFlow 1.3
/// defines no config bits (OFPTC_DEPRECATED_MASK is 3), so <see cref="Config"/> is usually 0.
/// </summary>
public sealed record TableMod(byte TableId, uint Config = 0) : OpenFlowMessage
{
    public const int BodySize = 8;

    public override OfpType Type => OfpType.TableMod;

    private protected override int BodyLength => BodySize;

    private protected override void WriteBody(ref WireWriter writer)
    {
        writer.WriteUInt8(TableId);
        writer.WriteZeros(3);
        writer.WriteUInt32(Config);
    }

    internal static TableMod ReadBody(ref WireReader reader)
    {
        byte tableId = reader.ReadUInt8();
        reader.Skip(3);
        return new TableMod(tableId, reader.ReadUInt32());
    }
}

/// <summary>
/// Bit masks of asynchronous messages a controller receives (<c>struct ofp_async_config</c>).
/// Index 0 applies in the master or equal role, index 1 in the slave role. Bit n enables reason n.
/// </summary>
public abstract record AsyncConfigMessage(
    uint PacketInMaskMaster,
    uint PacketInMaskSlave,
    uint PortStatusMaskMaster,
    uint PortStatusMaskSlave,
    uint FlowRemovedMaskMaster,
    uint FlowRemovedMaskSlave) : OpenFlowMessage
{
    public const int BodySize = 24;

    private protected override int BodyLength => BodySize;

    private protected override void WriteBody(ref WireWriter writer)
    {
        writer.WriteUInt32(PacketInMaskMaster);
        writer.WriteUInt32(PacketInMaskSlave);
        writer.WriteUInt32(PortStatusMaskMaster);
        writer.WriteUInt32(PortStatusMaskSlave);
        writer.WriteUInt32(FlowRemovedMaskMaster);
        writer.WriteUInt32(FlowRemovedMaskSlave);
    }
}

/// <summary>OFPT_GET_ASYNC_REQUEST, which has no body.</summary>
public sealed record GetAsyncRequest : OpenFlowMessage
{
    public override OfpType Type => OfpType.GetAsyncRequest;

    private protected override int BodyLength => 0;

    private protected override void WriteBody(ref WireWriter writer)
    {
    }
}

/// <summary>OFPT_GET_ASYNC_REPLY (section 7.3.10).</summary>
public sealed record GetAsyncReply(
    uint PacketInMaskMaster,
    uint PacketInMaskSlave,
    uint PortStatusMaskMaster,
    uint PortStatusMaskSlave,
    uint FlowRemovedMaskMaster,
    uint FlowRemovedMaskSlave)
    : AsyncConfigMessage(
        PacketInMaskMaster, PacketInMaskSlave, PortStatusMaskMaster, PortStatusMaskSlave, FlowRemovedMaskMaster,
        FlowRemovedMaskSlave)
{
    public override OfpType Type => OfpType.GetAsyncReply;

    // Arguments are evaluated left to right, which is the order of the fields on the wire.
    internal static GetAsyncReply ReadBody(ref WireReader reader) => new(
        reader.ReadUInt32(), reader.ReadUInt32(), reader.ReadUInt32(),
        reader.ReadUInt32(), reader.ReadUInt32(), reader.ReadUInt32());
}

/// <summary>OFPT_SET_ASYNC (section 7.3.10).</summary>
public sealed record SetAsync(
    uint PacketInMaskMaster,
    uint PacketInMaskSlave,
    uint PortStatusMaskMaster,
    uint PortStatusMaskSlave,
    uint FlowRemovedMaskMaster,
    uint FlowRemovedMaskSlave)
    : AsyncConfigMessage(
        PacketInMaskMaster, PacketInMaskSlave, PortStatusMaskMaster, PortStatusMaskSlave, FlowRemovedMaskMaster,
        FlowRemovedMaskSlave)
{
    public override OfpType Type => OfpType.SetAsync;

    internal static SetAsync ReadBody(ref WireReader reader) => new(
        reader.ReadUInt32(), reader.ReadUInt32(), reader.ReadUInt32(),
        reader.ReadUInt32(), reader.ReadUInt32(), reader.ReadUInt32());
}
