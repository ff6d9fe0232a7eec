using Sdmi.OpenFlow.Wire;

namespace Sdmi.OpenFlow.Messages;

// Section 7.3.6 of OpenFlow 1.3.5, "Queue Configuration Messages", and the queue structures of 7.2.2.

/// <summary>OFPQT_* queue property types.</summary>
public enum QueuePropertyType : ushort
{
    MinRate = 1,
    MaxRate = 2,
    Experimenter = 0xffff,
}

/// <summary>
/// OFPT_QUEUE_GET_CONFIG_REQUEST: port (4), 4 pad. <see cref="OfpPortNo.Any"/> selects every port.
/// </summary>
public sealed record QueueGetConfigRequest(uint Port) : OpenFlowMessage
{
    public const int BodySize = 8;

    public override OfpType Type => OfpType.QueueGetConfigRequest;

    private protected override int BodyLength => BodySize;

    private protected override void WriteBody(ref WireWriter writer)
    {
        writer.WriteUInt32(Port);
        writer.WriteZeros(4);
    }
}

/// <summary>OFPT_QUEUE_GET_CONFIG_REPLY: port (4), 4 pad, then the queues.</summary>
public sealed record QueueGetConfigReply(uint Port, EquatableArray<PacketQueue> Queues) : OpenFlowMessage
{
    public const int FixedBodySize = 8;

    public override OfpType Type => OfpType.QueueGetConfigReply;

    private protected override int BodyLength
    {
        get
        {
            int length = FixedBodySize;
            foreach (PacketQueue queue in Queues)
            {
                length += queue.Length;
            }

            return length;
        }
    }

    private protected override void WriteBody(ref WireWriter writer)
    {
        writer.WriteUInt32(Port);
        writer.WriteZeros(4);
        foreach (PacketQueue queue in Queues)
        {
            queue.Write(ref writer);
        }
    }

    internal static QueueGetConfigReply ReadBody(ref WireReader reader)
    {
        uint port = reader.ReadUInt32();
        reader.Skip(4);
        var queues = new List<PacketQueue>();
        while (!reader.IsEmpty)
        {
            queues.Add(PacketQueue.Read(ref reader));
        }

        return new QueueGetConfigReply(port, EquatableArray<PacketQueue>.FromOwned([.. queues]));
    }
}

/// <summary>
/// A queue description (<c>struct ofp_packet_queue</c>): queue_id (4), port (4), len (2), 6 pad,
/// properties.
/// </summary>
public sealed record PacketQueue(uint QueueId, uint Port, EquatableArray<QueueProperty> Properties)
{
    public const int FixedSize = 16;

    public int Length
    {
        get
        {
            int length = FixedSize;
            foreach (QueueProperty property in Properties)
            {
                length += property.Length;
            }

            return length;
        }
    }

    internal void Write(ref WireWriter writer)
    {
        writer.WriteUInt32(QueueId);
        writer.WriteUInt32(Port);
        writer.WriteUInt16((ushort)Length);
        writer.WriteZeros(6);
        foreach (QueueProperty property in Properties)
        {
            property.Write(ref writer);
        }
    }

    internal static PacketQueue Read(ref WireReader reader)
    {
        ushort length = reader.PeekUInt16At(8);
        if (length < FixedSize || length > reader.Remaining)
        {
            throw reader.FailLength($"queue length {length} does not fit the {reader.Remaining} bytes left");
        }

        WireReader queue = reader.ReadNested(length, OfpErrorType.BadRequest, (ushort)BadRequestCode.BadLen);
        uint queueId = queue.ReadUInt32();
        uint port = queue.ReadUInt32();
        queue.Skip(8);
        var properties = new List<QueueProperty>();
        while (!queue.IsEmpty)
        {
            properties.Add(QueueProperty.Read(ref queue));
        }

        return new PacketQueue(queueId, port, EquatableArray<QueueProperty>.FromOwned([.. properties]));
    }
}

/// <summary>
/// A queue property (<c>struct ofp_queue_prop_header</c>): property (2), len (2), 4 pad, then the
/// body. Min and max rates are in tenths of a percent of the port speed; above 1000 means disabled.
/// </summary>
public sealed record QueueProperty(QueuePropertyType PropertyType, ushort Rate, uint Experimenter = 0,
    EquatableArray<byte> Data = default)
{
    public const int HeaderSize = 8;

    public int Length => PropertyType switch
    {
        QueuePropertyType.MinRate or QueuePropertyType.MaxRate => 16,
        QueuePropertyType.Experimenter => HeaderSize + 8 + Data.Count,
        _ => HeaderSize + Data.Count,
    };

    public static QueueProperty MinRate(ushort rate) => new(QueuePropertyType.MinRate, rate);

    public static QueueProperty MaxRate(ushort rate) => new(QueuePropertyType.MaxRate, rate);

    internal void Write(ref WireWriter writer)
    {
        writer.WriteUInt16((ushort)PropertyType);
        writer.WriteUInt16((ushort)Length);
        writer.WriteZeros(4);
        switch (PropertyType)
        {
            case QueuePropertyType.MinRate or QueuePropertyType.MaxRate:
                writer.WriteUInt16(Rate);
                writer.WriteZeros(6);
                break;
            case QueuePropertyType.Experimenter:
                writer.WriteUInt32(Experimenter);
                writer.WriteZeros(4);
                writer.WriteBytes(Data.AsSpan());
                break;
            default:
                writer.WriteBytes(Data.AsSpan());
                break;
        }
    }

    internal static QueueProperty Read(ref WireReader reader)
    {
        if (reader.Remaining < HeaderSize)
        {
            throw reader.FailLength($"{reader.Remaining} bytes left, too few for a queue property");
        }

        var type = (QueuePropertyType)reader.PeekUInt16();
        ushort length = reader.PeekUInt16At(2);
        bool isRate = type is QueuePropertyType.MinRate or QueuePropertyType.MaxRate;
        int minimum = type == QueuePropertyType.Experimenter ? 16 : HeaderSize;
        if (length < minimum || length > reader.Remaining || (isRate && length != 16))
        {
            throw reader.FailLength($"queue property {type} has length {length} in {reader.Remaining} bytes");
        }

        WireReader body = reader.ReadNested(length, OfpErrorType.BadRequest, (ushort)BadRequestCode.BadLen);
        body.Skip(HeaderSize);
        if (isRate)
        {
            return new QueueProperty(type, body.ReadUInt16());
        }

        if (type == QueuePropertyType.Experimenter)
        {
            uint experimenter = body.ReadUInt32();
            body.Skip(4);
            return new QueueProperty(type, 0, experimenter, new EquatableArray<byte>(body.ReadRemaining()));
        }

        return new QueueProperty(type, 0, 0, new EquatableArray<byte>(body.ReadRemaining()));
    }
}
