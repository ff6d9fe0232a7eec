using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Logging;

namespace Sdmi.Node.Hosts;

/// <summary>What the host actor needs from a Docker engine, over the engine API (Docker.DotNet).</summary>
public sealed partial class DockerEngine : IDisposable
{
    private readonly DockerClient client;
    private readonly ILogger<DockerEngine> logger;

    public DockerEngine(Uri endpoint, ILogger<DockerEngine> logger)
    {
        client = new DockerClientBuilder().WithEndpoint(endpoint).WithLogger(logger).Build();
        this.logger = logger;
    }

    public async Task<bool> ImageExistsAsync(string image, CancellationToken cancellation)
    {
        try
        {
            await client.Images.InspectImageAsync(image, cancellation).ConfigureAwait(false);
            return true;
        }
        catch (DockerImageNotFoundException)
        {
            return false;
        }
        catch (DockerApiException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <summary>Lists every container (running or not) that carries the given SDMI system label.</summary>
    public async Task<IReadOnlyList<ManagedContainer>> ListManagedAsync(string? system, CancellationToken cancellation)
    {
        var label = system is null ? SdmiLabels.System : $"{SdmiLabels.System}={system}";
        var containers = await client.Containers.ListContainersAsync(
            new ContainersListParameters
            {
                All = true,
                Filters = new Dictionary<string, IDictionary<string, bool>>
                {
                    ["label"] = new Dictionary<string, bool> { [label] = true },
                },
            },
            cancellation).ConfigureAwait(false);
        return containers
            .Select(c => new ManagedContainer(
                c.ID,
                c.Names?.FirstOrDefault()?.TrimStart('/') ?? c.ID,
                c.State == "running",
                new Dictionary<string, string>(c.Labels ?? new Dictionary<string, string>())))
            .ToList();
    }

    /// <summary>Creates and starts a container with network mode "none"; the host actor wires its network afterwards.</summary>
    public async Task<string> CreateAndStartAsync(ContainerRequest request, CancellationToken cancellation)
    {
        var id = await CreateAsync(request, cancellation).ConfigureAwait(false);
        await client.Containers.StartContainerAsync(id, new ContainerStartParameters(), cancellation)
            .ConfigureAwait(false);
        return id;
    }

    /// <summary>Creates a container with network mode "none" without starting it.</summary>
    public async Task<string> CreateAsync(ContainerRequest request, CancellationToken cancellation)
    {
        var created = await client.Containers.CreateContainerAsync(
            new CreateContainerParameters
            {
                Name = request.Name,
                Image = request.Image,
                Hostname = request.Hostname,
                Labels = new Dictionary<string, string>(request.Labels),
                Env = request.Environment.Select(kv => $"{kv.Key}={kv.Value}").ToList(),
                Cmd = request.Command?.ToList(),
                HostConfig = new HostConfig
                {
                    NetworkMode = "none",
                    RestartPolicy = new RestartPolicy { Name = RestartPolicyKind.UnlessStopped },
                },
            },
            cancellation).ConfigureAwait(false);
        LogCreated(request.Name, created.ID);
        return created.ID;
    }

    public async Task RenameAsync(string id, string name, CancellationToken cancellation) =>
        await client.Containers.RenameContainerAsync(id, new ContainerRenameParameters { NewName = name }, cancellation)
            .ConfigureAwait(false);

    public async Task StartAsync(string id, CancellationToken cancellation) =>
        await client.Containers.StartContainerAsync(id, new ContainerStartParameters(), cancellation)
            .ConfigureAwait(false);

    /// <summary>Returns the PID of the container's init process; its network namespace is /proc/PID/ns/net.</summary>
    public async Task<long> GetPidAsync(string id, CancellationToken cancellation)
    {
        var inspect = await client.Containers.InspectContainerAsync(id, cancellation).ConfigureAwait(false);
        if (inspect.State is not { Running: true, Pid: > 0 })
        {
            throw new InvalidOperationException(
                $"Container {inspect.Name.TrimStart('/')} is not running (status {inspect.State?.Status}, exit code "
                + $"{inspect.State?.ExitCode}); see 'docker logs {inspect.Name.TrimStart('/')}'.");
        }

        return inspect.State.Pid;
    }

    /// <summary>Runs a command inside a running container and returns its exit code and combined output.</summary>
    public async Task<ExecResult> ExecAsync(string id, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken cancellation)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(timeout);
        var exec = await client.Exec.CreateContainerExecAsync(
            id,
            new ContainerExecCreateParameters { Cmd = command.ToList(), AttachStdout = true, AttachStderr = true },
            deadline.Token).ConfigureAwait(false);
        using var stream = await client.Exec.StartContainerExecAsync(
            exec.ID, new ContainerExecStartParameters(), deadline.Token).ConfigureAwait(false);
        var (stdout, stderr) = await stream.ReadOutputToEndAsync(deadline.Token).ConfigureAwait(false);
        var inspect = await client.Exec.InspectContainerExecAsync(exec.ID, deadline.Token).ConfigureAwait(false);
        return new ExecResult((int)(inspect.ExitCode ?? -1), stdout + stderr);
    }

    public async Task RemoveAsync(string id, CancellationToken cancellation)
    {
        try
        {
            await client.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true }, cancellation)
                .ConfigureAwait(false);
            LogRemoved(id);
        }
        catch (DockerContainerNotFoundException)
        {
            // Already gone: removal is idempotent.
        }
    }

    public void Dispose() => client.Dispose();

    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "Created container {Name} ({ContainerId})")]
    private partial void LogCreated(string name, string containerId);

    [LoggerMessage(EventId = 201, Level = LogLevel.Information, Message = "Removed container {ContainerId}")]
    private partial void LogRemoved(string containerId);
}

public sealed record ManagedContainer(string Id, string Name, bool Running, IReadOnlyDictionary<string, string> Labels);

public sealed record ContainerRequest(
    string Name,
    string Hostname,
    string Image,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyList<string>? Command);

public sealed record ExecResult(int ExitCode, string Output);
