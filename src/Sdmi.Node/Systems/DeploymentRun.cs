using Akka.Actor;
using Sdmi.Fabric;
using Sdmi.Model;
using Sdmi.Node.Hosting;
using Sdmi.Node.Hosts;
using Sdmi.Node.Services;
using Sdmi.Node.Switches;

namespace Sdmi.Node.Systems;

/// <summary>
/// One deployment of a system: check images, prepare the bridge, then for each service in
/// dependency order reconcile its replicas, program the flows that include them and wait until the
/// service is healthy before its dependents start. Runs outside the actor's mailbox; the system
/// actor receives its progress and result as messages.
/// </summary>
/// <param name="known">Endpoints of replicas that earlier deployments made; they stay in the flow
/// table until their service's step replaces them, so a redeployment never drops live traffic.</param>
/// <param name="observed">Receives each service's replicas after reconciling (not yet ready) and after its health gate (ready).</param>
public sealed class DeploymentRun(
    SystemSpec system,
    long change,
    IReadOnlyList<Endpoint> known,
    DeploymentRun.Targets targets,
    Action<string> progress,
    Action<string, IReadOnlyList<ServiceProtocol.ReplicaState>, bool> observed)
{
    private readonly IActorRef host = targets.Host;
    private readonly IActorRef fabricSwitch = targets.Switch;
    private readonly IReadOnlyDictionary<string, IActorRef> services = targets.Services;
    private readonly string controllerTarget = targets.ControllerTarget;
    private static readonly TimeSpan HostTimeout = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Each attempt of an idempotent host or switch request. Longer than a flow request waits for a
    /// new MASTER in the normal case, shorter than the failover of a node that took a request with it.
    /// </summary>
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan ReconcileTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(10);
    private readonly List<Endpoint> endpoints = [.. known];
    private readonly Dictionary<string, IReadOnlyList<ServiceProtocol.ReplicaState>> replicas = new();

    public async Task<RunResult> RunAsync()
    {
        var changed = false;
        var missing = await RetryingAsk.AskAsync<HostProtocol.ImagesChecked>(
            host, new HostProtocol.CheckImages(system.Services.Select(s => s.Image).ToList()), AttemptTimeout, HostTimeout);
        if (missing.Missing.Count > 0)
        {
            var list = string.Join(", ", missing.Missing);
            throw new DeploymentRejectedException(
                $"Image not found in the Docker engine: {list}. Build it first (tools/setup builds the example's images); nothing was created.");
        }

        progress($"bridge {system.Hosts[0].Bridge}: preparing");
        HostProtocol.HostPortsReady hostPorts;
        try
        {
            hostPorts = await host.Ask<HostProtocol.HostPortsReady>(
                new HostProtocol.EnsureHostPorts(system, controllerTarget), HostTimeout);
        }
        catch (HostConflictException e)
        {
            throw new DeploymentRejectedException(e.Message + " Nothing was created.");
        }
        endpoints.RemoveAll(e => e.Service is null);
        endpoints.AddRange(hostPorts.Endpoints);

        foreach (var service in system.StartOrder())
        {
            changed |= await DeployServiceAsync(service);
        }

        changed |= await RemoveOrphansAsync();
        var flows = await ApplyFlowsAsync();
        changed |= flows.Changed;
        return new RunResult(changed, endpoints.Count(e => e.Service is not null), flows.Count);
    }

    private async Task<bool> DeployServiceAsync(ServiceSpec service)
    {
        progress($"{service.Name}: reconciling {service.Replicas} replicas on network {service.Network}");
        var environment = service.DependsOn.ToDictionary(
            SdmiEnvironment.Dependency,
            d => string.Join(',', replicas[d].Select(r => r.Endpoint.Address)));
        var reconciled = await services[service.Name].Ask<ServiceProtocol.Reconciled>(
            new ServiceProtocol.Reconcile(system, service, change, environment), ReconcileTimeout);
        replicas[service.Name] = reconciled.Replicas;
        endpoints.RemoveAll(e => e.Service == service.Name);
        endpoints.AddRange(reconciled.Replicas.Select(r => r.Endpoint));
        progress($"{service.Name}: {reconciled.Created} created, {reconciled.Adopted} adopted, {reconciled.Removed} removed");
        observed(service.Name, reconciled.Replicas, false);

        var flows = await ApplyFlowsAsync();
        progress($"{service.Name}: waiting for health");
        await services[service.Name].Ask<ServiceProtocol.Ready>(ServiceProtocol.AwaitReady.Instance, ReadyTimeout);
        observed(service.Name, reconciled.Replicas, true);
        progress($"{service.Name}: healthy ({reconciled.Replicas.Count}/{service.Replicas})");
        return reconciled.Created + reconciled.Removed > 0 || flows.Changed;
    }

    private async Task<SwitchProtocol.FlowsApplied> ApplyFlowsAsync()
    {
        var rules = FabricCompiler.Compile(system, endpoints);
        var applied = await RetryingAsk.AskAsync<SwitchProtocol.FlowsApplied>(
            fabricSwitch, new SwitchProtocol.ApplyFlows(system.Hosts[0].Bridge, system.Name, rules), AttemptTimeout, HostTimeout);
        if (applied.Changed)
        {
            progress($"flows: {applied.Count} rules installed on {system.Hosts[0].Bridge} in one bundle");
        }

        return applied;
    }

    /// <summary>Removes containers of this system that the declaration no longer names (a dropped service).</summary>
    private async Task<bool> RemoveOrphansAsync()
    {
        var expected = replicas.Values.SelectMany(r => r).Select(r => r.ContainerId).ToHashSet();
        var listed = await RetryingAsk.AskAsync<HostProtocol.ContainerList>(
            host, new HostProtocol.ListContainers(system.Name), AttemptTimeout, HostTimeout);
        var orphans = listed.Containers.Where(c => !expected.Contains(c.Id)).ToList();
        foreach (var orphan in orphans)
        {
            progress($"removing {orphan.Name}: no longer declared");
            await host.Ask<HostProtocol.ContainerRemoved>(
                HostProtocol.RemoveContainer.For(orphan, system.Hosts[0].Bridge), HostTimeout);
        }

        return orphans.Count > 0;
    }

    public sealed record RunResult(bool Changed, int Containers, int Flows);

    /// <summary>The actors a deployment sends its requests to.</summary>
    public sealed record Targets(
        IActorRef Host, IActorRef Switch, IReadOnlyDictionary<string, IActorRef> Services, string ControllerTarget);
}

/// <summary>A deployment refused before it changed anything, for a reason the user must fix.</summary>
public sealed class DeploymentRejectedException(string message) : Exception(message);
