using System.Net;
using Sdmi.Model;
using Sdmi.Node.Networks;

namespace Sdmi.Node.Tests.Networks;

public sealed class AddressLeasesTests
{
    private static readonly AddressRange Range = new(IPAddress.Parse("10.99.0.1"), IPAddress.Parse("10.99.0.6"));

    [Fact]
    public void Decide_NoLeases_GrantsPreferredAddresses()
    {
        var plan = AddressLeases.Decide("apps", Range, [], [Want("api", 1, "10.99.0.1"), Want("api", 2, "10.99.0.2")], releaseUndeclared: false);

        Assert.Equal(["10.99.0.1", "10.99.0.2"], plan.Leases.Select(l => l.Address));
        Assert.Equal(2, plan.Granted.Count);
        Assert.Empty(plan.Released);
    }

    [Fact]
    public void Decide_BlocksMoved_KeepsEveryHeldLease()
    {
        // A service declared before api moved api's preferred block; api's running replica keeps its address.
        var current = new[] { new Lease("api", 1, "10.99.0.1") };

        var plan = AddressLeases.Decide(
            "apps", Range, current, [Want("cache", 1, "10.99.0.1"), Want("api", 1, "10.99.0.3")], releaseUndeclared: false);

        Assert.Contains(new Lease("api", 1, "10.99.0.1"), plan.Leases);
        Assert.Equal(new Lease("cache", 1, "10.99.0.2"), Assert.Single(plan.Granted));
    }

    [Fact]
    public void Decide_ReplicaNoLongerDeclared_KeepsItsAddressTaken()
    {
        // Its container runs until its service's step removes it, and that step may not come if the run fails.
        var current = new[] { new Lease("api", 1, "10.99.0.1"), new Lease("api", 2, "10.99.0.2") };

        var plan = AddressLeases.Decide(
            "apps", Range, current, [Want("api", 1, "10.99.0.1"), Want("worker", 1, "10.99.0.2")], releaseUndeclared: false);

        Assert.Empty(plan.Released);
        Assert.Contains(new Lease("api", 2, "10.99.0.2"), plan.Leases);
        Assert.Equal(new Lease("worker", 1, "10.99.0.3"), Assert.Single(plan.Granted));
    }

    [Fact]
    public void Decide_ReleaseUndeclared_ReleasesWithoutHandingItOut()
    {
        var current = new[] { new Lease("api", 1, "10.99.0.1"), new Lease("api", 2, "10.99.0.2") };

        var plan = AddressLeases.Decide(
            "apps", Range, current, [Want("api", 1, "10.99.0.1"), Want("worker", 1, "10.99.0.2")], releaseUndeclared: true);

        Assert.Equal(new Lease("api", 2, "10.99.0.2"), Assert.Single(plan.Released));
        Assert.Equal(new Lease("worker", 1, "10.99.0.3"), Assert.Single(plan.Granted));
        Assert.DoesNotContain(new Lease("api", 2, "10.99.0.2"), plan.Leases);
    }

    [Fact]
    public void Decide_LeaseOutsideANarrowedRange_GetsANewAddress()
    {
        var current = new[] { new Lease("api", 1, "10.99.0.9") };

        var plan = AddressLeases.Decide("apps", Range, current, [Want("api", 1, "10.99.0.1")], releaseUndeclared: false);

        Assert.Equal(new Lease("api", 1, "10.99.0.1"), Assert.Single(plan.Leases));
        Assert.Single(plan.Released);
    }

    [Fact]
    public void Decide_RangeFull_NamesTheNetworkAndReplica()
    {
        var wanted = Enumerable.Range(1, 7).Select(k => Want("api", k, "10.99.0.1")).ToList();

        var error = Assert.Throws<AddressesExhaustedException>(() => AddressLeases.Decide("apps", Range, [], wanted, releaseUndeclared: false));

        Assert.Contains("apps", error.Message);
        Assert.Contains("api replica 7", error.Message);
        Assert.Contains("Widen the network's range", error.Message);
    }

    private static LeaseRequest Want(string service, int replica, string preferred) => new(service, replica, IPAddress.Parse(preferred));
}
