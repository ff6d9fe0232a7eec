using Sdmi.OpenFlow.Wire;

namespace Sdmi.OpenFlow.Messages;

// Section 7.3.4.5 of OpenFlow 1.3.5, "Meter Modification Message".

/// <summary>OFPMC_* meter commands.</summary>
public enum MeterModCommand : ushort
{
    Add = 0,
    Modify = 1,
    Delete = 2,
}

/// <summary>OFPMF_* meter flags.</summary>
[Flags]
public enum MeterFlags : ushort
{
    None = 0,

    /// <summary>Rates in kbit/s.</summary>
    Kbps = 1 << 0,

    /// <summary>Rates in packets per second.</summary>
    PacketsPerSecond = 1 << 1,
    Burst = 1 << 2,
    Stats = 1 << 3,
}

/// <summary>OFPMBT_* meter band types.</summary>
public enum MeterBandType : ushort
{
    Drop = 1,
    DscpRemark = 2,
    Experimenter = 0xffff,
}

/// <summary>Reserved meter ids (<c>enum ofp_meter</c>).</summary>
public static class OfpMeterId
{
    public const uint Max = 0xffff_0000;
    public const uint SlowPath = 0xffff_fffd;
    public const uint Controller = 0xffff_fffe;
    public const uint All = 0xffff_ffff;
}

/// <summary>
/// A meter band (<c>struct ofp_meter_band_header</c>): type (2), len (2), rate (4), burst_size (4),
/// then 4 bytes that depend on the type, and for experimenter bands any further data.
/// </summary>
public abstract record MeterBand(uint Rate, uint BurstSize)
{
    public const int FixedSize = 16;

    public abstract MeterBandType Type { get; }

    public virtual int Length => FixedSize;

    internal void Write(ref WireWriter writer)
    {
        writer.WriteUInt16((ushort)Type);
        writer.WriteUInt16((ushort)Length);
        writer.WriteUInt32(Rate);
        writer.WriteUInt32(BurstSize);
        WriteTail(ref writer);
    }

    private protected abstract void WriteTail(ref WireWriter writer);

    internal static int GetListLength(EquatableArray<MeterBand> bands)
    {
        int length = 0;
        foreach (MeterBand band in bands)
        {
            length += band.Length;
        }

        return length;
    }

    internal static void WriteList(ref WireWriter writer, EquatableArray<MeterBand> bands)
    {
        foreach (MeterBand band in bands)
        {
            band.Write(ref writer);
        }
    }

    /// <summary>
    /// Reads bands until <paramref name="reader"/> is empty, raising OFPMMFC_BAD_BAND for bad
    /// lengths.
    /// </summary>
    internal static EquatableArray<MeterBand> ReadList(ref WireReader reader)
    {
        var bands = new List<MeterBand>();
        while (!reader.IsEmpty)
        {
            if (reader.Remaining < FixedSize)
            {
                throw BadBand(ref reader, $"{reader.Remaining} bytes left, too few for a meter band");
            }

            var type = (MeterBandType)reader.PeekUInt16();
            ushort length = reader.PeekUInt16At(2);
            if (!Enum.IsDefined(type))
            {
                throw BadBand(ref reader, $"meter band type {(ushort)type} is not defined");
            }

            bool fixedSizeType = type is MeterBandType.Drop or MeterBandType.DscpRemark;
            if (length < FixedSize || length > reader.Remaining || (fixedSizeType && length != FixedSize))
            {
                throw BadBand(ref reader, $"meter band {type} has length {length} in {reader.Remaining} bytes");
            }

            WireReader band = reader.ReadNested(
                length,
                OfpErrorType.MeterModFailed,
                (ushort)MeterModFailedCode.BadBand);
            band.Skip(4);
            uint rate = band.ReadUInt32();
            uint burst = band.ReadUInt32();
            bands.Add(type switch
            {
                MeterBandType.Drop => new DropBand(rate, burst),
                MeterBandType.DscpRemark => new DscpRemarkBand(rate, burst, band.ReadUInt8()),
                _ => new ExperimenterBand(
                    rate,
                    burst,
                    band.ReadUInt32(),
                    new EquatableArray<byte>(band.ReadRemaining())),
            });
        }

        return EquatableArray<MeterBand>.FromOwned([.. bands]);
    }

