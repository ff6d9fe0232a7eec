using System.Buffers.Binary;
using Sdmi.OpenFlow.Instructions;
using Sdmi.OpenFlow.Matching;
using Sdmi.OpenFlow.Wire;

namespace Sdmi.OpenFlow.Messages;

// Allocation-free readers for the messages a controller handles most often: PACKET_IN, FLOW_MOD
// and flow statistics replies. Each view reads one whole message in place, checks every length
// as the allocating decoder does, and is valid only while the buffer is.

/// <summary>OFPT_PACKET_IN read in place; see <see cref="PacketIn"/> for the layout.</summary>
public readonly ref struct PacketInView
{
    private PacketInView(ReadOnlySpan<byte> message, MatchView match, ReadOnlySpan<byte> data)
    {
        Message = message;
        Match = match;
        Data = data;
    }

    public ReadOnlySpan<byte> Message { get; }

    public uint Xid => BinaryPrimitives.ReadUInt32BigEndian(Message[4..]);

    public uint BufferId => BinaryPrimitives.ReadUInt32BigEndian(Message[8..]);

    public ushort TotalLength => BinaryPrimitives.ReadUInt16BigEndian(Message[12..]);

    public PacketInReason Reason => (PacketInReason)Message[14];

    public byte TableId => Message[15];

    public ulong Cookie => BinaryPrimitives.ReadUInt64BigEndian(Message[16..]);

    public MatchView Match { get; }

    /// <summary>The Ethernet frame, or its first bytes when the switch truncated it.</summary>
    public ReadOnlySpan<byte> Data { get; }

    /// <summary>
    /// The in_port field of the match, or null when the switch did not include it.
    /// </summary>
    public uint? InPort => Match.TryFind(OxmFieldId.InPort, out OxmView inPort) ? (uint)inPort.ValueAsUInt64() : null;

    /// <summary>
    /// Reads exactly one PACKET_IN. Throws <see cref="OpenFlowProtocolException"/> when it is
    /// malformed.
    /// </summary>
    public static PacketInView Read(ReadOnlySpan<byte> message)
    {
        WireReader reader = MessageViewReader.Open(message, OfpType.PacketIn);
        reader.Skip(PacketIn.FixedBodySize);
        MatchView match = MatchView.Read(ref reader);
        reader.Skip(PacketIn.DataPadding);
        return new PacketInView(message, match, reader.ReadRemaining());
    }
}

/// <summary>OFPT_FLOW_MOD read in place; see <see cref="FlowMod"/> for the layout.</summary>
public readonly ref struct FlowModView
{
    private FlowModView(ReadOnlySpan<byte> message, MatchView match, InstructionListView instructions)
    {
        Message = message;
        Match = match;
        Instructions = instructions;
    }

    public ReadOnlySpan<byte> Message { get; }

    public uint Xid => BinaryPrimitives.ReadUInt32BigEndian(Message[4..]);

    public ulong Cookie => BinaryPrimitives.ReadUInt64BigEndian(Message[8..]);

    public ulong CookieMask => BinaryPrimitives.ReadUInt64BigEndian(Message[16..]);

    public byte TableId => Message[24];

    public FlowModCommand Command => (FlowModCommand)Message[25];

    public ushort IdleTimeout => BinaryPrimitives.ReadUInt16BigEndian(Message[26..]);

    public ushort HardTimeout => BinaryPrimitives.ReadUInt16BigEndian(Message[28..]);

    public ushort Priority => BinaryPrimitives.ReadUInt16BigEndian(Message[30..]);

    public uint BufferId => BinaryPrimitives.ReadUInt32BigEndian(Message[32..]);

    public uint OutPort => BinaryPrimitives.ReadUInt32BigEndian(Message[36..]);

    public uint OutGroup => BinaryPrimitives.ReadUInt32BigEndian(Message[40..]);

    public FlowModFlags Flags => (FlowModFlags)BinaryPrimitives.ReadUInt16BigEndian(Message[44..]);

    public MatchView Match { get; }

    public InstructionListView Instructions { get; }

    /// <summary>
    /// Reads exactly one FLOW_MOD. Throws <see cref="OpenFlowProtocolException"/> when it is
    /// malformed.
    /// </summary>
    public static FlowModView Read(ReadOnlySpan<byte> message)
    {
        WireReader reader = MessageViewReader.Open(message, OfpType.FlowMod);
        reader.Skip(FlowMod.FixedBodySize);
        MatchView match = MatchView.Read(ref reader);
        InstructionListView instructions = InstructionListView.Read(ref reader);
        return new FlowModView(message, match, instructions);
    }
}

