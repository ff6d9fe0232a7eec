using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Sdmi.Model;

/// <summary>
/// An IPv4 network in CIDR notation ("172.16.10.0/24"). <see cref="Parse"/> and
/// <see cref="TryParse(string?, out Ipv4Subnet)"/> reject a network address with host bits set, so a parsed
/// value always names the first address of its block.
/// </summary>
public readonly record struct Ipv4Subnet(IPAddress Network, int PrefixLength)
{
    /// <summary>Number of addresses in the block, network and broadcast addresses included.</summary>
    public long Size => 1L << (32 - PrefixLength);

    /// <summary>Subnet mask as a 32-bit value in host byte order.</summary>
    public uint Mask => PrefixLength == 0 ? 0u : uint.MaxValue << (32 - PrefixLength);

    /// <summary>Broadcast address (the last address of the block).</summary>
    public IPAddress Broadcast => Ipv4.FromUInt32(First | ~Mask);

    /// <summary>
    /// Lowest address that a host may use: the address after the network address, or the network address
    /// itself for /31 and /32, which have no network or broadcast address (RFC 3021).
    /// </summary>
    public IPAddress FirstUsable => Ipv4.FromUInt32(PrefixLength >= 31 ? First : First + 1);

    /// <summary>
    /// Highest address that a host may use: the address before the broadcast address, except in /31 and /32.
    /// </summary>
    public IPAddress LastUsable => Ipv4.FromUInt32(PrefixLength >= 31 ? Last : Last - 1);

    internal uint First => Ipv4.ToUInt32(Network) & Mask;

    internal uint Last => First | ~Mask;

    /// <summary>Parses "a.b.c.d/n"; throws <see cref="FormatException"/> that says what is wrong.</summary>
    public static Ipv4Subnet Parse(string text)
    {
        if (TryParse(text, out var subnet, out var error))
        {
            return subnet;
        }

        throw new FormatException(error);
    }

    public static bool TryParse([NotNullWhen(true)] string? text, out Ipv4Subnet subnet) =>
        TryParse(text, out subnet, out _);

    /// <summary>Parses "a.b.c.d/n"; on failure <paramref name="error"/> describes the problem for a user.</summary>
    public static bool TryParse(
        [NotNullWhen(true)] string? text, out Ipv4Subnet subnet, [NotNullWhen(false)] out string? error)
    {
        subnet = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "subnet is empty; expected CIDR notation such as 172.16.10.0/24";
            return false;
        }

        var slash = text.IndexOf('/');
        if (slash < 0)
        {
            error = $"subnet '{text}' has no prefix length; expected CIDR notation such as 172.16.10.0/24";
            return false;
        }

        var addressText = text[..slash];
        var prefixText = text[(slash + 1)..];
        if (!Ipv4.TryParse(addressText, out var address))
        {
            error = $"subnet '{text}' does not start with an IPv4 address in dotted-quad form";
            return false;
        }

        if (!int.TryParse(prefixText, NumberStyles.None, CultureInfo.InvariantCulture, out var prefix) || prefix > 32)
        {
            error = $"subnet '{text}' has an invalid prefix length '{prefixText}'; expected 0 to 32";
            return false;
        }

        var candidate = new Ipv4Subnet(address, prefix);
        if (candidate.First != Ipv4.ToUInt32(address))
        {
            error = $"subnet '{text}' has host bits set; the network address for /{prefix} is "
                + $"{Ipv4.FromUInt32(candidate.First)}/{prefix}";
            return false;
        }

        subnet = candidate;
        error = null;
        return true;
    }

    public bool Contains(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetwork)
        {
            return false;
        }

        return (Ipv4.ToUInt32(address) & Mask) == First;
    }

    /// <summary>True when <paramref name="other"/> lies entirely inside this subnet, or equals it.</summary>
    public bool Contains(Ipv4Subnet other) => other.PrefixLength >= PrefixLength && Contains(other.Network);

    /// <summary>True when the two blocks share at least one address.</summary>
    public bool Overlaps(Ipv4Subnet other) => Contains(other) || other.Contains(this);

    /// <summary>Returns the address <paramref name="offset"/> places after the network address (offset 0).</summary>
    public IPAddress AddressAt(int offset)
    {
        if (offset < 0 || offset >= Size)
        {
            throw new ArgumentOutOfRangeException(
                nameof(offset), offset, $"offset must be between 0 and {Size - 1} for {this}");
        }

        return Ipv4.FromUInt32(First + (uint)offset);
    }

    /// <summary>Returns the offset of <paramref name="address"/> from the network address.</summary>
    public int OffsetOf(IPAddress address)
    {
        if (!Contains(address))
        {
            throw new ArgumentOutOfRangeException(nameof(address), address, $"address is outside {this}");
        }

        return (int)(Ipv4.ToUInt32(address) - First);
    }

    public override string ToString() =>
        Network is null ? $"<none>/{PrefixLength}" : $"{Network}/{PrefixLength.ToString(CultureInfo.InvariantCulture)}";
}
