using Sdmi.Model;

namespace Sdmi.Cli;

internal static class ImportCommand
{
    public static int Run(string[] args)
    {
        if (args.Length is < 1 or > 2)
        {
            return CommandLine.UsageError("import-sysconfig takes a sysconfig.json file and, optionally, an output file.");
        }

        ImportResult result;
        try
        {
            result = SysconfigImporter.Import(args[0]);
        }
        catch (SystemFileException e)
        {
            throw new CliException($"{args[0]} could not be imported.\n{e.Message}", 2);
        }

        Console.Error.WriteLine(result.FormatReport());
        var json = SystemSpecJson.Write(result.System);
        if (args.Length == 2)
        {
            File.WriteAllText(args[1], json);
            Console.Error.WriteLine($"wrote {args[1]}");
        }
        else
        {
            Console.WriteLine(json);
        }

        return 0;
    }
}
