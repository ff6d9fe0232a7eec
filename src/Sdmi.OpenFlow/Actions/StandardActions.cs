using Sdmi.OpenFlow.Matching;
using Sdmi.OpenFlow.Wire;

namespace Sdmi.OpenFlow.Actions;

// Section 7.2.5 of OpenFlow 1.3.5, "Action Structures".

/// <summary>
/// OFPAT_OUTPUT: sends the packet to <see cref="Port"/>, at most <see cref="MaxLength"/> bytes to
/// the controller.
/// </summary>
public sealed record OutputAction(uint Port, ushort MaxLength = OutputAction.NoBuffer) : OfpAction
{
    /// <summary>
    /// OFPCML_NO_BUFFER: send the whole packet to the controller without buffering it.
    /// </summary>
    public const ushort NoBuffer = 0xffff;

    public const int Size = 16;

    public override OfpActionType Type => OfpActionType.Output;

    public override int Length => Size;

    private protected override void WriteBody(ref WireWriter writer)
    {
        writer.WriteUInt32(Port);
        writer.WriteUInt16(MaxLength);
        writer.WriteZeros(6);
    }

    internal static OutputAction ReadBody(ref WireReader body)
    {
        RequireLength(ref body, OfpActionType.Output, Size);
        uint port = body.ReadUInt32();
        ushort maxLength = body.ReadUInt16();
        return new OutputAction(port, maxLength);
    }
}

/// <summary>OFPAT_GROUP: processes the packet through group <see cref="GroupId"/>.</summary>
public sealed record GroupAction(uint GroupId) : OfpAction
{
    public override OfpActionType Type => OfpActionType.Group;

    public override int Length => 8;

    private protected override void WriteBody(ref WireWriter writer) => writer.WriteUInt32(GroupId);
}

/// <summary>OFPAT_SET_QUEUE: selects queue <see cref="QueueId"/> of the output port.</summary>
public sealed record SetQueueAction(uint QueueId) : OfpAction
{
    public override OfpActionType Type => OfpActionType.SetQueue;

    public override int Length => 8;

    private protected override void WriteBody(ref WireWriter writer) => writer.WriteUInt32(QueueId);
}

/// <summary>OFPAT_SET_MPLS_TTL.</summary>
public sealed record SetMplsTtlAction(byte Ttl) : OfpAction
{
    public override OfpActionType Type => OfpActionType.SetMplsTtl;

    public override int Length => 8;

    private protected override void WriteBody(ref WireWriter writer)
    {
        writer.WriteUInt8(Ttl);
        writer.WriteZeros(3);
    }
}

/// <summary>OFPAT_SET_NW_TTL: sets the IPv4 TTL or IPv6 hop limit.</summary>
public sealed record SetNwTtlAction(byte Ttl) : OfpAction
{
    public override OfpActionType Type => OfpActionType.SetNwTtl;

    public override int Length => 8;

    private protected override void WriteBody(ref WireWriter writer)
    {
        writer.WriteUInt8(Ttl);
        writer.WriteZeros(3);
    }
}

/// <summary>
/// An action without arguments: OFPAT_COPY_TTL_OUT, COPY_TTL_IN, DEC_MPLS_TTL, POP_VLAN,
/// DEC_NW_TTL or POP_PBB. Use the shared instances such as <see cref="DecNwTtl"/>.
/// </summary>
public sealed record SimpleAction : OfpAction
{
    private readonly OfpActionType _type;

    private SimpleAction(OfpActionType type)
    {
        _type = type;
    }

    public static SimpleAction CopyTtlOut { get; } = new(OfpActionType.CopyTtlOut);

    public static SimpleAction CopyTtlIn { get; } = new(OfpActionType.CopyTtlIn);

    public static SimpleAction DecMplsTtl { get; } = new(OfpActionType.DecMplsTtl);

    public static SimpleAction PopVlan { get; } = new(OfpActionType.PopVlan);

    public static SimpleAction DecNwTtl { get; } = new(OfpActionType.DecNwTtl);

    public static SimpleAction PopPbb { get; } = new(OfpActionType.PopPbb);

    public override OfpActionType Type => _type;

    public override int Length => 8;

    private protected override void WriteBody(ref WireWriter writer) => writer.WriteZeros(4);

    internal static SimpleAction For(OfpActionType type) => type switch
    {
        OfpActionType.CopyTtlOut => CopyTtlOut,
        OfpActionType.CopyTtlIn => CopyTtlIn,
        OfpActionType.DecMplsTtl => DecMplsTtl,
        OfpActionType.PopVlan => PopVlan,
        OfpActionType.DecNwTtl => DecNwTtl,
        OfpActionType.PopPbb => PopPbb,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Action type has arguments."),
    };

    public override string ToString() => $"{_type}Action";
}

/// <summary>
/// An action whose only argument is an EtherType: OFPAT_PUSH_VLAN, PUSH_MPLS, POP_MPLS or PUSH_PBB.
/// </summary>
public sealed record EtherTypeAction : OfpAction
{
    /// <summary>EtherType of an 802.1Q VLAN tag.</summary>
    public const ushort Vlan8021Q = 0x8100;

