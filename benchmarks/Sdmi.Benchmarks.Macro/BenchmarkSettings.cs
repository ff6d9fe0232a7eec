using System.Globalization;

namespace Sdmi.Benchmarks.Macro;

/// <summary>Command-line settings of the macro benchmark.</summary>
internal sealed record BenchmarkSettings(
    string WorkDirectory,
    string OskenScript,
    IReadOnlyList<int> FlowCounts,
    int Rounds,
    int CodecIterations)
{
    private const int MaxFlowCount = 1_000_000;
    private const int MaxRounds = 20;

    public static BenchmarkSettings Parse(string[] arguments)
    {
        string? work = null;
        string? osken = null;
        int[] flowCounts = [10_000, 100_000];
        int rounds = 3;
        int codecIterations = 20_000;
        for (int i = 0; i < arguments.Length; i++)
        {
            string value = i + 1 < arguments.Length
                ? arguments[i + 1]
                : throw new ArgumentException($"Option {arguments[i]} is missing its value.");
            switch (arguments[i])
            {
                case "--work":
                    work = value;
                    break;
                case "--osken":
                    osken = value;
                    break;
                case "--flows":
                    flowCounts = [.. value.Split(',').Select(count => ParseCount("--flows", count, MaxFlowCount))];
                    break;
                case "--rounds":
                    rounds = ParseCount("--rounds", value, MaxRounds);
                    break;
                case "--codec-iterations":
                    codecIterations = ParseCount("--codec-iterations", value, int.MaxValue);
                    break;
                default:
                    throw new ArgumentException(
                        $"Unknown option '{arguments[i]}'; expected --work, --osken, --flows, --rounds or --codec-iterations.");
            }

            i++;
        }

        return new BenchmarkSettings(
            work ?? throw new ArgumentException("Missing --work DIR, the directory for flow files and message hex."),
            osken ?? throw new ArgumentException("Missing --osken SCRIPT, the path of tools/bench/osken_codec.py."),
            flowCounts,
            rounds,
            codecIterations);
    }

    private static int ParseCount(string option, string text, int max)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int count) || count < 1 || count > max)
        {
            throw new ArgumentException($"Invalid {option} value '{text}': expected a whole number from 1 to {max}.");
        }

        return count;
    }
}
