using System.Diagnostics;

namespace Sdmi.Benchmarks.Transactions;

/// <summary>Results of a fixed number of probes sent with a fixed number in flight.</summary>
/// <param name="Results">One entry per probe that received a response, committed or not, in request order.</param>
/// <param name="Unfinished">Probes not sent or still waiting when the deadline passed.</param>
/// <param name="Elapsed">From the first request until the last response (or the deadline).</param>
internal sealed record LoadResult(IReadOnlyList<ProbeResult> Results, int Unfinished, TimeSpan Elapsed);

/// <summary>Closed-loop load: each of N workers sends its next probe as soon as its previous one returned.</summary>
internal static class ProbeLoad
{
    public static async Task<LoadResult> RunAsync(
        ProbeClient client, int concurrency, int count, int firstIndex, CancellationToken deadline)
    {
        var results = new ProbeResult?[count];
        int next = -1;

        async Task WorkAsync()
        {
            while (!deadline.IsCancellationRequested)
            {
                int slot = Interlocked.Increment(ref next);
                if (slot >= count)
                {
                    return;
                }

                try
                {
                    results[slot] = await client.SendAsync(firstIndex + slot, deadline);
                }
                catch (OperationCanceledException) when (deadline.IsCancellationRequested)
                {
                    return;
                }
            }
        }

        long start = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(WorkAsync)));
        TimeSpan elapsed = Stopwatch.GetElapsedTime(start);
        List<ProbeResult> finished = [.. results.OfType<ProbeResult>()];
        return new LoadResult(finished, count - finished.Count, elapsed);
    }
}
