using System.Net;

namespace Sdmi.Model;

/// <summary>
/// An L2 segment with its own subnet. Networks nest: a child's subnet lies inside its parent's, and the child
/// inherits the parent's policy.
/// </summary>
/// <param name="Gateway">Address the controller answers ARP for and routes through; defaults to the last usable
/// address of the subnet (.254 in a /24).</param>
/// <param name="Range">Addresses allocated to containers. The default is the largest contiguous block of usable
/// addresses that contains neither the gateway nor the host address (see <see cref="DefaultRange"/>).</param>
/// <param name="HostAddress">When set, the host machine gets this address on an OVS internal port attached to
/// the network, so processes on the host can reach the network's members.</param>
public sealed record NetworkSpec(
    string Name,
    Ipv4Subnet Subnet,
    IPAddress Gateway,
    AddressRange Range,
    IPAddress? HostAddress,
    IReadOnlyList<NetworkSpec> Children)
{
    /// <summary>Name of the enclosing network, or null for a top-level network.</summary>
    public string? Parent { get; init; }

    /// <summary>Returns the default gateway of <paramref name="subnet"/>: its last usable address.</summary>
    public static IPAddress DefaultGateway(Ipv4Subnet subnet) => subnet.LastUsable;

    /// <summary>
    /// Returns the largest contiguous block of usable addresses in <paramref name="subnet"/> that excludes
    /// <paramref name="gateway"/> and <paramref name="hostAddress"/>; on a tie the lower block wins. Returns a
    /// range with <see cref="AddressRange.Count"/> 0 when no address is left.
    /// </summary>
    public static AddressRange DefaultRange(Ipv4Subnet subnet, IPAddress gateway, IPAddress? hostAddress)
    {
        var first = (long)Ipv4.ToUInt32(subnet.FirstUsable);
        var last = (long)Ipv4.ToUInt32(subnet.LastUsable);
        var excluded = new List<long>();
        foreach (var address in new[] { gateway, hostAddress })
        {
            if (address is not null && subnet.Contains(address))
            {
                excluded.Add(Ipv4.ToUInt32(address));
            }
        }

        excluded.Sort();
        var bestStart = first;
        var bestEnd = first - 1;
        var blockStart = first;
        foreach (var cut in excluded.Append(last + 1))
        {
            var blockEnd = Math.Min(cut - 1, last);
            if (blockEnd - blockStart > bestEnd - bestStart)
            {
                bestStart = blockStart;
                bestEnd = blockEnd;
            }

            blockStart = Math.Max(blockStart, cut + 1);
        }

        if (bestEnd < bestStart)
        {
            return new AddressRange(Ipv4.FromUInt32((uint)first), Ipv4.FromUInt32((uint)(first - 1)));
        }

        return new AddressRange(Ipv4.FromUInt32((uint)bestStart), Ipv4.FromUInt32((uint)bestEnd));
    }

    /// <summary>Creates a network whose gateway and range take their defaults when null.</summary>
    public static NetworkSpec Create(
        string name,
        Ipv4Subnet subnet,
        IPAddress? gateway = null,
        AddressRange? range = null,
        IPAddress? hostAddress = null,
        IReadOnlyList<NetworkSpec>? children = null)
    {
        var effectiveGateway = gateway ?? DefaultGateway(subnet);
        var effectiveRange = range ?? DefaultRange(subnet, effectiveGateway, hostAddress);
        var childList = children ?? [];
        var withParent = childList.Select(child => child with { Parent = name }).ToList();
        return new NetworkSpec(name, subnet, effectiveGateway, effectiveRange, hostAddress, withParent);
    }
}