/// <summary>
/// An OFPMP_FLOW reply read in place. Enumerating <see cref="Entries"/> yields each
/// <see cref="FlowStatsView"/>; their framing was checked when the view was created.
/// </summary>
public readonly ref struct FlowStatsReplyView
{
    private const int EntriesOffset = OfpHeader.Size + MultipartReply.FixedBodySize;

    private FlowStatsReplyView(ReadOnlySpan<byte> message)
    {
        Message = message;
    }

    public ReadOnlySpan<byte> Message { get; }

    public uint Xid => BinaryPrimitives.ReadUInt32BigEndian(Message[4..]);

    public MultipartReplyFlags Flags => (MultipartReplyFlags)BinaryPrimitives.ReadUInt16BigEndian(Message[10..]);

    /// <summary>Whether more parts of this reply follow (OFPMPF_REPLY_MORE).</summary>
    public bool HasMore => (Flags & MultipartReplyFlags.More) != 0;

    public Enumerator Entries => new(Message[EntriesOffset..]);

    /// <summary>
    /// Reads exactly one flow statistics reply. Throws <see cref="OpenFlowProtocolException"/> when
    /// it is malformed.
    /// </summary>
    public static FlowStatsReplyView Read(ReadOnlySpan<byte> message)
    {
        WireReader reader = MessageViewReader.Open(message, OfpType.MultipartReply);
        var type = (MultipartType)reader.ReadUInt16();
        if (type != MultipartType.Flow)
        {
            throw new ArgumentException(
                $"Multipart reply of type {type} is not a flow statistics reply.",
                nameof(message));
        }

        reader.Skip(6);
        while (!reader.IsEmpty)
        {
            FlowStatsView.Read(ref reader);
        }

        return new FlowStatsReplyView(message);
    }

    /// <summary>Enumerates the entries of a validated reply.</summary>
    public ref struct Enumerator
    {
        private WireReader _reader;

        internal Enumerator(ReadOnlySpan<byte> entries)
        {
            _reader = new WireReader(entries, OfpType.MultipartReply, 0, EntriesOffset);
            Current = default;
        }

        public FlowStatsView Current { get; private set; }

        public readonly Enumerator GetEnumerator() => this;

        public bool MoveNext()
        {
            if (_reader.IsEmpty)
            {
                return false;
            }

            Current = FlowStatsView.Read(ref _reader);
            return true;
        }
    }
}

/// <summary>
/// One flow entry of a flow statistics reply, read in place; see <see cref="FlowStats"/>.
/// </summary>
public readonly ref struct FlowStatsView
{
    private FlowStatsView(ReadOnlySpan<byte> entry, MatchView match, InstructionListView instructions)
    {
        Entry = entry;
        Match = match;
        Instructions = instructions;
    }

    public ReadOnlySpan<byte> Entry { get; }

    public byte TableId => Entry[2];

    public uint DurationSeconds => BinaryPrimitives.ReadUInt32BigEndian(Entry[4..]);

    public uint DurationNanoseconds => BinaryPrimitives.ReadUInt32BigEndian(Entry[8..]);

    public ushort Priority => BinaryPrimitives.ReadUInt16BigEndian(Entry[12..]);

    public ushort IdleTimeout => BinaryPrimitives.ReadUInt16BigEndian(Entry[14..]);

    public ushort HardTimeout => BinaryPrimitives.ReadUInt16BigEndian(Entry[16..]);

    public FlowModFlags Flags => (FlowModFlags)BinaryPrimitives.ReadUInt16BigEndian(Entry[18..]);

    public ulong Cookie => BinaryPrimitives.ReadUInt64BigEndian(Entry[24..]);

    public ulong PacketCount => BinaryPrimitives.ReadUInt64BigEndian(Entry[32..]);

    public ulong ByteCount => BinaryPrimitives.ReadUInt64BigEndian(Entry[40..]);

    public MatchView Match { get; }

    public InstructionListView Instructions { get; }

    internal static FlowStatsView Read(scoped ref WireReader reader)
    {
        if (reader.Remaining < FlowStats.FixedSize)
        {
            throw reader.FailLength($"{reader.Remaining} bytes left, too few for a flow stats entry");
        }

        ushort length = reader.PeekUInt16();
        if (length < FlowStats.FixedSize + Padding.To8(Matching.Match.HeaderSize) || length > reader.Remaining)
        {
            throw reader.FailLength($"flow stats length {length} does not fit the {reader.Remaining} bytes left");
        }

        ReadOnlySpan<byte> bytes = reader.PeekBytes(length);
        WireReader entry = reader.ReadNested(length, OfpErrorType.BadRequest, (ushort)BadRequestCode.BadLen);
        entry.Skip(FlowStats.FixedSize);
        MatchView match = MatchView.Read(ref entry);
        InstructionListView instructions = InstructionListView.Read(ref entry);
        return new FlowStatsView(bytes, match, instructions);
    }
}

/// <summary>Header checks shared by the message views.</summary>
internal static class MessageViewReader
{
    /// <summary>
    /// Checks that <paramref name="message"/> is exactly one OpenFlow 1.3 message of type
    /// <paramref name="type"/> and returns a reader positioned after the header.
    /// </summary>
    public static WireReader Open(ReadOnlySpan<byte> message, OfpType type)
    {
        if (OfpHeader.TryRead(message, out OfpHeader header) != System.Buffers.OperationStatus.Done)
        {
            throw new OpenFlowProtocolException(
                OfpErrorType.BadRequest, (ushort)BadRequestCode.BadLen, null, 0, 0,
                $"{message.Length} bytes are too few for an OpenFlow header");
        }

        if (header.Type != type)
        {
            throw new ArgumentException($"Message of type {header.Type} is not a {type}.", nameof(message));
        }

        header.ValidateLength();
        if (header.Length != message.Length || header.Version != OfpHeader.Version13)
        {
            throw new OpenFlowProtocolException(
                OfpErrorType.BadRequest,
                header.Version != OfpHeader.Version13
                    ? (ushort)BadRequestCode.BadVersion
                    : (ushort)BadRequestCode.BadLen,
                header.Type,
                header.Xid,
                0,
                $"version 0x{header.Version:x2} with length {header.Length} for {message.Length} bytes given");
        }

        var reader = new WireReader(message, header.Type, header.Xid);
        reader.Skip(OfpHeader.Size);
        return reader;
    }
}
