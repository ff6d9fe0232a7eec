using Sdmi.OpenFlow.Messages;

namespace Sdmi.OpenFlow.Json;

/// <summary>
/// The "type" discriminator of each message class: the OFPT_* name without its prefix, except for
/// the ONF bundle messages (BUNDLE_CONTROL, BUNDLE_ADD_MESSAGE) that travel in OFPT_EXPERIMENTER.
/// Multipart messages add "multipart_type", the OFPMP_* name.
/// </summary>
internal static class JsonMessageTypes
{
    public const string MultipartRequestName = "MULTIPART_REQUEST";
    public const string MultipartReplyName = "MULTIPART_REPLY";
    public const string BundleControlName = "BUNDLE_CONTROL";
    public const string BundleAddMessageName = "BUNDLE_ADD_MESSAGE";

    public static readonly IReadOnlyDictionary<string, Type> ByName = new Dictionary<string, Type>
    {
        ["HELLO"] = typeof(HelloMessage),
        ["ERROR"] = typeof(ErrorMessage),
        ["ECHO_REQUEST"] = typeof(EchoRequest),
        ["ECHO_REPLY"] = typeof(EchoReply),
        ["EXPERIMENTER"] = typeof(ExperimenterMessage),
        [BundleControlName] = typeof(BundleControlMessage),
        [BundleAddMessageName] = typeof(BundleAddMessage),
        ["FEATURES_REQUEST"] = typeof(FeaturesRequest),
        ["FEATURES_REPLY"] = typeof(FeaturesReply),
        ["GET_CONFIG_REQUEST"] = typeof(GetConfigRequest),
        ["GET_CONFIG_REPLY"] = typeof(GetConfigReply),
        ["SET_CONFIG"] = typeof(SetConfig),
        ["PACKET_IN"] = typeof(PacketIn),
        ["FLOW_REMOVED"] = typeof(FlowRemoved),
        ["PORT_STATUS"] = typeof(PortStatus),
        ["PACKET_OUT"] = typeof(PacketOut),
        ["FLOW_MOD"] = typeof(FlowMod),
        ["GROUP_MOD"] = typeof(GroupMod),
        ["PORT_MOD"] = typeof(PortMod),
        ["TABLE_MOD"] = typeof(TableMod),
        ["BARRIER_REQUEST"] = typeof(BarrierRequest),
        ["BARRIER_REPLY"] = typeof(BarrierReply),
        ["QUEUE_GET_CONFIG_REQUEST"] = typeof(QueueGetConfigRequest),
        ["QUEUE_GET_CONFIG_REPLY"] = typeof(QueueGetConfigReply),
        ["ROLE_REQUEST"] = typeof(RoleRequest),
        ["ROLE_REPLY"] = typeof(RoleReply),
        ["GET_ASYNC_REQUEST"] = typeof(GetAsyncRequest),
        ["GET_ASYNC_REPLY"] = typeof(GetAsyncReply),
        ["SET_ASYNC"] = typeof(SetAsync),
        ["METER_MOD"] = typeof(MeterMod),
    };

    public static readonly IReadOnlyDictionary<MultipartType, Type> Requests = new Dictionary<MultipartType, Type>
    {
        [MultipartType.Desc] = typeof(EmptyMultipartRequest),
        [MultipartType.Flow] = typeof(FlowStatsRequest),
        [MultipartType.Aggregate] = typeof(AggregateStatsRequest),
        [MultipartType.Table] = typeof(EmptyMultipartRequest),
        [MultipartType.PortStats] = typeof(PortStatsRequest),
        [MultipartType.Queue] = typeof(QueueStatsRequest),
        [MultipartType.Group] = typeof(IdMultipartRequest),
        [MultipartType.GroupDesc] = typeof(EmptyMultipartRequest),
        [MultipartType.GroupFeatures] = typeof(EmptyMultipartRequest),
        [MultipartType.Meter] = typeof(IdMultipartRequest),
        [MultipartType.MeterConfig] = typeof(IdMultipartRequest),
        [MultipartType.MeterFeatures] = typeof(EmptyMultipartRequest),
        [MultipartType.TableFeatures] = typeof(TableFeaturesRequest),
        [MultipartType.PortDesc] = typeof(PortDescRequest),
        [MultipartType.Experimenter] = typeof(ExperimenterMultipartRequest),
    };

    public static readonly IReadOnlyDictionary<MultipartType, Type> Replies = new Dictionary<MultipartType, Type>
    {
        [MultipartType.Desc] = typeof(DescReply),
        [MultipartType.Flow] = typeof(FlowStatsReply),
        [MultipartType.Aggregate] = typeof(AggregateStatsReply),
        [MultipartType.Table] = typeof(TableStatsReply),
        [MultipartType.PortStats] = typeof(PortStatsReply),
        [MultipartType.Queue] = typeof(QueueStatsReply),
        [MultipartType.Group] = typeof(GroupStatsReply),
        [MultipartType.GroupDesc] = typeof(GroupDescReply),
        [MultipartType.GroupFeatures] = typeof(GroupFeaturesReply),
        [MultipartType.Meter] = typeof(MeterStatsReply),
        [MultipartType.MeterConfig] = typeof(MeterConfigReply),
        [MultipartType.MeterFeatures] = typeof(MeterFeaturesReply),
        [MultipartType.TableFeatures] = typeof(TableFeaturesReply),
        [MultipartType.PortDesc] = typeof(PortDescReply),
        [MultipartType.Experimenter] = typeof(ExperimenterMultipartReply),
    };

    /// <summary>Returns the "type" discriminator of <paramref name="message"/>.</summary>
    public static string NameOf(OpenFlowMessage message) => message switch
    {
        BundleControlMessage => BundleControlName,
        BundleAddMessage => BundleAddMessageName,
        _ => JsonNames.ToSnakeUpper(message.Type.ToString()),
    };
}
