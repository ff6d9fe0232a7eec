using Sdmi.OpenFlow.Wire;

namespace Sdmi.OpenFlow.Messages;

/// <summary>OFPMP_* multipart message types (section 7.3.5).</summary>
public enum MultipartType : ushort
{
    Desc = 0,
    Flow = 1,
    Aggregate = 2,
    Table = 3,
    PortStats = 4,
    Queue = 5,
    Group = 6,
    GroupDesc = 7,
    GroupFeatures = 8,
    Meter = 9,
    MeterConfig = 10,
    MeterFeatures = 11,
    TableFeatures = 12,
    PortDesc = 13,
    Experimenter = 0xffff,
}

/// <summary>OFPMPF_REQ_* flags of a multipart request.</summary>
[Flags]
public enum MultipartRequestFlags : ushort
{
    None = 0,
    More = 1,
}

/// <summary>OFPMPF_REPLY_* flags of a multipart reply.</summary>
[Flags]
public enum MultipartReplyFlags : ushort
{
    None = 0,

    /// <summary>OFPMPF_REPLY_MORE: more replies with the same xid follow.</summary>
    More = 1,
}

/// <summary>
/// OFPT_MULTIPART_REQUEST (<c>struct ofp_multipart_request</c>): type (2), flags (2), 4 bytes of
/// padding, then a body that depends on the type.
/// </summary>
public abstract record MultipartRequest : OpenFlowMessage
{
    public const int FixedBodySize = 8;

    private protected MultipartRequest()
    {
    }

    private MultipartRequestFlags _flags;

    public abstract MultipartType MultipartType { get; }

    public MultipartRequestFlags Flags
    {
        get => _flags;
        init => _flags = value;
    }

    public sealed override OfpType Type => OfpType.MultipartRequest;

    private protected sealed override int BodyLength => FixedBodySize + MultipartBodyLength;

    private protected abstract int MultipartBodyLength { get; }

    private protected sealed override void WriteBody(ref WireWriter writer)
    {
        writer.WriteUInt16((ushort)MultipartType);
        writer.WriteUInt16((ushort)Flags);
        writer.WriteZeros(4);
        WriteMultipartBody(ref writer);
    }

    private protected abstract void WriteMultipartBody(ref WireWriter writer);

    internal void SetDecodedFlags(MultipartRequestFlags flags) => _flags = flags;
}

/// <summary>
/// OFPT_MULTIPART_REPLY (<c>struct ofp_multipart_reply</c>). A reply with
/// <see cref="MultipartReplyFlags.More"/> set is followed by further parts with the same xid.
/// </summary>
public abstract record MultipartReply : OpenFlowMessage
{
    public const int FixedBodySize = 8;

    private protected MultipartReply()
    {
    }

    private MultipartReplyFlags _flags;

    public abstract MultipartType MultipartType { get; }

    public MultipartReplyFlags Flags
    {
        get => _flags;
        init => _flags = value;
    }

    /// <summary>Whether more parts of this reply follow.</summary>
    public bool HasMore => (Flags & MultipartReplyFlags.More) != 0;

    public sealed override OfpType Type => OfpType.MultipartReply;

    private protected sealed override int BodyLength => FixedBodySize + MultipartBodyLength;

    private protected abstract int MultipartBodyLength { get; }

    private protected sealed override void WriteBody(ref WireWriter writer)
    {
        writer.WriteUInt16((ushort)MultipartType);
        writer.WriteUInt16((ushort)Flags);
        writer.WriteZeros(4);
        WriteMultipartBody(ref writer);
    }

    private protected abstract void WriteMultipartBody(ref WireWriter writer);

    internal void SetDecodedFlags(MultipartReplyFlags flags) => _flags = flags;
}

/// <summary>OFPMP_PORT_DESC request, which has no body.</summary>
public sealed record PortDescRequest : MultipartRequest
{
    public override MultipartType MultipartType => MultipartType.PortDesc;

    private protected override int MultipartBodyLength => 0;

    private protected override void WriteMultipartBody(ref WireWriter writer)
    {
    }
}

/// <summary>OFPMP_PORT_DESC reply: one 64-byte description per port.</summary>
public sealed record PortDescReply(EquatableArray<PortDescription> Ports) : MultipartReply
{
    public override MultipartType MultipartType => MultipartType.PortDesc;

    private protected override int MultipartBodyLength => Ports.Count * PortDescription.Size;

    private protected override void WriteMultipartBody(ref WireWriter writer)
    {
        foreach (PortDescription port in Ports)
        {
            port.Write(ref writer);
        }
    }

    internal static PortDescReply ReadBody(ref WireReader reader)
    {
        if (reader.Remaining % PortDescription.Size != 0)
        {
            throw reader.FailLength(
                $"port description body of {reader.Remaining} bytes is not a multiple of {PortDescription.Size}");
        }

        var ports = new PortDescription[reader.Remaining / PortDescription.Size];
        for (int i = 0; i < ports.Length; i++)
        {
            ports[i] = PortDescription.Read(ref reader);
        }

        return new PortDescReply(EquatableArray<PortDescription>.FromOwned(ports));
    }
}
