namespace Sdmi.Benchmarks.Transactions;

internal static class Percentile
{
    /// <summary>
    /// Returns the nearest-rank percentile: the smallest value with at least <paramref name="fraction"/>
    /// of the values at or below it. With 500 values, p99 is the 495th smallest.
    /// </summary>
    public static double NearestRank(IReadOnlyList<double> sorted, double fraction)
    {
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        int rank = (int)Math.Ceiling(fraction * sorted.Count);
        return sorted[Math.Clamp(rank, 1, sorted.Count) - 1];
    }
}
