using System.Globalization;
using System.Text;

namespace Sdmi.Cli;

/// <summary>The `sdmi scale SYSTEM SERVICE N` command: sets one service's replica count and waits until the system is healthy.</summary>
internal static class ScaleCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length != 3)
        {
            return CommandLine.UsageError("scale takes a system name, a service name and a replica count.");
        }

        if (!int.TryParse(args[2], NumberStyles.None, CultureInfo.InvariantCulture, out var replicas))
        {
            return CommandLine.UsageError($"scale: '{args[2]}' is not a replica count (a whole number, 0 or more).");
        }

        var (system, service) = (args[0], args[1]);
        using var client = new NodeClient();
        await client.EnsureNodeAsync();
        await StatusCommand.EnsureKnownAsync(client, system);
        Console.WriteLine($"scaling {system}/{service} to {replicas} replicas");
        using var request = new HttpRequestMessage(
            HttpMethod.Post, $"/v1/systems/{Uri.EscapeDataString(system)}/services/{Uri.EscapeDataString(service)}/scale")
        {
            Content = new StringContent($"{{\"replicas\": {replicas}}}", Encoding.UTF8, "application/json"),
        };
        var result = await client.StreamAsync(request);
        Console.WriteLine(result.GetProperty("summary").GetString());
        return result.GetProperty("succeeded").GetBoolean() ? 0 : 1;
    }
}
