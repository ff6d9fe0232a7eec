using Sdmi.Node.Hosting;

namespace Sdmi.Cli;

internal static class NodeCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args is ["stop"])
        {
            return Stop();
        }

        var configs = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--config" && i + 1 < args.Length)
            {
                configs.Add(args[++i]);
            }
            else
            {
                return CommandLine.UsageError("node takes --config FILE (repeatable: later files override earlier ones), or stop.");
            }
        }

        if (configs.Count == 0)
        {
            configs.Add(DefaultConfig());
        }

        var missing = configs.FirstOrDefault(c => !File.Exists(c));
        if (missing is not null)
        {
            throw new CliException($"Node configuration '{missing}' not found; pass --config FILE (see cluster-config/node.hocon).", 2);
        }

        // Not disposed: the ProcessExit handler may still cancel it while the process ends.
        var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
        AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();
        using var termination = System.Runtime.InteropServices.PosixSignalRegistration.Create(
            System.Runtime.InteropServices.PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        try
        {
            await SdmiNode.RunAsync(configs, stop.Token);
        }
        catch (Akka.Configuration.ConfigurationException e)
        {
            throw new CliException($"Invalid node configuration {string.Join(" + ", configs)}: {e.Message}", 2);
        }
        catch (NodeDownedException e)
        {
            throw new CliException(e.Message, 3);
        }

        return 0;
    }

    /// <summary>The configuration beside the repository's tools: SDMI_CONFIG, else cluster-config/node.hocon.</summary>
    public static string DefaultConfig() =>
        Environment.GetEnvironmentVariable("SDMI_CONFIG")
        ?? Path.Combine(Environment.GetEnvironmentVariable("SDMI_HOME") ?? Directory.GetCurrentDirectory(), "cluster-config", "node.hocon");

    private static int Stop()
    {
        if (!File.Exists(NodeClient.PidFile))
        {
            Console.WriteLine("no node started by sdmi is running");
            return 0;
        }

        var pid = int.Parse(File.ReadAllText(NodeClient.PidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            System.Diagnostics.Process.Start("kill", ["-TERM", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
            if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
            {
                throw new CliException($"Node process {pid} did not stop within 30 s after SIGTERM.");
            }

            Console.WriteLine($"node {pid} stopped");
        }
        catch (ArgumentException)
        {
            Console.WriteLine($"node {pid} was not running");
        }

        File.Delete(NodeClient.PidFile);
        return 0;
    }
}