    /// <summary>EtherType of an 802.1ad service VLAN tag.</summary>
    public const ushort Vlan8021AD = 0x88a8;

    private readonly OfpActionType _type;

    private EtherTypeAction(OfpActionType type, ushort etherType)
    {
        _type = type;
        EtherType = etherType;
    }

    public ushort EtherType { get; }

    public override OfpActionType Type => _type;

    public override int Length => 8;

    public static EtherTypeAction PushVlan(ushort etherType = Vlan8021Q) => new(OfpActionType.PushVlan, etherType);

    public static EtherTypeAction PushMpls(ushort etherType = OxmFieldTable.EthTypeMpls) =>
        new(OfpActionType.PushMpls, etherType);

    /// <summary>
    /// POP_MPLS, where <paramref name="etherType"/> is the EtherType of the payload after the pop.
    /// </summary>
    public static EtherTypeAction PopMpls(ushort etherType) => new(OfpActionType.PopMpls, etherType);

    public static EtherTypeAction PushPbb(ushort etherType = OxmFieldTable.EthTypePbb) =>
        new(OfpActionType.PushPbb, etherType);

    internal static EtherTypeAction For(OfpActionType type, ushort etherType) => new(type, etherType);

    private protected override void WriteBody(ref WireWriter writer)
    {
        writer.WriteUInt16(EtherType);
        writer.WriteZeros(2);
    }

    public override string ToString() => $"{_type}Action {{ EtherType = 0x{EtherType:x4} }}";
}

/// <summary>
/// OFPAT_SET_FIELD: rewrites a header field with the value of an OXM TLV, padded to a multiple of 8.
/// OpenFlow 1.3 has no masked set_field, so the field must have no mask.
/// </summary>
public sealed record SetFieldAction(OxmField Field) : OfpAction
{
    public override OfpActionType Type => OfpActionType.SetField;

    public override int Length => Padding.To8(HeaderSize + Field.Length);

    private protected override void WriteBody(ref WireWriter writer)
    {
        int start = writer.Position - HeaderSize;
        Field.Write(ref writer);
        writer.PadTo8(start);
    }

    internal static SetFieldAction ReadBody(ref WireReader body)
    {
        OxmField field = OxmField.Read(
            ref body, OfpErrorType.BadAction, (ushort)BadActionCode.BadSetLen, (ushort)BadActionCode.BadSetArgument);
        int padding = body.Remaining;
        if (Padding.To8(HeaderSize + field.Length) != HeaderSize + field.Length + padding)
        {
            throw body.FailLength($"set_field has {padding} bytes after its OXM, more than the padding to 8");
        }

        return new SetFieldAction(field);
    }
}

/// <summary>An action of a type this library does not know, kept as its raw body.</summary>
public sealed record UnknownAction(ushort ActionType, EquatableArray<byte> Body) : OfpAction
{
    public override OfpActionType Type => (OfpActionType)ActionType;

    public override int Length => HeaderSize + Body.Count;

    private protected override void WriteBody(ref WireWriter writer) => writer.WriteBytes(Body.AsSpan());
}

internal static class StandardActions
{
    /// <summary>
    /// Decodes an action body; <paramref name="body"/> starts after the type and length.
    /// </summary>
    public static OfpAction ReadBody(OfpActionType type, ref WireReader body)
    {
        switch (type)
        {
            case OfpActionType.Output:
                return OutputAction.ReadBody(ref body);
            case OfpActionType.SetField:
                return SetFieldAction.ReadBody(ref body);
            case OfpActionType.Experimenter:
                return ExperimenterActions.ReadBody(ref body);
            case OfpActionType.CopyTtlOut or OfpActionType.CopyTtlIn or OfpActionType.DecMplsTtl
                or OfpActionType.PopVlan or OfpActionType.DecNwTtl or OfpActionType.PopPbb:
                RequireEight(ref body, type);
                return SimpleAction.For(type);
            case OfpActionType.PushVlan or OfpActionType.PushMpls or OfpActionType.PopMpls
                or OfpActionType.PushPbb:
                RequireEight(ref body, type);
                return EtherTypeAction.For(type, body.ReadUInt16());
            case OfpActionType.Group:
                RequireEight(ref body, type);
                return new GroupAction(body.ReadUInt32());
            case OfpActionType.SetQueue:
                RequireEight(ref body, type);
                return new SetQueueAction(body.ReadUInt32());
            case OfpActionType.SetMplsTtl:
                RequireEight(ref body, type);
                return new SetMplsTtlAction(body.ReadUInt8());
            case OfpActionType.SetNwTtl:
                RequireEight(ref body, type);
                return new SetNwTtlAction(body.ReadUInt8());
            default:
                return new UnknownAction((ushort)type, new EquatableArray<byte>(body.ReadRemaining()));
        }
    }

    private static void RequireEight(ref WireReader body, OfpActionType type)
    {
        if (body.Remaining != 4)
        {
            throw body.FailLength($"{type} action has length {body.Remaining + 4}, expected 8");
        }
    }
}
