using System.Net;

namespace Sdmi.Model;

/// <summary>Inclusive block of IPv4 addresses from which container addresses are allocated.</summary>
public sealed record AddressRange(IPAddress Start, IPAddress End)
{
    /// <summary>Number of addresses in the range; 0 when <see cref="End"/> is below <see cref="Start"/>.</summary>
    public long Count => Math.Max(0L, (long)Ipv4.ToUInt32(End) - Ipv4.ToUInt32(Start) + 1);

    public bool Contains(IPAddress address)
    {
        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
        {
            return false;
        }

        var value = Ipv4.ToUInt32(address);
        return value >= Ipv4.ToUInt32(Start) && value <= Ipv4.ToUInt32(End);
    }

    /// <summary>True when the two ranges share at least one address.</summary>
    public bool Overlaps(AddressRange other) =>
        Ipv4.ToUInt32(Start) <= Ipv4.ToUInt32(other.End) && Ipv4.ToUInt32(other.Start) <= Ipv4.ToUInt32(End);

    /// <summary>True when the range shares at least one address with <paramref name="subnet"/>.</summary>
    public bool Overlaps(Ipv4Subnet subnet) =>
        Ipv4.ToUInt32(Start) <= subnet.Last && subnet.First <= Ipv4.ToUInt32(End);

    /// <summary>Returns the address at zero-based <paramref name="index"/> from <see cref="Start"/>.</summary>
    public IPAddress AddressAt(int index)
    {
        if (index < 0 || index >= Count)
        {
            throw new ArgumentOutOfRangeException(
                nameof(index), index, $"index must be between 0 and {Count - 1} for range {this}");
        }

        return Ipv4.Add(Start, index);
    }

    public override string ToString() => $"{Start}-{End}";
}
