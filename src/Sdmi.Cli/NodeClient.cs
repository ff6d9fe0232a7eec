using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace Sdmi.Cli;

/// <summary>Talks to the local node's control API; starts the node in the background when none responds.</summary>
internal sealed class NodeClient : IDisposable
{
    public const string PidFile = "/run/sdmi/node.pid";
    public const string LogFile = "/var/log/sdmi/node.log";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly HttpClient http;

    public NodeClient()
    {
        var url = Environment.GetEnvironmentVariable("SDMI_GATEWAY_URL") ?? "http://127.0.0.1:7780";
        http = new HttpClient { BaseAddress = new Uri(url), Timeout = Timeout.InfiniteTimeSpan };
    }

    public Uri Address => http.BaseAddress!;

    public async Task<bool> IsUpAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            using var response = await http.GetAsync("/v1/health", timeout.Token);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    /// <summary>Starts `sdmi node` detached, with its log in <see cref="LogFile"/>, and waits until it responds.</summary>
    public async Task EnsureNodeAsync()
    {
        if (await IsUpAsync())
        {
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(PidFile)!);
        Directory.CreateDirectory(Path.GetDirectoryName(LogFile)!);
        var self = Environment.ProcessPath ?? throw new CliException("Cannot find the sdmi executable to start a node.");
        var start = new ProcessStartInfo("setsid")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
        };
        start.ArgumentList.Add("sh");
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec \"$0\" node >>\"$1\" 2>&1 </dev/null");
        start.ArgumentList.Add(self);
        start.ArgumentList.Add(LogFile);
        Console.Error.WriteLine($"starting a node (log: {LogFile})");
        using var process = Process.Start(start) ?? throw new CliException("Could not start the node process.");
        await File.WriteAllTextAsync(PidFile, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await IsUpAsync())
            {
                return;
            }

            if (process.HasExited)
            {
                throw new CliException($"The node exited with code {process.ExitCode} while starting; see {LogFile}.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }

        throw new CliException($"The node did not respond on {Address} within {StartTimeout.TotalSeconds} s; see {LogFile}.");
    }

    /// <summary>Sends a command whose response streams progress lines, printing each; returns the final result object.</summary>
    public async Task<JsonElement> StreamAsync(HttpRequestMessage request)
    {
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync();
            throw new CliException(ErrorText(body, (int)response.StatusCode), response.StatusCode == System.Net.HttpStatusCode.BadRequest ? 2 : 1);
        }

        using var stream = await response.Content.ReadAsStreamAsync();
        using var reader = new StreamReader(stream);
        while (await reader.ReadLineAsync() is { } line)
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.TryGetProperty("progress", out var progress))
            {
                Console.WriteLine($"  {progress.GetString()}");
            }
            else if (root.TryGetProperty("result", out var result))
            {
                return result.Clone();
            }
            else if (root.TryGetProperty("error", out var error))
            {
                throw new CliException(error.GetString() ?? "The node reported an error.");
            }
        }

        throw new CliException("The node closed the connection before it sent a result; see " + LogFile + ".");
    }

    public async Task<JsonElement> GetAsync(string path)
    {
        using var response = await http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new CliException(ErrorText(body, (int)response.StatusCode));
        }

        using var document = JsonDocument.Parse(body);
        return document.RootElement.Clone();
    }

    public void Dispose() => http.Dispose();

    private static string ErrorText(string body, int status)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.TryGetProperty("error", out var error))
            {
                return error.GetString() ?? body;
            }
        }
        catch (JsonException)
        {
            // Not JSON: report the raw body below.
        }

        return $"The node answered HTTP {status}: {body}";
    }
}
