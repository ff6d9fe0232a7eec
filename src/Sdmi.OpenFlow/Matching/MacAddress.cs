using System.Buffers.Binary;
using System.Globalization;

namespace Sdmi.OpenFlow.Matching;

/// <summary>48-bit Ethernet address stored in the low bits of a 64-bit integer.</summary>
public readonly record struct MacAddress
{
    public const int Size = 6;
    private const ulong Mask48 = 0xffff_ffff_ffff;

    public MacAddress(ulong value)
    {
        if (value > Mask48)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "A MAC address has 48 bits.");
        }

        Value = value;
    }

    public ulong Value { get; }

    public static MacAddress Broadcast => new(Mask48);

    /// <summary>Reads 6 big-endian bytes.</summary>
    public static MacAddress Read(ReadOnlySpan<byte> bytes)
    {
        ulong high = BinaryPrimitives.ReadUInt16BigEndian(bytes);
        ulong low = BinaryPrimitives.ReadUInt32BigEndian(bytes[2..]);
        return new MacAddress((high << 32) | low);
    }

    /// <summary>
    /// Parses the colon or hyphen separated form, for example <c>0a:00:00:00:00:01</c>.
    /// </summary>
    public static MacAddress Parse(string text)
    {
        string[] parts = text.Split(':', '-');
        if (parts.Length != Size)
        {
            throw new FormatException($"Invalid MAC address '{text}': expected 6 hexadecimal octets.");
        }

        ulong value = 0;
        foreach (string part in parts)
        {
            if (!byte.TryParse(part, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out byte octet))
            {
                throw new FormatException($"Invalid MAC address '{text}': octet '{part}' is not hexadecimal.");
            }

            value = (value << 8) | octet;
        }

        return new MacAddress(value);
    }

    public void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)(Value >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(destination[2..], (uint)Value);
    }

    public byte[] ToArray()
    {
        byte[] bytes = new byte[Size];
        WriteTo(bytes);
        return bytes;
    }

    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[Size];
        WriteTo(bytes);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{bytes[0]:x2}:{bytes[1]:x2}:{bytes[2]:x2}:{bytes[3]:x2}:{bytes[4]:x2}:{bytes[5]:x2}");
    }
}
