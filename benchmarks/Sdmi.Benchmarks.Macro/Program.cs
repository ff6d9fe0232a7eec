using System.Globalization;
using System.Text.Json;
using Sdmi.Benchmarks.Macro;

// End-to-end figures for the OpenFlow library: flow installation into Open vSwitch next to
// ovs-ofctl, and codec rates next to os-ken, each pair measured in the same run. Run through
// tools/bench/openflow, which passes the os-ken script and a work directory. Prints Markdown.
//
// Usage: Sdmi.Benchmarks.Macro --work DIR --osken SCRIPT [--flows 10000,100000] [--rounds 3]
//                              [--codec-iterations 20000]

var settings = BenchmarkSettings.Parse(args);
Directory.CreateDirectory(settings.WorkDirectory);
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

Console.WriteLine("### Flow installation into Open vSwitch");
Console.WriteLine();
Console.WriteLine($"Median of {settings.Rounds} rounds; each install goes into a fresh bridge.");
Console.WriteLine();
Console.WriteLine("| flows | SDMI bundle (s) | ovs-ofctl --bundle add-flows (s) | ovs-ofctl / SDMI | SDMI flows/s | building the FlowMods (s) |");
Console.WriteLine("|---:|---:|---:|---:|---:|---:|");
foreach (int flowCount in settings.FlowCounts)
{
    string ofctlFile = Path.Combine(settings.WorkDirectory, $"flows-{flowCount}.txt");
    BenchmarkFlows.WriteOfctlFile(ofctlFile, flowCount);
    var rounds = new List<InstallRound>();
    for (int round = 0; round < settings.Rounds; round++)
    {
        InstallRound result = await InstallBenchmark.RunRoundAsync(flowCount, ofctlFile);
        Console.Error.WriteLine(
            $"{flowCount} flows, round {round + 1}: library {result.Library.TotalSeconds:F3} s, " +
            $"ovs-ofctl {result.Ofctl.TotalSeconds:F3} s");
        rounds.Add(result);
    }

    double library = Median(rounds.Select(round => round.Library.TotalSeconds));
    double ofctl = Median(rounds.Select(round => round.Ofctl.TotalSeconds));
    double build = Median(rounds.Select(round => round.Build.TotalSeconds));
    Console.WriteLine(
        $"| {flowCount:N0} | {library:F3} | {ofctl:F3} | {ofctl / library:F2} | {flowCount / library:N0} | {build:F3} |");
}

Console.WriteLine();
Console.WriteLine("### Codec rate next to os-ken");
Console.WriteLine();
CodecMessages.WriteHexFiles(settings.WorkDirectory);
IReadOnlyList<CodecRate> sdmi = CodecBenchmark.Run(settings.CodecIterations);
string oskenOutput = await Shell.RunAsync(
    "/usr/bin/python3", settings.OskenScript, settings.WorkDirectory,
    settings.CodecIterations.ToString(CultureInfo.InvariantCulture));
using JsonDocument osken = JsonDocument.Parse(oskenOutput);
Console.WriteLine(
    $"{settings.CodecIterations:N0} iterations per pass, median of 5 passes after one warm-up pass; " +
    $"os-ken on Python {osken.RootElement.GetProperty("python").GetString()}.");
Console.WriteLine();
Console.WriteLine("| message | operation | SDMI (ops/s) | os-ken (ops/s) | SDMI / os-ken |");
Console.WriteLine("|---|---|---:|---:|---:|");
foreach (CodecRate rate in sdmi)
{
    JsonElement? match = osken.RootElement.GetProperty("rates").EnumerateArray()
        .Where(entry => entry.GetProperty("message").GetString() == rate.Message
            && entry.GetProperty("operation").GetString() == rate.Operation)
        .Select(entry => (JsonElement?)entry)
        .FirstOrDefault();
    string oskenRate = "no encoder";
    string ratio = "-";
    if (match is { } entry)
    {
        double operations = entry.GetProperty("operations_per_second").GetDouble();
        oskenRate = operations.ToString("N0", CultureInfo.InvariantCulture);
        ratio = (rate.OperationsPerSecond / operations).ToString("F1", CultureInfo.InvariantCulture);
    }

    Console.WriteLine($"| {rate.Message} | {rate.Operation} | {rate.OperationsPerSecond:N0} | {oskenRate} | {ratio} |");
}

static double Median(IEnumerable<double> values)
{
    double[] sorted = [.. values.Order()];
    return sorted.Length % 2 == 1
        ? sorted[sorted.Length / 2]
        : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
}
