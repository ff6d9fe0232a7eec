namespace Sdmi.Cli;

/// <summary>Dispatches `sdmi COMMAND ...` to the command classes. Exit codes: 0 success, 1 failure, 2 usage or input error.</summary>
internal static class CommandLine
{
    public const string Usage = """
        usage: sdmi COMMAND [ARGS]

          up FILE                 deploy the system in FILE and wait until every service is healthy
          status [SYSTEM] [--json] show services, replicas, health and addresses
          scale SYSTEM SERVICE N  set a service's replica count (within its scale bounds) and wait until healthy
          down FILE|SYSTEM        remove every container, port and flow SDMI made for the system
          validate FILE           check a system file without deploying it
          import-sysconfig FILE   convert the original prototype's sysconfig.json and report what is not mapped
          node [--config FILE]    run a node in the foreground (tools/sdmi starts one when needed)
          node stop               stop the node started by `sdmi up`
          cluster up --nodes N    start N nodes on this machine as one cluster (`sdmi cluster --help`)
          cluster status [--json] members and which node is MASTER of each switch
          cluster down            stop the nodes that `cluster up` started
          ofp decode|encode ARG   print OpenFlow hex as JSON lines, or JSON as hex (ARG: text, - for stdin, @FILE)

        The node's control API address comes from SDMI_GATEWAY_URL (default http://127.0.0.1:7780).
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            Console.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        try
        {
            return args[0] switch
            {
                "up" => await UpCommand.RunAsync(args[1..]),
                "status" => await StatusCommand.RunAsync(args[1..]),
                "scale" => await ScaleCommand.RunAsync(args[1..]),
                "down" => await DownCommand.RunAsync(args[1..]),
                "validate" => ValidateCommand.Run(args[1..]),
                "import-sysconfig" => ImportCommand.Run(args[1..]),
                "node" => await NodeCommand.RunAsync(args[1..]),
                "cluster" when args is [_, "-h" or "--help" or "help"] => ClusterHelp(),
                "cluster" => await ClusterCommand.RunAsync(args[1..]),
                "ofp" => OfpCommand.Run(args[1..]),
                _ => UsageError($"Unknown command '{args[0]}'."),
            };
        }
        catch (Exception e) when (e is HttpRequestException or HttpIOException or IOException)
        {
            Console.Error.WriteLine(
                $"sdmi: the connection to the node broke: {e.Message}. See {NodeClient.LogFile}. The node finishes "
                + "a command it started; run the same command again to wait for it or to resume it.");
            return 1;
        }
        catch (CliException e)
        {
            Console.Error.WriteLine($"sdmi: {e.Message}");
            return e.ExitCode;
        }
    }

    private static int ClusterHelp()
    {
        Console.WriteLine(ClusterCommand.Usage);
        return 0;
    }

    public static int UsageError(string message)
    {
        Console.Error.WriteLine($"sdmi: {message}");
        Console.Error.WriteLine(Usage);
        return 2;
    }
}

/// <summary>An error the CLI reports as one line, with the exit code to return.</summary>
internal sealed class CliException(string message, int exitCode = 1) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
