using System.Diagnostics;
using System.Text;

namespace Sdmi.OpenFlow.IntegrationTests.Infrastructure;

/// <summary>Runs host tools such as ovs-vsctl, ovs-ofctl and ip, each bounded by a timeout.</summary>
internal static class Command
{
    /// <summary>Maximum time one command may run before it is killed.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    /// <summary>
    /// Runs <paramref name="fileName"/> and returns its standard output. Throws
    /// <see cref="InvalidOperationException"/> with the command line and standard error when the
    /// exit code is not 0, and <see cref="TimeoutException"/> after <see cref="Timeout"/>.
    /// </summary>
    public static async Task<string> RunAsync(string fileName, params string[] arguments)
    {
        (int exitCode, string output, string error) = await TryRunAsync(fileName, arguments);
        if (exitCode != 0)
        {
            throw new InvalidOperationException(
                $"'{Format(fileName, arguments)}' failed with exit code {exitCode}: {error.Trim()}");
        }

        return output;
    }

    /// <summary>Runs <paramref name="fileName"/> and returns its exit code, standard output and standard error.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> TryRunAsync(
        string fileName, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"Could not start '{fileName}'.");
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{Format(fileName, arguments)}' did not finish within {Timeout}.");
        }

        return (process.ExitCode, await output, await error);
    }

    private static string Format(string fileName, string[] arguments)
    {
        var text = new StringBuilder(fileName);
        foreach (string argument in arguments)
        {
            text.Append(' ').Append(argument.Length > 80 ? argument[..80] + "..." : argument);
        }

        return text.ToString();
    }
}
