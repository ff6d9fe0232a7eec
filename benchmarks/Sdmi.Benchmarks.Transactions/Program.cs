using System.Globalization;
using Sdmi.Benchmarks.Transactions;

// Load generator of tools/bench/transactions. It sends POST /v1/transactions/probe to the gateways in
// turn with a fixed number of requests in flight: first a warm-up, which is not counted, then the
// measured requests. Latency is client-side, from sending a request to reading its whole response.
// Prints one tab-separated line (columns below) and, on standard error, the first errors. Exits 1
// when a measured probe failed or did not finish before the deadline.
//
// Usage: Sdmi.Benchmarks.Transactions --gateways URL[,URL...] --participants ID[,ID...]
//          [--concurrency 1] [--count 500] [--warmup max(2 x concurrency, 32)] [--timeout-seconds 120]
//
// Columns: participants (joined by +), concurrency, measured requests, committed, failed, unfinished,
// seconds, committed per second, p50 ms, p99 ms, max ms, node-side p50 ms, responses including warm-up.

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
LoadSettings settings;
try
{
    settings = LoadSettings.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

using var client = new ProbeClient(settings.Gateways, settings.Participants);
using var deadline = new CancellationTokenSource(settings.Timeout);
LoadResult warmup = await ProbeLoad.RunAsync(client, settings.Concurrency, settings.Warmup, 0, deadline.Token);
LoadResult measured = await ProbeLoad.RunAsync(
    client, settings.Concurrency, settings.Count, settings.Warmup, deadline.Token);

ProbeResult[] failures = [.. warmup.Results.Concat(measured.Results).Where(result => !result.Committed)];
foreach (ProbeResult failure in failures.Take(3))
{
    Console.Error.WriteLine($"probe failed after {failure.Latency.TotalMilliseconds:F1} ms: {failure.Error}");
}

if (warmup.Unfinished + measured.Unfinished > 0)
{
    Console.Error.WriteLine(
        $"{warmup.Unfinished + measured.Unfinished} probes did not finish within {settings.Timeout.TotalSeconds} s.");
}

double[] latencies = [.. measured.Results.Where(r => r.Committed).Select(r => r.Latency.TotalMilliseconds).Order()];
double[] nodeLatencies = [.. measured.Results.Select(r => r.NodeElapsedMs).OfType<double>().Order()];
int failed = measured.Results.Count - latencies.Length;
double seconds = measured.Elapsed.TotalSeconds;
string[] columns =
[
    string.Join('+', settings.Participants),
    $"{settings.Concurrency}",
    $"{settings.Count}",
    $"{latencies.Length}",
    $"{failed}",
    $"{measured.Unfinished}",
    $"{seconds:F2}",
    $"{latencies.Length / seconds:F1}",
    $"{Percentile.NearestRank(latencies, 0.50):F1}",
    $"{Percentile.NearestRank(latencies, 0.99):F1}",
    $"{(latencies.Length > 0 ? latencies[^1] : double.NaN):F1}",
    $"{Percentile.NearestRank(nodeLatencies, 0.50):F1}",
    $"{warmup.Results.Count + measured.Results.Count}",
];
Console.WriteLine(string.Join('\t', columns));
return failed + measured.Unfinished == 0 ? 0 : 1;
