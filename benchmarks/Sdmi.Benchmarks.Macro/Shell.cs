using System.Diagnostics;

namespace Sdmi.Benchmarks.Macro;

/// <summary>Runs host tools (ovs-vsctl, ovs-ofctl, python3) with a timeout.</summary>
internal static class Shell
{
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    /// <summary>Runs <paramref name="fileName"/> and returns its standard output. Throws when it fails or times out.</summary>
    public static async Task<string> RunAsync(string fileName, params string[] arguments)
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
            throw new TimeoutException($"'{fileName} {string.Join(' ', arguments)}' did not finish within {Timeout}.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"'{fileName} {string.Join(' ', arguments)}' failed with exit code {process.ExitCode}: {(await error).Trim()}");
        }

        return await output;
    }
}
