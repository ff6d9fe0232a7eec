using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Sdmi.Fabric;

/// <summary>An IEEE 802 MAC address stored in the low 48 bits of a 64-bit value.</summary>
public readonly record struct MacAddress(ulong Value)
{
    /// <summary>
    /// First two bytes of every address SDMI derives. 0x02 sets the locally administered bit and
    /// clears the multicast bit, so derived addresses never collide with vendor-assigned ones.
    /// </summary>
    public const ushort DerivedPrefix = 0x025d;

    /// <summary>
    /// Derives the MAC address SDMI gives to an IPv4 address (container, gateway or host port):
    /// the prefix followed by the four address bytes. Unique while the IPv4 addresses are unique.
    /// </summary>
    public static MacAddress FromIPv4(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException($"IPv4 address expected, got '{address}'.", nameof(address));
        }

        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        return new MacAddress(((ulong)DerivedPrefix << 32) | BinaryPrimitives.ReadUInt32BigEndian(bytes));
    }

    public static MacAddress Parse(string text)
    {
        var parts = text.Split(':');
        if (parts.Length != 6)
        {
            throw new FormatException($"Invalid MAC address '{text}': expected six hex bytes separated by ':'.");
        }

        ulong value = 0;
        foreach (var part in parts)
        {
            if (part.Length != 2 || !byte.TryParse(part, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var b))
            {
                throw new FormatException($"Invalid MAC address '{text}': '{part}' is not a hex byte.");
            }

            value = (value << 8) | b;
        }

        return new MacAddress(value);
    }

    public void WriteTo(Span<byte> destination)
    {
        for (var i = 0; i < 6; i++)
        {
            destination[i] = (byte)(Value >> (8 * (5 - i)));
        }
    }

    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[6];
        WriteTo(bytes);
        var hex = Convert.ToHexString(bytes).ToLowerInvariant();
        return string.Join(':', Enumerable.Range(0, 6).Select(i => hex.Substring(i * 2, 2)));
    }
}
