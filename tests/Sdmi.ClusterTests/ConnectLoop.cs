using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Sdmi.ClusterTests;

/// <summary>
/// Opens TCP connections from the test system's app container to its database, 100 ms apart, each
/// with a 1 s timeout, and prints one summary line when it has made <c>count</c> attempts or after
/// 150 s. The connections cross the test bridge, so they show whether the switch keeps forwarding.
/// </summary>
internal sealed class ConnectLoop : IDisposable
{
    private const string Client = "clustertest-app-01";
    private const string ServerAddress = "172.31.2.1";
    private const int ServerPort = 5432;

    private readonly Process process;
    private readonly StringBuilder output;
    private readonly StringBuilder error;

    private ConnectLoop(Process process, StringBuilder output, StringBuilder error)
    {
        this.process = process;
        this.output = output;
        this.error = error;
    }

    /// <summary>Starts the loop and returns once the script inside the container has started.</summary>
    public static async Task<ConnectLoop> StartAsync(int count)
    {
        var script = $$"""
            import socket, time
            deadline = time.monotonic() + 150
            attempted = ok = 0
            failures = []
            print("started", flush=True)
            while attempted < {{count}} and time.monotonic() < deadline:
                attempted += 1
                try:
                    socket.create_connection(("{{ServerAddress}}", {{ServerPort}}), timeout=1).close()
                    ok += 1
                except OSError as error:
                    failures.append(f"{attempted}:{error}")
                time.sleep(0.1)
            print(f"attempted {attempted} ok {ok} failed {attempted - ok} {failures[:5]}", flush=True)
            """;
        var process = Commands.Start("timeout", ["200", "docker", "exec", Client, "python3", "-c", script], out var output, out var error);
        var loop = new ConnectLoop(process, output, error);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!Commands.Text(output).Contains("started", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, $"the connection loop in {Client} did not start within 30 s");
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }

        return loop;
    }

    /// <summary>Waits for the loop's summary line and returns its counts.</summary>
    public Counts Finish()
    {
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(200)), "the connection loop did not stop within 200 s");

        // Only the overload without a timeout waits until the redirected output is read to its end.
        process.WaitForExit();
        var text = Commands.Text(output);
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith("attempted ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException(
                $"The connection loop printed no summary (exit code {process.ExitCode}):\n{text}\n{Commands.Text(error)}");
        var fields = line.Split(' ');
        return new Counts(
            int.Parse(fields[1], CultureInfo.InvariantCulture), int.Parse(fields[5], CultureInfo.InvariantCulture), line.Trim());
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        process.Dispose();
    }

    public sealed record Counts(int Attempted, int Failed, string Text);
}
