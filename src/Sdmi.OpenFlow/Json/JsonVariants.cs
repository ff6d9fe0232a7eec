using Sdmi.OpenFlow.Actions;
using Sdmi.OpenFlow.Instructions;
using Sdmi.OpenFlow.Messages;

namespace Sdmi.OpenFlow.Json;

/// <summary>
/// The "type" discriminators of the polymorphic parts of a message: actions, instructions, hello
/// elements, meter bands and table feature properties. Messages have their own table in
/// <see cref="JsonMessageTypes"/>.
/// </summary>
internal static class JsonVariants
{
    public const string Unknown = "UNKNOWN";
    public const string NxRegMove = "NX_REG_MOVE";

    /// <summary>Action discriminators: the OFPAT_* name, NX_REG_MOVE or UNKNOWN.</summary>
    public static readonly IReadOnlyDictionary<string, Type> Actions = new Dictionary<string, Type>
    {
        ["OUTPUT"] = typeof(OutputAction),
        ["COPY_TTL_OUT"] = typeof(SimpleAction),
        ["COPY_TTL_IN"] = typeof(SimpleAction),
        ["SET_MPLS_TTL"] = typeof(SetMplsTtlAction),
        ["DEC_MPLS_TTL"] = typeof(SimpleAction),
        ["PUSH_VLAN"] = typeof(EtherTypeAction),
        ["POP_VLAN"] = typeof(SimpleAction),
        ["PUSH_MPLS"] = typeof(EtherTypeAction),
        ["POP_MPLS"] = typeof(EtherTypeAction),
        ["SET_QUEUE"] = typeof(SetQueueAction),
        ["GROUP"] = typeof(GroupAction),
        ["SET_NW_TTL"] = typeof(SetNwTtlAction),
        ["DEC_NW_TTL"] = typeof(SimpleAction),
        ["SET_FIELD"] = typeof(SetFieldAction),
        ["PUSH_PBB"] = typeof(EtherTypeAction),
        ["POP_PBB"] = typeof(SimpleAction),
        ["EXPERIMENTER"] = typeof(ExperimenterAction),
        [NxRegMove] = typeof(NxRegMoveAction),
        [Unknown] = typeof(UnknownAction),
    };

    /// <summary>Instruction discriminators: the OFPIT_* name or UNKNOWN.</summary>
    public static readonly IReadOnlyDictionary<string, Type> Instructions = new Dictionary<string, Type>
    {
        ["GOTO_TABLE"] = typeof(GotoTableInstruction),
        ["WRITE_METADATA"] = typeof(WriteMetadataInstruction),
        ["WRITE_ACTIONS"] = typeof(ActionsInstruction),
        ["APPLY_ACTIONS"] = typeof(ActionsInstruction),
        ["CLEAR_ACTIONS"] = typeof(ActionsInstruction),
        ["METER"] = typeof(MeterInstruction),
        ["EXPERIMENTER"] = typeof(ExperimenterInstruction),
        [Unknown] = typeof(UnknownInstruction),
    };

    public static readonly IReadOnlyDictionary<string, Type> HelloElements = new Dictionary<string, Type>
    {
        ["VERSION_BITMAP"] = typeof(HelloVersionBitmap),
        [Unknown] = typeof(UnknownHelloElement),
    };

    public static readonly IReadOnlyDictionary<string, Type> MeterBands = new Dictionary<string, Type>
    {
        ["DROP"] = typeof(DropBand),
        ["DSCP_REMARK"] = typeof(DscpRemarkBand),
        ["EXPERIMENTER"] = typeof(ExperimenterBand),
    };

    /// <summary>
    /// Table feature property discriminators name the property's layout, and the OFPTFPT_* type is
    /// in its "property_type".
    /// </summary>
    public static readonly IReadOnlyDictionary<string, Type> TableFeatureProperties = new Dictionary<string, Type>
    {
        ["FEATURE_IDS"] = typeof(FeatureIdsProperty),
        ["NEXT_TABLES"] = typeof(NextTablesProperty),
        ["OXM_IDS"] = typeof(OxmIdsProperty),
        ["EXPERIMENTER"] = typeof(ExperimenterTableProperty),
        [Unknown] = typeof(UnknownTableProperty),
    };

    /// <summary>Returns the table for values declared as <paramref name="baseType"/>, or null.</summary>
    public static IReadOnlyDictionary<string, Type>? For(Type baseType)
    {
        if (baseType == typeof(OfpAction))
        {
            return Actions;
        }

        if (baseType == typeof(OfpInstruction))
        {
            return Instructions;
        }

        if (baseType == typeof(HelloElement))
        {
            return HelloElements;
        }

        if (baseType == typeof(MeterBand))
        {
            return MeterBands;
        }

        return baseType == typeof(TableFeatureProperty) ? TableFeatureProperties : null;
    }

    /// <summary>Returns the discriminator of <paramref name="value"/>.</summary>
    public static string NameOf(object value) => value switch
    {
        NxRegMoveAction => NxRegMove,
        UnknownAction or UnknownInstruction or UnknownHelloElement or UnknownTableProperty => Unknown,
        OfpAction action => JsonNames.ToSnakeUpper(action.Type.ToString()),
        OfpInstruction instruction => JsonNames.ToSnakeUpper(instruction.Type.ToString()),
        HelloVersionBitmap => "VERSION_BITMAP",
        MeterBand band => JsonNames.ToSnakeUpper(band.Type.ToString()),
        FeatureIdsProperty => "FEATURE_IDS",
        NextTablesProperty => "NEXT_TABLES",
        OxmIdsProperty => "OXM_IDS",
        ExperimenterTableProperty => "EXPERIMENTER",
        _ => throw new ArgumentException($"{value.GetType().Name} has no JSON discriminator.", nameof(value)),
    };
}
