namespace Sdmi.Cli;

internal static class DownCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length != 1)
        {
            return CommandLine.UsageError("down takes a system file or a system name.");
        }

        var name = File.Exists(args[0]) ? ValidateCommand.Load(args[0]).Name : args[0];
        using var client = new NodeClient();
        await client.EnsureNodeAsync();
        await StatusCommand.EnsureKnownAsync(client, name);
        Console.WriteLine($"removing {name}");
        using var request = new HttpRequestMessage(HttpMethod.Delete, $"/v1/systems/{Uri.EscapeDataString(name)}");
        var result = await client.StreamAsync(request);
        Console.WriteLine(result.GetProperty("summary").GetString());
        return result.GetProperty("succeeded").GetBoolean() ? 0 : 1;
    }
}
