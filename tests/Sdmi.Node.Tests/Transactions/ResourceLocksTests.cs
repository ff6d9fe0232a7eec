using Sdmi.Node.Transactions;

namespace Sdmi.Node.Tests.Transactions;

public sealed class ResourceLocksTests
{
    [Fact]
    public void Acquire_DisjointResources_BothGranted()
    {
        var locks = new ResourceLocks();

        Assert.True(locks.TryAcquire("t1", ["service/db"]));
        Assert.True(locks.TryAcquire("t2", ["service/app"]));
    }

    [Fact]
    public void Acquire_SharedResource_SecondWaitsUntilRelease()
    {
        var locks = new ResourceLocks();
        locks.TryAcquire("t1", ["service/db", "switch/sdmi0"]);

        var granted = locks.TryAcquire("t2", ["switch/sdmi0"]);

        Assert.False(granted);
        Assert.Equal(["t2"], locks.Release("t1"));
        Assert.Equal("t2", locks.OwnerOf("switch/sdmi0"));
    }

    [Fact]
    public void Release_WaitersInArrivalOrder_LaterWaiterDoesNotOvertake()
    {
        var locks = new ResourceLocks();
        locks.TryAcquire("t1", ["a"]);
        locks.TryAcquire("t2", ["a", "b"]);

        var third = locks.TryAcquire("t3", ["b"]);

        Assert.False(third);
        Assert.Equal(["t2"], locks.Release("t1"));
        Assert.Equal(["t3"], locks.Release("t2"));
    }

    [Fact]
    public void Release_UnrelatedWaiter_GrantedTogether()
    {
        var locks = new ResourceLocks();
        locks.TryAcquire("t1", ["a", "b"]);
        locks.TryAcquire("t2", ["a"]);
        locks.TryAcquire("t3", ["b"]);

        var granted = locks.Release("t1");

        Assert.Equal(["t2", "t3"], granted);
    }
}
