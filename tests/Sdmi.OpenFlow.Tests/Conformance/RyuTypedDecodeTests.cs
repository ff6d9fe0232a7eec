using Sdmi.OpenFlow.Actions;
using Sdmi.OpenFlow.Instructions;
using Sdmi.OpenFlow.Matching;
using Sdmi.OpenFlow.Messages;

namespace Sdmi.OpenFlow.Tests.Conformance;

/// <summary>
/// Ryu packets of the message types this library models decode to their typed records.
/// </summary>
public sealed class RyuTypedDecodeTests
{
    public static TheoryData<string, Type> TypedPackets() => new()
    {
        { "4-0-ofp_desc_reply", typeof(DescReply) },
        { "4-1-ofp_packet_out", typeof(PacketOut) },
        { "4-2-ofp_flow_mod", typeof(FlowMod) },
        { "4-3-ofp_flow_mod", typeof(FlowMod) },
        { "4-4-ofp_packet_in", typeof(PacketIn) },
        { "4-5-ofp_features_request", typeof(FeaturesRequest) },
        { "4-6-ofp_features_reply", typeof(FeaturesReply) },
        { "4-7-ofp_set_config", typeof(SetConfig) },
        { "4-8-ofp_get_config_request", typeof(GetConfigRequest) },
        { "4-9-ofp_get_config_reply", typeof(GetConfigReply) },
        { "4-10-ofp_hello", typeof(HelloMessage) },
        { "4-11-ofp_flow_stats_request", typeof(FlowStatsRequest) },
        { "4-12-ofp_flow_stats_reply", typeof(FlowStatsReply) },
        { "4-13-ofp_echo_request", typeof(EchoRequest) },
        { "4-14-ofp_echo_reply", typeof(EchoReply) },
        { "4-15-ofp_error_msg", typeof(ErrorMessage) },
        { "4-16-ofp_experimenter", typeof(ExperimenterMessage) },
        { "4-17-ofp_barrier_request", typeof(BarrierRequest) },
        { "4-18-ofp_barrier_reply", typeof(BarrierReply) },
        { "4-19-ofp_role_request", typeof(RoleRequest) },
        { "4-20-ofp_role_reply", typeof(RoleReply) },
        { "4-21-ofp_group_mod", typeof(GroupMod) },
        { "4-22-ofp_port_mod", typeof(PortMod) },
        { "4-23-ofp_table_mod", typeof(TableMod) },
        { "4-24-ofp_desc_request", typeof(EmptyMultipartRequest) },
        { "4-25-ofp_aggregate_stats_request", typeof(AggregateStatsRequest) },
        { "4-26-ofp_aggregate_stats_reply", typeof(AggregateStatsReply) },
        { "4-27-ofp_table_stats_request", typeof(EmptyMultipartRequest) },
        { "4-28-ofp_table_stats_reply", typeof(TableStatsReply) },
        { "4-29-ofp_port_stats_request", typeof(PortStatsRequest) },
        { "4-30-ofp_port_stats_reply", typeof(PortStatsReply) },
        { "4-31-ofp_group_features_request", typeof(EmptyMultipartRequest) },
        { "4-32-ofp_group_features_reply", typeof(GroupFeaturesReply) },
        { "4-33-ofp_group_desc_request", typeof(EmptyMultipartRequest) },
        { "4-34-ofp_group_desc_reply", typeof(GroupDescReply) },
        { "4-35-ofp_queue_get_config_request", typeof(QueueGetConfigRequest) },
        { "4-36-ofp_queue_get_config_reply", typeof(QueueGetConfigReply) },
        { "4-37-ofp_queue_stats_request", typeof(QueueStatsRequest) },
        { "4-38-ofp_queue_stats_reply", typeof(QueueStatsReply) },
        { "4-39-ofp_port_status", typeof(PortStatus) },
        { "4-40-ofp_flow_removed", typeof(FlowRemoved) },
        { "4-41-ofp_error_msg_experimenter", typeof(ErrorMessage) },
        { "4-42-ofp_get_async_request", typeof(GetAsyncRequest) },
        { "4-43-ofp_get_async_reply", typeof(GetAsyncReply) },
        { "4-44-ofp_set_async", typeof(SetAsync) },
        { "4-45-ofp_meter_mod", typeof(MeterMod) },
        { "4-46-ofp_flow_mod", typeof(FlowMod) },
        { "4-47-ofp_meter_config_request", typeof(IdMultipartRequest) },
        { "4-48-ofp_meter_config_reply", typeof(MeterConfigReply) },
        { "4-49-ofp_meter_stats_request", typeof(IdMultipartRequest) },
        { "4-50-ofp_meter_stats_reply", typeof(MeterStatsReply) },
        { "4-51-ofp_meter_features_request", typeof(EmptyMultipartRequest) },
        { "4-52-ofp_meter_features_reply", typeof(MeterFeaturesReply) },
        { "4-53-ofp_port_desc_request", typeof(PortDescRequest) },
        { "4-54-ofp_port_desc_reply", typeof(PortDescReply) },
        { "4-55-ofp_table_features_request", typeof(TableFeaturesRequest) },
        { "4-56-ofp_table_features_reply", typeof(TableFeaturesReply) },
        { "4-57-ofp_group_stats_request", typeof(IdMultipartRequest) },
        { "4-58-ofp_group_stats_reply", typeof(GroupStatsReply) },
        { "4-59-ofp_packet_in", typeof(PacketIn) },
        { "4-60-ofp_flow_mod", typeof(FlowMod) },
        { "4-61-ofp_experimenter_request", typeof(ExperimenterMultipartRequest) },
        { "4-62-ofp_experimenter_reply", typeof(ExperimenterMultipartReply) },
        { "4-63-onf_flow_monitor_request", typeof(ExperimenterMultipartRequest) },
        { "libofproto-OFP13-flow_removed", typeof(FlowRemoved) },
        { "libofproto-OFP13-get_config_reply", typeof(GetConfigReply) },
        { "libofproto-OFP13-meter_mod", typeof(MeterMod) },
        { "libofproto-OFP13-port_mod", typeof(PortMod) },
        { "libofproto-OFP13-table_mod", typeof(TableMod) },
        { "libofproto-OFP13-packet_in", typeof(PacketIn) },
        { "libofproto-OFP13-port_status", typeof(PortStatus) },
        { "ovs-ofctl-of13-action_ct", typeof(FlowMod) },
    };

