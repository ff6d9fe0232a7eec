using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;

namespace Sdmi.Model;

/// <summary>Conversions between <see cref="IPAddress"/> and 32-bit values in host byte order.</summary>
public static class Ipv4
{
    public static uint ToUInt32(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException($"'{address}' is not an IPv4 address", nameof(address));
        }

        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        return BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    public static IPAddress FromUInt32(uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return new IPAddress(bytes);
    }

    /// <summary>
    /// Parses strict dotted-quad IPv4 ("172.16.1.1"). <see cref="IPAddress.TryParse(string?, out IPAddress?)"/>
    /// alone also accepts forms such as "10.1" or "0x0a000001", which are almost always typing errors in a file.
    /// </summary>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        if (text is null)
        {
            return false;
        }

        var parts = text.Split('.');
        if (parts.Length != 4)
        {
            return false;
        }

        foreach (var part in parts)
        {
            // A leading zero is rejected because some parsers read "010" as octal.
            var hasLeadingZero = part.Length > 1 && part[0] == '0';
            if (part.Length is 0 or > 3 || hasLeadingZero || !part.All(char.IsAsciiDigit))
            {
                return false;
            }
        }

        if (!IPAddress.TryParse(text, out var parsed) || parsed.AddressFamily != AddressFamily.InterNetwork)
        {
            return false;
        }

        address = parsed;
        return true;
    }

    public static IPAddress Add(IPAddress address, long delta) => FromUInt32((uint)(ToUInt32(address) + delta));
}