    private static OpenFlowProtocolException BadBand(ref WireReader reader, string reason) =>
        reader.Fail(OfpErrorType.MeterModFailed, (ushort)MeterModFailedCode.BadBand, reason);
}

/// <summary>OFPMBT_DROP: drops packets above <see cref="MeterBand.Rate"/>.</summary>
public sealed record DropBand(uint Rate, uint BurstSize) : MeterBand(Rate, BurstSize)
{
    public override MeterBandType Type => MeterBandType.Drop;

    private protected override void WriteTail(ref WireWriter writer) => writer.WriteZeros(4);
}

/// <summary>
/// OFPMBT_DSCP_REMARK: raises the drop precedence of the DSCP by <see cref="PrecedenceLevel"/>.
/// </summary>
public sealed record DscpRemarkBand(uint Rate, uint BurstSize, byte PrecedenceLevel) : MeterBand(Rate, BurstSize)
{
    public override MeterBandType Type => MeterBandType.DscpRemark;

    private protected override void WriteTail(ref WireWriter writer)
    {
        writer.WriteUInt8(PrecedenceLevel);
        writer.WriteZeros(3);
    }
}

/// <summary>OFPMBT_EXPERIMENTER band; <see cref="Data"/> follows the experimenter id.</summary>
public sealed record ExperimenterBand(uint Rate, uint BurstSize, uint Experimenter, EquatableArray<byte> Data)
    : MeterBand(Rate, BurstSize)
{
    public override MeterBandType Type => MeterBandType.Experimenter;

    public override int Length => FixedSize + Data.Count;

    private protected override void WriteTail(ref WireWriter writer)
    {
        writer.WriteUInt32(Experimenter);
        writer.WriteBytes(Data.AsSpan());
    }
}

/// <summary>
/// OFPT_METER_MOD (<c>struct ofp_meter_mod</c>): command (2), flags (2), meter_id (4), bands.
/// </summary>
public sealed record MeterMod(
    MeterModCommand Command,
    MeterFlags Flags,
    uint MeterId,
    EquatableArray<MeterBand> Bands) : OpenFlowMessage
{
    public const int FixedBodySize = 8;

    public override OfpType Type => OfpType.MeterMod;

    private protected override int BodyLength => FixedBodySize + MeterBand.GetListLength(Bands);

    private protected override void WriteBody(ref WireWriter writer)
    {
        writer.WriteUInt16((ushort)Command);
        writer.WriteUInt16((ushort)Flags);
        writer.WriteUInt32(MeterId);
        MeterBand.WriteList(ref writer, Bands);
    }

    /// <summary>
    /// Reads the body, rejecting an undefined command (OFPMMFC_BAD_COMMAND), and undefined flag bits
    /// or both rate units at once (OFPMMFC_BAD_FLAGS), as Open vSwitch does.
    /// </summary>
    internal static MeterMod ReadBody(ref WireReader reader)
    {
        var command = (MeterModCommand)reader.ReadUInt16();
        if (!Enum.IsDefined(command))
        {
            throw reader.Fail(
                OfpErrorType.MeterModFailed,
                (ushort)MeterModFailedCode.BadCommand,
                $"meter command {(ushort)command} is not defined");
        }

        var flags = (MeterFlags)reader.ReadUInt16();
        const MeterFlags bothUnits = MeterFlags.Kbps | MeterFlags.PacketsPerSecond;
        const MeterFlags allFlags = bothUnits | MeterFlags.Burst | MeterFlags.Stats;
        if ((flags & ~allFlags) != 0 || (flags & bothUnits) == bothUnits)
        {
            throw reader.Fail(
                OfpErrorType.MeterModFailed,
                (ushort)MeterModFailedCode.BadFlags,
                $"meter flags 0x{(ushort)flags:x4} are invalid");
        }

        uint meterId = reader.ReadUInt32();
        return new MeterMod(command, flags, meterId, MeterBand.ReadList(ref reader));
    }
}