    [Theory]
    [MemberData(nameof(TypedPackets))]
    public void RyuPacket_Decode_ReturnsTypedMessage(string name, Type expected)
    {
        OpenFlowMessage message = OpenFlowCodec.Decode(ConformanceData.ReadRyuPacket(name));

        Assert.IsType(expected, message);
    }

    [Fact]
    public void RyuRegMove_Decode_ReturnsTypedNxRegMove()
    {
        var flowMod = (FlowMod)OpenFlowCodec.Decode(
            ConformanceData.ReadRyuPacket("ovs-ofctl-of13-match_move_nx_register"));

        var apply = Assert.IsType<ActionsInstruction>(Assert.Single(flowMod.Instructions));
        var move = Assert.IsType<NxRegMoveAction>(Assert.Single(apply.Actions));
        Assert.Equal(new NxRegMoveAction(6, 10, 0, 0x0001_0004, 0x0001_0204), move);
        Assert.Equal(2, flowMod.Match.Fields.Count);
        Assert.Equal(OxmClass.Nxm1, flowMod.Match.Fields[0].Class);
    }

    [Fact]
    public void RyuFlowModTruncated_NeedsMoreData()
    {
        byte[] truncated = ConformanceData.ReadRyuPacket("libofproto-OFP13-flow_mod")[..64];

        var status = OpenFlowCodec.TryDecode(truncated, out OpenFlowMessage? message, out int consumed);
        var exception = Assert.Throws<OpenFlowProtocolException>(() => OpenFlowCodec.Decode(truncated));

        Assert.Equal(System.Buffers.OperationStatus.NeedMoreData, status);
        Assert.Null(message);
        Assert.Equal(0, consumed);
        Assert.Equal((ushort)BadRequestCode.BadLen, exception.ErrorCode);
    }

    [Fact]
    public void RyuTableFeatures_Decode_TypesProperties()
    {
        byte[] packet = ConformanceData.ReadRyuPacket("4-56-ofp_table_features_reply");

        var reply = (TableFeaturesReply)OpenFlowCodec.Decode(packet);

        var kinds = reply.Tables
            .SelectMany(table => table.Properties)
            .Select(property => property.GetType())
            .ToHashSet();
        Assert.Contains(typeof(FeatureIdsProperty), kinds);
        Assert.Contains(typeof(NextTablesProperty), kinds);
        Assert.Contains(typeof(OxmIdsProperty), kinds);
        Assert.DoesNotContain(typeof(UnknownTableProperty), kinds);
    }

    [Fact]
    public void RyuHello_Decode_HasVersionBitmap()
    {
        var hello = (HelloMessage)OpenFlowCodec.Decode(ConformanceData.ReadRyuPacket("4-10-ofp_hello"));

        var bitmap = Assert.IsType<HelloVersionBitmap>(Assert.Single(hello.Elements));
        Assert.Equal(0x4000060eu, Assert.Single(bitmap.Bitmaps));
        Assert.True(hello.SupportsVersion(1));
        Assert.False(hello.SupportsVersion(OfpHeader.Version13));
    }
}
