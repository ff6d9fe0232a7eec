using System.Diagnostics;
using System.Text;

namespace Sdmi.ClusterTests;

/// <summary>Runs programs (no shell) with a time limit and collects their exit code and output.</summary>
internal static class Commands
{
    public static readonly string RepositoryRoot = FindRoot();

    public static CommandResult Run(string program, IEnumerable<string> arguments, TimeSpan timeout)
    {
        using var process = Start(program, arguments, out var output, out var error);
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish within {timeout}.\n{output}\n{error}");
        }

        process.WaitForExit();
        return new CommandResult(process.ExitCode, Text(output), Text(error));
    }

    /// <summary>Runs tools/sdmi with the given arguments, bounded to five minutes.</summary>
    public static CommandResult Sdmi(params string[] arguments) =>
        Run(Path.Combine(RepositoryRoot, "tools", "sdmi"), arguments, TimeSpan.FromMinutes(5));

    /// <summary>Starts a program whose output the caller reads after it exits.</summary>
    public static Process Start(string program, IEnumerable<string> arguments, out StringBuilder output, out StringBuilder error)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryRoot,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start };
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => Append(stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(stderr, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        output = stdout;
        error = stderr;
        return process;
    }

    public static string Text(StringBuilder builder)
    {
        lock (builder)
        {
            return builder.ToString();
        }
    }

    private static void Append(StringBuilder builder, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (builder)
        {
            builder.AppendLine(line);
        }
    }

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Sdmi.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Sdmi.slnx not found above the test directory.");
    }
}

internal sealed record CommandResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit code {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}
