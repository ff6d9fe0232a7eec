using Sdmi.OpenFlow.Json;

namespace Sdmi.Cli;

/// <summary>
/// `sdmi ofp decode HEX` prints each OpenFlow message in the hex input as one JSON line, and
/// `sdmi ofp encode JSON` prints the messages of the JSON input as lowercase hex. An argument of
/// `-` reads standard input and `@FILE` reads the file. Malformed input exits with code 2.
/// </summary>
internal static class OfpCommand
{
    public static int Run(string[] args)
    {
        if (args.Length != 2 || args[0] is not ("decode" or "encode"))
        {
            return CommandLine.UsageError(
                "ofp takes `decode HEX` or `encode JSON` (`-` for stdin, `@FILE` for a file).");
        }

        string input = ReadInput(args[1]);
        return args[0] == "decode" ? Decode(input) : Encode(input);
    }

    private static int Decode(string hex)
    {
        byte[] bytes;
        try
        {
            bytes = OpenFlowDebugFormat.ParseHex(hex);
        }
        catch (FormatException exception)
        {
            throw new CliException(exception.Message, 2);
        }

        DecodeResult result = OpenFlowDebugFormat.DecodeToJsonLines(bytes);
        foreach (string line in result.Lines)
        {
            Console.WriteLine(line);
        }

        if (result.Error is { } error)
        {
            Console.Error.WriteLine($"sdmi: {OpenFlowDebugFormat.FormatError(error, result.ErrorMessageOffset)}");
            return 2;
        }

        return 0;
    }

    private static int Encode(string json)
    {
        try
        {
            Console.WriteLine(OpenFlowDebugFormat.EncodeJsonToHex(json));
            return 0;
        }
        catch (OpenFlowJsonException exception)
        {
            throw new CliException(exception.Message, 2);
        }
    }

    private static string ReadInput(string argument)
    {
        if (argument == "-")
        {
            return Console.In.ReadToEnd();
        }

        if (!argument.StartsWith('@'))
        {
            return argument;
        }

        string path = argument[1..];
        if (!File.Exists(path))
        {
            throw new CliException($"Input file '{path}' not found.", 2);
        }

        return File.ReadAllText(path);
    }
}
