using System.Diagnostics;

namespace Sdmi.ClusterTests;

/// <summary>Polling helpers for conditions that a cluster reaches after some time.</summary>
internal static class Waits
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Polls until the condition holds and returns the clock's reading at that moment.</summary>
    /// <exception cref="TimeoutException">The condition did not hold within <paramref name="limit"/>.</exception>
    public static async Task<TimeSpan> UntilAsync(Func<Task<bool>> condition, Stopwatch clock, TimeSpan limit, string description)
    {
        var deadline = clock.Elapsed + limit;
        while (!await condition())
        {
            if (clock.Elapsed > deadline)
            {
                throw new TimeoutException($"Not reached within {limit.TotalSeconds} s: {description}.");
            }

            await Task.Delay(PollInterval);
        }

        return clock.Elapsed;
    }

    public static Task<TimeSpan> UntilAsync(Func<bool> condition, Stopwatch clock, TimeSpan limit, string description) =>
        UntilAsync(() => Task.FromResult(condition()), clock, limit, description);

    /// <summary>Waits until ovs-vsctl shows every node's controller connection to the test bridge as master or slave.</summary>
    public static Task<TimeSpan> UntilRolesSettledAsync(Stopwatch clock) =>
        UntilAsync(
            () => LocalCluster.ControllerRoles().Values.Count(r => r is "master" or "slave") == LocalCluster.NodeCount,
            clock,
            TimeSpan.FromSeconds(60),
            "every node's controller connection shows master or slave in ovs-vsctl");
}
