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
            MultipartType.Flow => FlowStatsRequest.ReadBody(ref reader),
            MultipartType.PortDesc when reader.IsEmpty => new PortDescRequest(),
            _ => new RawMultipartRequest(type, new EquatableArray<byte>(reader.ReadRemaining())),
        };
        return request with { Flags = flags };
    }

    public static MultipartReply ReadReply(ref WireReader reader)
    {
        var type = (MultipartType)reader.ReadUInt16();
        var flags = (MultipartReplyFlags)reader.ReadUInt16();
        reader.Skip(4);
        MultipartReply reply = type switch
        {
            MultipartType.Flow => FlowStatsReply.ReadBody(ref reader),
            MultipartType.PortDesc => PortDescReply.ReadBody(ref reader),
            _ => new RawMultipartReply(type, new EquatableArray<byte>(reader.ReadRemaining())),
        };
        return reply with { Flags = flags };
    }
}
