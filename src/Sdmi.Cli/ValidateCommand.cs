using Sdmi.Model;

namespace Sdmi.Cli;

internal static class ValidateCommand
{
    public static int Run(string[] args)
    {
        if (args.Length != 1)
        {
            return CommandLine.UsageError("validate takes one system file.");
        }

        var system = Load(args[0]);
        Console.WriteLine($"{args[0]}: valid; system {system.Name}, {system.AllNetworks.Count()} networks, "
            + $"{system.Services.Count} services, start order {string.Join(" -> ", system.StartOrder().Select(s => s.Name))}");
        return 0;
    }

    /// <summary>Loads and validates a system file; every problem is reported before anything is deployed.</summary>
    public static SystemSpec Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new CliException($"System file '{path}' not found.", 2);
        }

        try
        {
            return SystemLoader.LoadFile(path);
        }
        catch (SystemFileException e)
        {
            throw new CliException($"{path} is not a valid system file; nothing was deployed or changed.\n{e.Message}", 2);
        }
    }
}
