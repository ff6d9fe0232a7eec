using Sdmi.OpenFlow.Wire;

namespace Sdmi.OpenFlow.Messages;

/// <summary>Dispatches multipart bodies to the decoder of their OFPMP_* type.</summary>
internal static class MultipartCodec
{
    public static MultipartRequest ReadRequest(ref WireReader reader)
    {
        var type = (MultipartType)reader.ReadUInt16();
        var flags = (MultipartRequestFlags)reader.ReadUInt16();
        reader.Skip(4);
        MultipartRequest request = type switch
        {
            MultipartType.Desc or MultipartType.Table or MultipartType.GroupDesc or MultipartType.GroupFeatures
                or MultipartType.MeterFeatures => ReadEmpty(ref reader, type),
            MultipartType.PortDesc => ReadPortDesc(ref reader),
            MultipartType.Flow => FlowStatsRequest.ReadBody(ref reader),
            MultipartType.Aggregate => AggregateStatsRequest.ReadBody(ref reader),
            MultipartType.PortStats => ReadPortStats(ref reader),
            MultipartType.Queue => new QueueStatsRequest(reader.ReadUInt32(), reader.ReadUInt32()),
            MultipartType.Group or MultipartType.Meter or MultipartType.MeterConfig => ReadId(ref reader, type),
            MultipartType.TableFeatures => TableFeaturesRequest.ReadBody(ref reader),
            MultipartType.Experimenter => new ExperimenterMultipartRequest(
                reader.ReadUInt32(), reader.ReadUInt32(), new EquatableArray<byte>(reader.ReadRemaining())),
            _ => throw reader.Fail(
                OfpErrorType.BadRequest,
                (ushort)BadRequestCode.BadMultipart,
                $"multipart type {(ushort)type} is not defined"),
        };
        request.SetDecodedFlags(flags);
        return request;
    }

    public static MultipartReply ReadReply(ref WireReader reader)
    {
        var type = (MultipartType)reader.ReadUInt16();
        var flags = (MultipartReplyFlags)reader.ReadUInt16();
        reader.Skip(4);
        MultipartReply reply = type switch
        {
            MultipartType.Desc => DescReply.ReadBody(ref reader),
            MultipartType.Flow => FlowStatsReply.ReadBody(ref reader),
            MultipartType.Aggregate => AggregateStatsReply.ReadBody(ref reader),
            MultipartType.Table => TableStatsReply.ReadBody(ref reader),
            MultipartType.PortStats => PortStatsReply.ReadBody(ref reader),
            MultipartType.Queue => QueueStatsReply.ReadBody(ref reader),
            MultipartType.Group => GroupStatsReply.ReadBody(ref reader),
            MultipartType.GroupDesc => GroupDescReply.ReadBody(ref reader),
            MultipartType.GroupFeatures => GroupFeaturesReply.ReadBody(ref reader),
            MultipartType.Meter => MeterStatsReply.ReadBody(ref reader),
            MultipartType.MeterConfig => MeterConfigReply.ReadBody(ref reader),
            MultipartType.MeterFeatures => MeterFeaturesReply.ReadBody(ref reader),
            MultipartType.TableFeatures => TableFeaturesReply.ReadBody(ref reader),
            MultipartType.PortDesc => PortDescReply.ReadBody(ref reader),
            MultipartType.Experimenter => new ExperimenterMultipartReply(
                reader.ReadUInt32(), reader.ReadUInt32(), new EquatableArray<byte>(reader.ReadRemaining())),
            _ => throw reader.Fail(
                OfpErrorType.BadRequest,
                (ushort)BadRequestCode.BadMultipart,
                $"multipart type {(ushort)type} is not defined"),
        };
        reply.SetDecodedFlags(flags);
        return reply;
    }

    private static MultipartRequest ReadEmpty(ref WireReader reader, MultipartType type)
    {
        RequireEmpty(ref reader, type);
        return new EmptyMultipartRequest(type);
    }

    private static PortDescRequest ReadPortDesc(ref WireReader reader)
    {
        RequireEmpty(ref reader, MultipartType.PortDesc);
        return new PortDescRequest();
    }

    private static PortStatsRequest ReadPortStats(ref WireReader reader)
    {
        uint portNo = reader.ReadUInt32();
        reader.Skip(4);
        return new PortStatsRequest(portNo);
    }

    private static IdMultipartRequest ReadId(ref WireReader reader, MultipartType type)
    {
        uint id = reader.ReadUInt32();
        reader.Skip(4);
        return new IdMultipartRequest(type, id);
    }

    private static void RequireEmpty(ref WireReader reader, MultipartType type)
    {
        if (!reader.IsEmpty)
        {
            throw reader.FailLength($"{type} request has a {reader.Remaining}-byte body, expected none");
        }
    }
}
