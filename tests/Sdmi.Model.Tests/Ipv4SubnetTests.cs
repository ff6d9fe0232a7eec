using System.Net;
using CsCheck;

namespace Sdmi.Model.Tests;

public sealed class Ipv4SubnetTests
{
    /// <summary>Subnets inside 172.16.0.0/16 with prefix lengths 16 to 32.</summary>
    private static readonly Gen<Ipv4Subnet> Subnets =
        Gen.Select(Gen.UInt[0, 0xFFFF], Gen.Int[16, 32]).Select(pair => MakeSubnet(pair.Item1, pair.Item2));

    private static readonly Gen<IPAddress> Addresses =
        Gen.UInt[0, 0xFFFF].Select(low => Ipv4.FromUInt32(0xAC100000u | low));

    [Fact]
    public void Parse_ValidCidr_ReturnsNetworkAndPrefix()
    {
        var subnet = Ipv4Subnet.Parse("172.16.10.0/24");

        Assert.Equal(IPAddress.Parse("172.16.10.0"), subnet.Network);
        Assert.Equal(24, subnet.PrefixLength);
        Assert.Equal("172.16.10.0/24", subnet.ToString());
    }

    [Fact]
    public void Parse_HostBitsSet_ThrowsFormatException()
    {
        var exception = Assert.Throws<FormatException>(() => Ipv4Subnet.Parse("172.16.10.1/24"));

        Assert.Contains("has host bits set", exception.Message);
    }

    [Theory]
    [InlineData("172.16.10.0/24", true)]
    [InlineData("172.16.10.0", false)]
    [InlineData("172.16.10.0/", false)]
    [InlineData("172.16.10.0/-1", false)]
    [InlineData("172.16.10.0/ 24", false)]
    [InlineData("172.16.10.0.0/24", false)]
    [InlineData("fd00::/64", false)]
    [InlineData(null, false)]
    public void TryParse_Input_ReturnsExpected(string? text, bool expected)
    {
        var parsed = Ipv4Subnet.TryParse(text, out _);

        Assert.Equal(expected, parsed);
    }

    [Fact]
    public void Properties_Slash24_HaveExpectedAddresses()
    {
        var subnet = Ipv4Subnet.Parse("172.16.20.0/24");

        Assert.Equal(256, subnet.Size);
        Assert.Equal(IPAddress.Parse("172.16.20.255"), subnet.Broadcast);
        Assert.Equal(IPAddress.Parse("172.16.20.1"), subnet.FirstUsable);
        Assert.Equal(IPAddress.Parse("172.16.20.254"), subnet.LastUsable);
        Assert.Equal(IPAddress.Parse("172.16.20.10"), subnet.AddressAt(10));
    }

    [Fact]
    public void AddressAt_OffsetOutsideSubnet_Throws()
    {
        var subnet = Ipv4Subnet.Parse("172.16.20.0/24");

        Assert.Throws<ArgumentOutOfRangeException>(() => subnet.AddressAt(256));
        Assert.Throws<ArgumentOutOfRangeException>(() => subnet.AddressAt(-1));
    }

    [Fact]
    public void Contains_SubnetAndAddress_ChecksBlock()
    {
        var outer = Ipv4Subnet.Parse("172.16.0.0/16");
        var inner = Ipv4Subnet.Parse("172.16.10.0/24");

        Assert.True(outer.Contains(inner));
        Assert.False(inner.Contains(outer));
        Assert.True(inner.Contains(IPAddress.Parse("172.16.10.200")));
        Assert.False(inner.Contains(IPAddress.Parse("172.16.11.0")));
        Assert.False(inner.Contains(IPAddress.IPv6Loopback));
    }

    [Fact]
    public void Overlaps_Property_IsSymmetric()
    {
        Gen.Select(Subnets, Subnets).Sample((a, b) => a.Overlaps(b) == b.Overlaps(a));
    }

    [Fact]
    public void Overlaps_Property_MatchesSharedAddress()
    {
        Gen.Select(Subnets, Subnets).Sample((a, b) =>
            a.Overlaps(b) == (a.Contains(b.Network) || b.Contains(a.Network)));
    }

    [Fact]
    public void Contains_Property_SubnetMatchesBothEnds()
    {
        Gen.Select(Subnets, Subnets).Sample((a, b) =>
            a.Contains(b) == (a.Contains(b.Network) && a.Contains(b.Broadcast)));
    }

    [Fact]
    public void Contains_Property_AddressMatchesBounds()
    {
        Gen.Select(Subnets, Addresses).Sample((subnet, address) =>
        {
            var value = Ipv4.ToUInt32(address);
            var inBounds = value >= Ipv4.ToUInt32(subnet.Network) && value <= Ipv4.ToUInt32(subnet.Broadcast);
            return subnet.Contains(address) == inBounds;
        });
    }

    [Fact]
    public void Contains_Property_ImpliesOverlap()
    {
        Gen.Select(Subnets, Subnets).Sample((a, b) => !a.Contains(b) || a.Overlaps(b));
    }

    [Fact]
    public void Parse_Property_RoundTripsToString()
    {
        Subnets.Sample(subnet => Ipv4Subnet.Parse(subnet.ToString()) == subnet);
    }

    [Fact]
    public void AddressAt_Property_InvertsOffsetOf()
    {
        Gen.Select(Subnets, Addresses).Sample((subnet, address) =>
            !subnet.Contains(address) || subnet.AddressAt(subnet.OffsetOf(address)).Equals(address));
    }

    private static Ipv4Subnet MakeSubnet(uint low, int prefix)
    {
        var address = 0xAC100000u | low;
        var mask = uint.MaxValue << (32 - prefix);
        return new Ipv4Subnet(Ipv4.FromUInt32(address & mask), prefix);
    }
}
