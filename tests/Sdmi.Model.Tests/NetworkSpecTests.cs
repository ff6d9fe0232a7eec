using System.Net;

namespace Sdmi.Model.Tests;

public sealed class NetworkSpecTests
{
    private static readonly Ipv4Subnet Subnet = Ipv4Subnet.Parse("172.16.10.0/24");

    [Fact]
    public void DefaultGateway_Slash24_IsDot254()
    {
        var gateway = NetworkSpec.DefaultGateway(Subnet);

        Assert.Equal(IPAddress.Parse("172.16.10.254"), gateway);
    }

    [Fact]
    public void DefaultRange_NoHostAddress_EndsBeforeGateway()
    {
        var range = NetworkSpec.DefaultRange(Subnet, IPAddress.Parse("172.16.10.254"), null);

        Assert.Equal(new AddressRange(IPAddress.Parse("172.16.10.1"), IPAddress.Parse("172.16.10.253")), range);
        Assert.Equal(253, range.Count);
    }

    [Fact]
    public void DefaultRange_HostAddressBeforeGateway_ExcludesBoth()
    {
        var gateway = IPAddress.Parse("172.16.10.254");
        var hostAddress = IPAddress.Parse("172.16.10.253");

        var range = NetworkSpec.DefaultRange(Subnet, gateway, hostAddress);

        Assert.Equal(new AddressRange(IPAddress.Parse("172.16.10.1"), IPAddress.Parse("172.16.10.252")), range);
    }

    [Fact]
    public void DefaultRange_HostAddressInMiddle_TakesLargerBlock()
    {
        var gateway = IPAddress.Parse("172.16.10.254");
        var hostAddress = IPAddress.Parse("172.16.10.100");

        var range = NetworkSpec.DefaultRange(Subnet, gateway, hostAddress);

        Assert.Equal(new AddressRange(IPAddress.Parse("172.16.10.101"), IPAddress.Parse("172.16.10.253")), range);
    }

    [Fact]
    public void DefaultRange_GatewayFirst_StartsAfterIt()
    {
        var range = NetworkSpec.DefaultRange(Subnet, IPAddress.Parse("172.16.10.1"), null);

        Assert.Equal(new AddressRange(IPAddress.Parse("172.16.10.2"), IPAddress.Parse("172.16.10.254")), range);
    }

    [Fact]
    public void Create_ChildNetworks_SetsParent()
    {
        var child = NetworkSpec.Create("inner", Subnet);

        var parent = NetworkSpec.Create("outer", Ipv4Subnet.Parse("172.16.0.0/16"), children: [child]);

        Assert.Equal("outer", Assert.Single(parent.Children).Parent);
        Assert.Equal(IPAddress.Parse("172.16.255.254"), parent.Gateway);
    }

    [Fact]
    public void AddressRange_AddressAt_CountsFromStart()
    {
        var range = new AddressRange(IPAddress.Parse("172.16.10.1"), IPAddress.Parse("172.16.10.100"));

        Assert.Equal(100, range.Count);
        Assert.Equal(IPAddress.Parse("172.16.10.1"), range.AddressAt(0));
        Assert.Equal(IPAddress.Parse("172.16.10.100"), range.AddressAt(99));
        Assert.Throws<ArgumentOutOfRangeException>(() => range.AddressAt(100));
        Assert.True(range.Contains(IPAddress.Parse("172.16.10.50")));
        Assert.False(range.Contains(IPAddress.Parse("172.16.10.101")));
    }
}
