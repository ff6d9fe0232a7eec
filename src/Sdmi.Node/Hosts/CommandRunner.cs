using System.Runtime.Serialization;
using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Sdmi.Node.Hosts;

/// <summary>Runs host tools (ip, nsenter, ovs-vsctl, ovs-ofctl) with an argument list, never through a shell.</summary>
public sealed partial class CommandRunner(ILogger<CommandRunner> logger)
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Runs a command and returns its standard output; a non-zero exit raises <see cref="CommandFailedException"/>.</summary>
    public async Task<string> RunAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellation = default)
    {
        var result = await TryRunAsync(program, arguments, cancellation).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new CommandFailedException(program, arguments, result.ExitCode, result.StandardError);
        }

        return result.StandardOutput;
    }

    /// <summary>Runs a command and returns its exit code and output without raising on failure.</summary>
    public async Task<CommandResult> TryRunAsync(
        string program, IReadOnlyList<string> arguments, CancellationToken cancellation = default)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = start };
        var output = new StringBuilder();
        var error = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { error.AppendLine(e.Data); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(DefaultTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new CommandFailedException(program, arguments, -1, $"timed out after {DefaultTimeout.TotalSeconds} s");
        }

        process.WaitForExit();
        LogCommand(program, string.Join(' ', arguments), process.ExitCode);
        return new CommandResult(process.ExitCode, output.ToString(), error.ToString().Trim());
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Debug, Message = "Ran {Program} {Arguments}: exit code {ExitCode}")]
    private partial void LogCommand(string program, string arguments, int exitCode);
}

public sealed record CommandResult(int ExitCode, string StandardOutput, string StandardError);

[Serializable]
public sealed class CommandFailedException : Exception
{
    public CommandFailedException(string program, IReadOnlyList<string> arguments, int exitCode, string error)
        : base($"'{program} {string.Join(' ', arguments)}' failed with exit code {exitCode}: {error}")
    {
        ExitCode = exitCode;
    }

#pragma warning disable SYSLIB0051 // Akka.Remote rebuilds an exception through this constructor; without it a reply's cause arrives as null.
    private CommandFailedException(SerializationInfo info, StreamingContext context)
        : base(info, context)
    {
    }
#pragma warning restore SYSLIB0051

    /// <summary>The command's exit code; 0 when the exception came from another node, which does not carry it.</summary>
    public int ExitCode { get; }
}
