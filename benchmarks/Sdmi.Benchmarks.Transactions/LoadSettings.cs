using System.Globalization;

namespace Sdmi.Benchmarks.Transactions;

/// <summary>Command-line settings of one load run.</summary>
/// <param name="Gateways">Base addresses of the nodes' control APIs. Request i goes to gateway i mod count.</param>
/// <param name="Participants">Participant ids sent in every probe's body, for example host:local.</param>
/// <param name="Concurrency">Requests in flight at once.</param>
/// <param name="Count">Measured requests.</param>
/// <param name="Warmup">Requests sent at the same concurrency before the measured ones and not counted.</param>
/// <param name="Timeout">Deadline for the warm-up and the measured requests together.</param>
internal sealed record LoadSettings(
    IReadOnlyList<Uri> Gateways,
    IReadOnlyList<string> Participants,
    int Concurrency,
    int Count,
    int Warmup,
    TimeSpan Timeout)
{
    private const int MaxConcurrency = 1024;
    private const int MaxCount = 1_000_000;
    private const int MaxTimeoutSeconds = 3600;

    public static LoadSettings Parse(string[] arguments)
    {
        List<Uri> gateways = [];
        List<string> participants = [];
        int concurrency = 1;
        int count = 500;
        int? warmup = null;
        int timeoutSeconds = 120;
        for (int i = 0; i < arguments.Length; i += 2)
        {
            string value = i + 1 < arguments.Length
                ? arguments[i + 1]
                : throw new ArgumentException($"Option {arguments[i]} is missing its value.");
            switch (arguments[i])
            {
                case "--gateways":
                    gateways = [.. Split(value).Select(ParseGateway)];
                    break;
                case "--participants":
                    participants = [.. Split(value)];
                    break;
                case "--concurrency":
                    concurrency = ParseCount("--concurrency", value, 1, MaxConcurrency);
                    break;
                case "--count":
                    count = ParseCount("--count", value, 1, MaxCount);
                    break;
                case "--warmup":
                    warmup = ParseCount("--warmup", value, 0, MaxCount);
                    break;
                case "--timeout-seconds":
                    timeoutSeconds = ParseCount("--timeout-seconds", value, 1, MaxTimeoutSeconds);
                    break;
                default:
                    throw new ArgumentException(
                        $"Unknown option '{arguments[i]}'; expected --gateways, --participants, --concurrency, "
                        + "--count, --warmup or --timeout-seconds.");
            }
        }

        if (gateways.Count == 0)
        {
            throw new ArgumentException("Missing --gateways URL[,URL...], the nodes' control API addresses.");
        }

        if (participants.Count == 0)
        {
            throw new ArgumentException("Missing --participants ID[,ID...], for example host:local,switch:sdmic0.");
        }

        // By default the warm-up fills every connection once and gives the JIT a few rounds.
        int defaultWarmup = Math.Max(2 * concurrency, 32);
        return new LoadSettings(
            gateways, participants, concurrency, count, warmup ?? defaultWarmup, TimeSpan.FromSeconds(timeoutSeconds));
    }

    private static IEnumerable<string> Split(string list) =>
        list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Accepts only loopback addresses: the benchmark drives nodes on this machine.</summary>
    private static Uri ParseGateway(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out Uri? uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"Invalid gateway '{text}': expected an address like http://127.0.0.1:7790.");
        }

        if (!uri.IsLoopback)
        {
            throw new ArgumentException($"Invalid gateway '{text}': only loopback addresses are allowed.");
        }

        return uri;
    }

    private static int ParseCount(string option, string text, int min, int max)
    {
        bool valid = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value);
        if (!valid || value < min || value > max)
        {
            throw new ArgumentException(
                $"Invalid {option} value '{text}': expected a whole number from {min} to {max}.");
        }

        return value;
    }
}
