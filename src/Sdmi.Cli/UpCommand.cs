using System.Text;

namespace Sdmi.Cli;

internal static class UpCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length != 1)
        {
            return CommandLine.UsageError("up takes one system file.");
        }

        var system = ValidateCommand.Load(args[0]);
        using var client = new NodeClient();
        await client.EnsureNodeAsync();
        Console.WriteLine($"deploying {system.Name} from {args[0]}");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/systems")
        {
            Content = new StringContent(await File.ReadAllTextAsync(args[0]), Encoding.UTF8, "application/json"),
        };
        var result = await client.StreamAsync(request);
        Console.WriteLine(result.GetProperty("summary").GetString());
        if (!result.GetProperty("succeeded").GetBoolean())
        {
            return 1;
        }

        await StatusCommand.PrintAsync(client, system.Name);
        return 0;
    }
}
