using System.Text.Json;

namespace Sdmi.Cli;

internal static class StatusCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var json = args.Contains("--json");
        var names = args.Where(a => a != "--json").ToList();
        if (names.Count > 1)
        {
            return CommandLine.UsageError("status takes at most one system name.");
        }

        using var client = new NodeClient();
        if (!await client.IsUpAsync())
        {
            throw new CliException($"No node responds on {client.Address}; run `tools/sdmi up FILE` to start one.");
        }

        if (names.Count == 1)
        {
            await EnsureKnownAsync(client, names[0]);
        }

        if (json)
        {
            var report = await client.GetAsync(StatusPath(names.FirstOrDefault()));
            Console.WriteLine(JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
            return 0;
        }

        await PrintAsync(client, names.FirstOrDefault());
        return 0;
    }

    public static async Task PrintAsync(NodeClient client, string? system)
    {
        var report = await client.GetAsync(StatusPath(system));
        var systems = report.GetProperty("systems");
        if (systems.GetArrayLength() == 0)
        {
            Console.WriteLine("no systems deployed");
            return;
        }

        foreach (var s in systems.EnumerateArray())
        {
            Console.WriteLine($"system {s.GetProperty("name").GetString()}: {s.GetProperty("phase").GetString()} (change {s.GetProperty("change").GetInt64()})");
            if (s.TryGetProperty("lastError", out var error) && error.ValueKind == JsonValueKind.String)
            {
                Console.WriteLine($"  last error: {error.GetString()}");
            }

            Console.WriteLine($"  {"SERVICE",-10} {"NETWORK",-10} {"READY",-6} {"REPLICA",-22} {"ADDRESS",-15} {"HEALTH",-8} CONTAINER");
            foreach (var service in s.GetProperty("services").EnumerateArray())
            {
                var replicas = service.GetProperty("replicas");
                var ready = service.GetProperty("ready").GetBoolean() ? "yes" : "no";
                var header = $"  {service.GetProperty("name").GetString(),-10} {service.GetProperty("network").GetString(),-10} {ready,-6}";
                if (replicas.GetArrayLength() == 0)
                {
                    Console.WriteLine($"{header} (0/{service.GetProperty("desired").GetInt32()} replicas)");
                }

                foreach (var replica in replicas.EnumerateArray())
                {
                    var health = !replica.GetProperty("running").GetBoolean() ? "stopped"
                        : replica.GetProperty("healthy").GetBoolean() ? "healthy" : "starting";
                    var id = replica.GetProperty("containerId").GetString() ?? "";
                    Console.WriteLine($"{header} {replica.GetProperty("name").GetString(),-22} {replica.GetProperty("address").GetString(),-15} {health,-8} {id[..Math.Min(12, id.Length)]}");
                    header = new string(' ', header.Length);
                }
            }

            var entry = s.GetProperty("entryAddresses").EnumerateArray().Select(e => e.GetString()).ToList();
            if (entry.Count > 0)
            {
                Console.WriteLine($"  reachable from this host: {string.Join(", ", entry)}");
            }
        }
    }

    /// <summary>
    /// Fails for a name the node has never deployed, so a mistyped name is not reported as removed.
    /// A system that was deployed and then removed has a change number above zero.
    /// </summary>
    public static async Task EnsureKnownAsync(NodeClient client, string system)
    {
        var report = await client.GetAsync(StatusPath(system));
        var known = report.GetProperty("systems").EnumerateArray()
            .Any(s => s.GetProperty("name").GetString() == system && s.GetProperty("change").GetInt64() > 0);
        if (!known)
        {
            throw new CliException($"System '{system}' is not deployed on this node; `tools/sdmi status` lists the deployed ones.");
        }
    }

    private static string StatusPath(string? system) =>
        system is null ? "/v1/status" : $"/v1/status?system={Uri.EscapeDataString(system)}";
}
