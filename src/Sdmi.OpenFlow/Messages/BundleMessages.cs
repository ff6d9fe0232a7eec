using Sdmi.OpenFlow.Actions;
using Sdmi.OpenFlow.Wire;

namespace Sdmi.OpenFlow.Messages;

// The ONF bundle extension for OpenFlow 1.3 (ONF extension 230), as Open vSwitch implements it:
// the OpenFlow 1.4 bundle bodies carried in OFPT_EXPERIMENTER messages with experimenter id
// 0x4f4e4600 and exp_type 2300 (control) or 2301 (add message).

/// <summary>OFPBCT_* bundle control message types.</summary>
public enum BundleControlType : ushort
{
    OpenRequest = 0,
    OpenReply = 1,
    CloseRequest = 2,
    CloseReply = 3,
    CommitRequest = 4,
    CommitReply = 5,
    DiscardRequest = 6,
    DiscardReply = 7,
}

/// <summary>OFPBF_* bundle flags.</summary>
[Flags]
public enum BundleFlags : ushort
{
    None = 0,

    /// <summary>OFPBF_ATOMIC: the switch applies all messages of the bundle or none.</summary>
    Atomic = 1 << 0,

    /// <summary>
    /// OFPBF_ORDERED: the switch applies the messages in the order they were added.
    /// </summary>
    Ordered = 1 << 1,
}

/// <summary>Experimenter types of the ONF bundle extension.</summary>
public static class OnfExperimenterTypes
{
    /// <summary>ONFT_BUNDLE_CONTROL.</summary>
    public const uint BundleControl = 2300;

    /// <summary>ONFT_BUNDLE_ADD_MESSAGE.</summary>
    public const uint BundleAddMessage = 2301;
}

/// <summary>
/// ONFT_BUNDLE_CONTROL: opens, closes, commits or discards bundle <see cref="BundleId"/>, or
/// replies to such a request. <see cref="Properties"/> contains any bundle properties as raw bytes.
/// Open vSwitch sends none.
/// </summary>
public sealed record BundleControlMessage(
    uint BundleId,
    BundleControlType ControlType,
    BundleFlags Flags = BundleFlags.None,
    EquatableArray<byte> Properties = default) : OpenFlowMessage
{
    /// <summary>Experimenter id, exp_type, bundle_id, type and flags.</summary>
    public const int FixedBodySize = 16;

    public override OfpType Type => OfpType.Experimenter;

    private protected override int BodyLength => FixedBodySize + Properties.Count;

    private protected override void WriteBody(ref WireWriter writer)
    {
        writer.WriteUInt32(ExperimenterIds.OpenNetworkingFoundation);
        writer.WriteUInt32(OnfExperimenterTypes.BundleControl);
        writer.WriteUInt32(BundleId);
        writer.WriteUInt16((ushort)ControlType);
        writer.WriteUInt16((ushort)Flags);
        writer.WriteBytes(Properties.AsSpan());
    }

    /// <summary>Reads the body after the experimenter id and type.</summary>
    internal static BundleControlMessage ReadBody(ref WireReader reader)
    {
        uint bundleId = reader.ReadUInt32();
        var type = (BundleControlType)reader.ReadUInt16();
        var flags = (BundleFlags)reader.ReadUInt16();
        return new BundleControlMessage(bundleId, type, flags, new EquatableArray<byte>(reader.ReadRemaining()));
    }
}

/// <summary>
/// ONFT_BUNDLE_ADD_MESSAGE: adds <see cref="Message"/> to bundle <see cref="BundleId"/>. Open vSwitch
/// expects the xid of this message to equal the xid of the embedded one, which
/// <see cref="Create"/> arranges. <see cref="Properties"/> contains the raw bytes after the embedded message.
/// </summary>
public sealed record BundleAddMessage(
    uint BundleId,
    BundleFlags Flags,
    OpenFlowMessage Message,
    EquatableArray<byte> Properties = default) : OpenFlowMessage
{
    /// <summary>Experimenter id, exp_type, bundle_id, 2 bytes of padding and flags.</summary>
    public const int FixedBodySize = 16;

    public override OfpType Type => OfpType.Experimenter;

    private protected override int BodyLength => FixedBodySize + Message.Length + Properties.Count;

    /// <summary>
    /// Wraps <paramref name="message"/> with the xid of the embedded message on both.
    /// </summary>
    public static BundleAddMessage Create(uint bundleId, BundleFlags flags, OpenFlowMessage message) =>
        new(bundleId, flags, message) { Xid = message.Xid };

    private protected override void WriteBody(ref WireWriter writer)
    {
        writer.WriteUInt32(ExperimenterIds.OpenNetworkingFoundation);
        writer.WriteUInt32(OnfExperimenterTypes.BundleAddMessage);
        writer.WriteUInt32(BundleId);
        writer.WriteZeros(2);
        writer.WriteUInt16((ushort)Flags);
        int innerLength = Message.WriteTo(writer.GetSpan());
        writer.Advance(innerLength);
        writer.WriteBytes(Properties.AsSpan());
    }

    /// <summary>Reads the body after the experimenter id and type.</summary>
    internal static BundleAddMessage ReadBody(ref WireReader reader)
    {
        uint bundleId = reader.ReadUInt32();
        reader.Skip(2);
        var flags = (BundleFlags)reader.ReadUInt16();
        int offset = reader.Offset;
        if (reader.Remaining < OfpHeader.Size)
        {
            throw reader.FailLength($"bundle add has {reader.Remaining} bytes left, too few for the embedded header");
        }

        ushort innerLength = reader.PeekUInt16At(2);
        if (innerLength < OfpHeader.Size || innerLength > reader.Remaining)
        {
            throw reader.FailLength(
                $"embedded message length {innerLength} does not fit the {reader.Remaining} bytes left");
        }

        OpenFlowMessage inner = OpenFlowCodec.DecodeExact(reader.ReadBytes(innerLength), offset);
        return new BundleAddMessage(bundleId, flags, inner, new EquatableArray<byte>(reader.ReadRemaining()));
    }
}
