using Sdmi.OpenFlow.Matching;
using Sdmi.OpenFlow.Wire;

namespace Sdmi.OpenFlow.Actions;

/// <summary>Experimenter ids used by Open vSwitch.</summary>
public static class ExperimenterIds
{
    /// <summary>
    /// NX_VENDOR_ID, Nicira's experimenter id for NXAST_* actions and NXM fields.
    /// </summary>
    public const uint Nicira = 0x0000_2320;

    /// <summary>ONF_EXPERIMENTER_ID, used by the OpenFlow 1.3 bundle extension.</summary>
    public const uint OpenNetworkingFoundation = 0x4f4e_4600;
}

/// <summary>
/// OFPAT_EXPERIMENTER action kept as raw bytes (section 7.2.5.12). <see cref="Data"/> is everything
/// after the experimenter id, padding included, so that the action length is a multiple of 8.
/// </summary>
public sealed record ExperimenterAction(uint Experimenter, EquatableArray<byte> Data) : OfpAction
{
    public override OfpActionType Type => OfpActionType.Experimenter;

    public override int Length => HeaderSize + 4 + Data.Count;

    private protected override void WriteBody(ref WireWriter writer)
    {
        writer.WriteUInt32(Experimenter);
        writer.WriteBytes(Data.AsSpan());
    }
}

/// <summary>
/// Nicira NXAST_REG_MOVE: copies <see cref="NBits"/> bits starting at bit <see cref="SourceOffset"/>
/// of field <see cref="Source"/> to bit <see cref="DestinationOffset"/> of field <see cref="Destination"/>.
/// The fields are 32-bit OXM or NXM headers without a mask, for example
/// <see cref="OxmHeaders.EthSrc"/>. Open vSwitch's ARP responder swaps addresses with it.
/// </summary>
public sealed record NxRegMoveAction(
    ushort NBits,
    ushort SourceOffset,
    ushort DestinationOffset,
    uint Source,
    uint Destination) : OfpAction
{
    /// <summary>NXAST_REG_MOVE subtype.</summary>
    public const ushort Subtype = 6;

    /// <summary>
    /// Size with 4-byte field headers: 16 bytes of NX action header and offsets, then two headers.
    /// </summary>
    public const int Size = 24;

    public override OfpActionType Type => OfpActionType.Experimenter;

    public override int Length => Size;

    /// <summary>
    /// Copies all of field <paramref name="source"/> to field <paramref name="destination"/>.
    /// </summary>
    public static NxRegMoveAction MoveWholeField(uint source, uint destination)
    {
        int sourceBits = OxmHeaders.GetPayloadLength(source) * 8;
        int destinationBits = OxmHeaders.GetPayloadLength(destination) * 8;
        if (sourceBits != destinationBits)
        {
            throw new ArgumentException(
                $"Field 0x{source:x8} has {sourceBits} bits but field 0x{destination:x8} has {destinationBits}.");
        }

        return new NxRegMoveAction((ushort)sourceBits, 0, 0, source, destination);
    }

    private protected override void WriteBody(ref WireWriter writer)
    {
        writer.WriteUInt32(ExperimenterIds.Nicira);
        writer.WriteUInt16(Subtype);
        writer.WriteUInt16(NBits);
        writer.WriteUInt16(SourceOffset);
        writer.WriteUInt16(DestinationOffset);
        writer.WriteUInt32(Source);
        writer.WriteUInt32(Destination);
    }

    /// <summary>
    /// Reads the fields after the subtype. The caller checked the size and the header classes.
    /// </summary>
    internal static NxRegMoveAction ReadAfterSubtype(ref WireReader body) =>
        new(body.ReadUInt16(), body.ReadUInt16(), body.ReadUInt16(), body.ReadUInt32(), body.ReadUInt32());
}

internal static class ExperimenterActions
{
    private const int NxSubtypeOffset = 4;
    private const int NxRegMoveSourceOffset = 12;
    private const int NxRegMoveDestinationOffset = 16;

    /// <summary>
    /// Decodes an experimenter action body. NXAST_REG_MOVE with 4-byte field headers becomes
    /// <see cref="NxRegMoveAction"/>; everything else stays an <see cref="ExperimenterAction"/>.
    /// </summary>
    public static OfpAction ReadBody(ref WireReader body)
    {
        if (body.Remaining < 4)
        {
            throw body.FailLength("experimenter action is too short for its experimenter id");
        }

        if (IsTypedRegMove(ref body))
        {
            body.Skip(NxSubtypeOffset + 2);
            return NxRegMoveAction.ReadAfterSubtype(ref body);
        }

        uint experimenter = body.ReadUInt32();
        return new ExperimenterAction(experimenter, new EquatableArray<byte>(body.ReadRemaining()));
    }

    private static bool IsTypedRegMove(ref WireReader body)
    {
        if (body.Remaining != NxRegMoveAction.Size - OfpAction.HeaderSize)
        {
            return false;
        }

        uint experimenter = ((uint)body.PeekUInt16() << 16) | body.PeekUInt16At(2);
        if (experimenter != ExperimenterIds.Nicira || body.PeekUInt16At(NxSubtypeOffset) != NxRegMoveAction.Subtype)
        {
            return false;
        }

        // An experimenter-class field header is 8 bytes long, so the fixed layout does not apply.
        return body.PeekUInt16At(NxRegMoveSourceOffset) != OxmClass.Experimenter
            && body.PeekUInt16At(NxRegMoveDestinationOffset) != OxmClass.Experimenter;
    }
}
