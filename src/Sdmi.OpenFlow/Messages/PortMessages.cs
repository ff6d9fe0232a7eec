using System.Text;
using Sdmi.OpenFlow.Matching;
using Sdmi.OpenFlow.Wire;

namespace Sdmi.OpenFlow.Messages;

/// <summary>OFPPC_* administrative port settings.</summary>
[Flags]
public enum PortConfig : uint
{
    None = 0,
    PortDown = 1 << 0,
    NoRecv = 1 << 2,
    NoFwd = 1 << 5,
    NoPacketIn = 1 << 6,
}

/// <summary>OFPPS_* port state.</summary>
[Flags]
public enum PortState : uint
{
    None = 0,
    LinkDown = 1 << 0,
    Blocked = 1 << 1,
    Live = 1 << 2,
}

/// <summary>OFPPF_* port features: speeds, duplex, medium and auto-negotiation.</summary>
[Flags]
public enum PortFeatures : uint
{
    None = 0,
    Rate10MbHd = 1 << 0,
    Rate10MbFd = 1 << 1,
    Rate100MbHd = 1 << 2,
    Rate100MbFd = 1 << 3,
    Rate1GbHd = 1 << 4,
    Rate1GbFd = 1 << 5,
    Rate10GbFd = 1 << 6,
    Rate40GbFd = 1 << 7,
    Rate100GbFd = 1 << 8,
    Rate1TbFd = 1 << 9,
    Other = 1 << 10,
    Copper = 1 << 11,
    Fiber = 1 << 12,
    Autoneg = 1 << 13,
    Pause = 1 << 14,
    PauseAsym = 1 << 15,
}

/// <summary>OFPPR_* reasons for a PORT_STATUS.</summary>
public enum PortStatusReason : byte
{
    Add = 0,
    Delete = 1,
    Modify = 2,
}

/// <summary>
/// A port description (section 7.2.1, <c>struct ofp_port</c>), 64 bytes. Speeds are in kbit/s.
/// </summary>
public sealed record PortDescription(
    uint PortNo,
    MacAddress HardwareAddress,
    string Name,
    PortConfig Config,
    PortState State,
    PortFeatures Current,
    PortFeatures Advertised,
    PortFeatures Supported,
    PortFeatures Peer,
    uint CurrentSpeed,
    uint MaxSpeed)
{
    public const int Size = 64;

    /// <summary>OFP_MAX_PORT_NAME_LEN: the name field, terminating NUL included.</summary>
    public const int NameFieldSize = 16;

    internal void Write(ref WireWriter writer)
    {
        writer.WriteUInt32(PortNo);
        writer.WriteZeros(4);
        Span<byte> mac = stackalloc byte[MacAddress.Size];
        HardwareAddress.WriteTo(mac);
        writer.WriteBytes(mac);
        writer.WriteZeros(2);
        WriteName(ref writer, Name);
        writer.WriteUInt32((uint)Config);
        writer.WriteUInt32((uint)State);
        writer.WriteUInt32((uint)Current);
        writer.WriteUInt32((uint)Advertised);
        writer.WriteUInt32((uint)Supported);
        writer.WriteUInt32((uint)Peer);
        writer.WriteUInt32(CurrentSpeed);
        writer.WriteUInt32(MaxSpeed);
    }

    internal static PortDescription Read(ref WireReader reader)
    {
        uint portNo = reader.ReadUInt32();
        reader.Skip(4);
        MacAddress address = MacAddress.Read(reader.ReadBytes(MacAddress.Size));
        reader.Skip(2);
        string name = ReadName(reader.ReadBytes(NameFieldSize));
        return new PortDescription(
            portNo,
            address,
            name,
            (PortConfig)reader.ReadUInt32(),
            (PortState)reader.ReadUInt32(),
            (PortFeatures)reader.ReadUInt32(),
            (PortFeatures)reader.ReadUInt32(),
            (PortFeatures)reader.ReadUInt32(),
            (PortFeatures)reader.ReadUInt32(),
            reader.ReadUInt32(),
            reader.ReadUInt32());
    }

    /// <summary>
    /// Writes a NUL-padded Latin-1 string into a fixed-size field, truncated to leave a NUL.
    /// </summary>
    internal static void WriteFixedString(ref WireWriter writer, string value, int fieldSize)
    {
        Span<byte> field = stackalloc byte[fieldSize];
        field.Clear();
        Encoding.Latin1.GetBytes(value.AsSpan(0, Math.Min(value.Length, fieldSize - 1)), field);
        writer.WriteBytes(field);
    }

    /// <summary>Reads a NUL-terminated Latin-1 string from a fixed-size field.</summary>
    internal static string ReadFixedString(ReadOnlySpan<byte> field)
    {
        int end = field.IndexOf((byte)0);
        return Encoding.Latin1.GetString(end < 0 ? field : field[..end]);
    }

    private static void WriteName(
        ref WireWriter writer,
        string name) => WriteFixedString(ref writer, name, NameFieldSize);

    private static string ReadName(ReadOnlySpan<byte> field) => ReadFixedString(field);
}

/// <summary>OFPT_PORT_STATUS (section 7.4.3): a port was added, removed or changed.</summary>
public sealed record PortStatus(PortStatusReason Reason, PortDescription Port) : OpenFlowMessage
{
    public const int BodySize = 8 + PortDescription.Size;

    public override OfpType Type => OfpType.PortStatus;

    private protected override int BodyLength => BodySize;

    private protected override void WriteBody(ref WireWriter writer)
    {
        writer.WriteUInt8((byte)Reason);
        writer.WriteZeros(7);
        Port.Write(ref writer);
    }

    internal static PortStatus ReadBody(ref WireReader reader)
    {
        var reason = (PortStatusReason)reader.ReadUInt8();
        reader.Skip(7);
        return new PortStatus(reason, PortDescription.Read(ref reader));
    }
}
