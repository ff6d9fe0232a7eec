using Akka.Actor;
using Sdmi.Fabric;
using Sdmi.Model;
using Sdmi.Node.Hosting;
using Sdmi.Node.Hosts;
using Sdmi.Node.Networks;
using Sdmi.Node.Services;
using Sdmi.Node.Switches;
using Sdmi.Node.Transactions;
using static Sdmi.Node.Transactions.TransactionProtocol;

namespace Sdmi.Node.Systems;

/// <summary>
/// One deployment of a system: check images, prepare the bridge, plan each network (its entity
/// leases every replica's address), then for each service in dependency order run one transaction that changes its replicas on the host and the flows on the
/// switch together, and wait until the service is healthy before its dependents start. A last
/// transaction removes containers of services the declaration dropped, and the entities of dropped
/// services and networks are retired. Each replica's OpenFlow
/// port is planned before the transaction (kept for an existing interface, otherwise the lowest
/// free number from <see cref="FirstPlannedPort"/>), so the switch's part is known at prepare.
/// Runs outside the actor's mailbox; the system actor receives its progress and result as messages.
/// </summary>
/// <param name="known">Endpoints of replicas that earlier deployments made; they stay in the flow
/// table until their service's step replaces them, so a redeployment never drops live traffic.</param>
/// <param name="retired">Services and networks of earlier declarations; the entities of those this one drops are retired at the end.</param>
/// <param name="observed">Receives each service's replicas after reconciling (not yet ready) and after its health gate (ready).</param>
public sealed class DeploymentRun(
    SystemSpec system,
    long change,
    IReadOnlyList<Endpoint> known,
    DeploymentRun.Targets targets,
    DeploymentRun.Retired retired,
    Action<string> progress,
    Action<string, IReadOnlyList<ServiceProtocol.ReplicaState>, bool> observed)
{
    private readonly IActorRef host = targets.Host;
    private readonly IActorRef services = targets.Services;
    private readonly IActorRef networks = targets.Networks;
    private readonly string controllerTarget = targets.ControllerTarget;
    private readonly IActorRef transactions = targets.Transactions;
    private readonly string bridge = system.Hosts[0].Bridge;
    private static readonly TimeSpan HostTimeout = TimeSpan.FromMinutes(2);

    /// <summary>Planned ports start here, above the numbers Open vSwitch gives host ports by itself.</summary>
    public const uint FirstPlannedPort = 1000;

    /// <summary>Each attempt to hear a transaction's outcome; a repeated Begin reaches the same coordinator.</summary>
    private static readonly TimeSpan TransactionAttempt = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan TransactionTimeout = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Each attempt of an idempotent host or switch request. Longer than a flow request waits for a
    /// new MASTER in the normal case, shorter than the failover of a node that took a request with it.
    /// </summary>
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan ReconcileTimeout = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Each attempt of a request to a service entity. Cluster sharding drops messages for a shard
    /// that is being handed off (a rebalance after nodes join), so a lost request is sent again.
    /// The entity handles one request at a time, and a repeated one finds the work done.
    /// </summary>
    private static readonly TimeSpan ServiceAttempt = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(10);
    private readonly List<Endpoint> endpoints = [.. known];
    private readonly Dictionary<string, IReadOnlyList<ServiceProtocol.ReplicaState>> replicas = new();
    private readonly Dictionary<string, IReadOnlyList<string>> addresses = new();

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
        await PlanNetworksAsync(releaseUndeclared: false);

        foreach (var service in system.StartOrder())
        {
            changed |= await DeployServiceAsync(service);
        }

        var finish = await FinishAsync();
        changed |= finish.Changed;
        return new RunResult(changed, endpoints.Count(e => e.Service is not null), finish.Flows);
    }

    private async Task<bool> DeployServiceAsync(ServiceSpec service)
    {
        progress($"{service.Name}: reconciling {service.Replicas} replicas on network {service.Network}");
        var environment = service.DependsOn.ToDictionary(
            SdmiEnvironment.Dependency,
            d => string.Join(',', replicas[d].Select(r => r.Endpoint.Address)));
        var leased = addresses.GetValueOrDefault(service.Name, []);
        var plan = await RetryingAsk.AskAsync<ServiceProtocol.ReplicaPlan>(
            services, new ServiceProtocol.PlanReplicas(system, service.Name, change, environment, leased), ServiceAttempt, ReconcileTimeout);
        var ports = await RetryingAsk.AskAsync<HostProtocol.BridgePorts>(
            host, new HostProtocol.GetBridgePorts(bridge), AttemptTimeout, HostTimeout);
        var ensure = PlanPorts(plan.Ensure, ports.Ports, endpoints.Where(e => e.Service != service.Name).Select(e => e.Port));
        var removals = plan.Leaving
            .Select(r => new HostProtocol.RemoveContainer(bridge, r.ContainerId, PortWiring.InterfaceName(r.Endpoint.Address)))
            .ToList();
        endpoints.RemoveAll(e => e.Service == service.Name);
        endpoints.AddRange(ensure.Select(r => new Endpoint(
            r.Address.Name, service.Name, service.Network, r.Address.Address, r.Address.Mac, r.OpenFlowPort)));
        var outcome = await TransactAsync(service.Name, new HostStep(system.Name, bridge, ensure, removals));

        // Commit made and wired every replica, so this adopts them; it reports their actual ports.
        var reconciled = await RetryingAsk.AskAsync<ServiceProtocol.Reconciled>(
            services, new ServiceProtocol.Reconcile(system, service.Name, change, environment, leased), ServiceAttempt, ReconcileTimeout);
        replicas[service.Name] = reconciled.Replicas;
        endpoints.RemoveAll(e => e.Service == service.Name);
        endpoints.AddRange(reconciled.Replicas.Select(r => r.Endpoint));
        progress($"{service.Name}: transaction committed ({(outcome.Changed ? "changed" : "nothing to change")}, {removals.Count} removed)");
        observed(service.Name, reconciled.Replicas, false);

        var planned = ensure.Select(r => (r.Address.Name, r.OpenFlowPort)).ToHashSet();
        var moved = reconciled.Replicas.Where(r => !planned.Contains((r.Endpoint.Name, r.Endpoint.Port))).ToList();
        if (moved.Count > 0)
        {
            // Open vSwitch did not honour a planned port (or a replica was adopted on another one): correct the flows.
            progress($"{service.Name}: ports differ from the plan for {string.Join(", ", moved.Select(r => r.Endpoint.Name))}; correcting flows");
            await TransactAsync(service.Name + "-ports", null);
        }

        progress($"{service.Name}: waiting for health");
        await RetryingAsk.AskAsync<ServiceProtocol.Ready>(services, new ServiceProtocol.AwaitReady(system, service.Name), ServiceAttempt, ReadyTimeout);
        observed(service.Name, reconciled.Replicas, true);
        progress($"{service.Name}: healthy ({reconciled.Replicas.Count}/{service.Replicas})");
        return outcome.Changed || moved.Count > 0;
    }

    /// <summary>
    /// Asks every network's entity to record the declaration and lease the replicas' addresses, or
    /// (<paramref name="releaseUndeclared"/>) to release those of replicas no longer declared. The
    /// requests are idempotent: a repeated one under the same change finds the leases already made.
    /// </summary>
    private async Task PlanNetworksAsync(bool releaseUndeclared)
    {
        var planned = await Task.WhenAll(system.AllNetworks.Select(n => RetryingAsk.AskAsync<NetworkProtocol.NetworkPlanned>(
            networks, new NetworkProtocol.PlanNetwork(system, n.Name, change, releaseUndeclared), AttemptTimeout, HostTimeout)));
        if (releaseUndeclared)
        {
            return;
        }

        var counts = system.Services.ToDictionary(s => s.Name, s => s.Replicas, StringComparer.Ordinal);
        var declared = planned.SelectMany(p => p.Leases)
            .Where(l => counts.TryGetValue(l.Service, out var count) && l.Replica <= count);
        foreach (var group in declared.GroupBy(l => l.Service, StringComparer.Ordinal))
        {
            addresses[group.Key] = group.OrderBy(l => l.Replica).Select(l => l.Address).ToList();
        }

        progress($"networks: {planned.Length} planned, {planned.Sum(p => p.Leases.Count)} addresses leased");
    }

    /// <summary>Retires the entities of services and networks that the declaration no longer names.</summary>
    private async Task RetireAsync()
    {
        var declaredServices = system.Services.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var declaredNetworks = system.AllNetworks.Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        var droppedServices = retired.Services.Where(s => !declaredServices.Contains(s)).Distinct().ToList();
        var droppedNetworks = retired.Networks.Where(n => !declaredNetworks.Contains(n)).Distinct().ToList();
        var requests = droppedServices
            .Select(s => (Task)RetryingAsk.AskAsync<ServiceProtocol.ServiceRetired>(
                services, new ServiceProtocol.RetireService(system.Name, s), AttemptTimeout, HostTimeout))
            .Concat(droppedNetworks.Select(n => (Task)RetryingAsk.AskAsync<NetworkProtocol.NetworkRetired>(
                networks, new NetworkProtocol.RetireNetwork(system.Name, n), AttemptTimeout, HostTimeout)));
        await Task.WhenAll(requests);
        foreach (var name in droppedServices.Concat(droppedNetworks))
        {
            progress($"{name}: no longer declared; its entity is retired");
        }
    }

    /// <summary>
    /// Gives each replica its OpenFlow port: the one its interface already has on the bridge, else
    /// the lowest number from <see cref="FirstPlannedPort"/> that no interface and no other endpoint uses.
    /// </summary>
    public static IReadOnlyList<HostProtocol.EnsureContainer> PlanPorts(
        IReadOnlyList<HostProtocol.EnsureContainer> requests, IReadOnlyDictionary<string, uint> bridgePorts, IEnumerable<uint> otherEndpoints)
    {
        var taken = bridgePorts.Values.Concat(otherEndpoints).ToHashSet();
        var next = FirstPlannedPort;
        var planned = new List<HostProtocol.EnsureContainer>(requests.Count);
        foreach (var request in requests)
        {
            if (bridgePorts.TryGetValue(PortWiring.InterfaceName(request.Address.Address), out var existing))
            {
                planned.Add(request with { OpenFlowPort = existing });
                continue;
            }

            while (taken.Contains(next))
            {
                next++;
            }

            taken.Add(next);
            planned.Add(request with { OpenFlowPort = next });
        }

        return planned;
    }

    /// <summary>
    /// Runs one transaction: the switch installs the flows compiled from the current endpoints, and
    /// the host (when <paramref name="hostStep"/> is given) carries out its step. An abort fails the
    /// deployment with the coordinator's reason; the aborted transaction left nothing behind.
    /// </summary>
    private async Task<TransactionOutcome> TransactAsync(string step, HostStep? hostStep)
    {
        var id = $"{system.Name}-c{change}-{step}-{Guid.NewGuid().ToString("N")[..8]}";
        var flows = new SwitchStep(bridge, system.Name, SystemSpecJson.Write(system), endpoints.Select(EndpointRecord.From).ToList());
        var steps = new List<ParticipantStep>
        {
            new(SwitchStep.ParticipantId(bridge), flows.ToOperation(), [$"flows:{bridge}/{system.Name}"]),
        };
        if (hostStep is not null)
        {
            steps.Add(new ParticipantStep(
                HostStep.ParticipantId(system.Hosts[0].Name), hostStep.ToOperation(), [$"service:{system.Name}/{step}"]));
        }

        var outcome = await RetryingAsk.AskAsync<TransactionOutcome>(
            transactions, new Begin(id, steps), TransactionAttempt, TransactionTimeout);
        if (outcome.Decision == Decision.Abort)
        {
            throw new TransactionAbortedException(id, outcome.Reason ?? "no reason given");
        }

        return outcome;
    }

    /// <summary>
    /// Last transaction of a run: removes containers of this system that the declaration no longer
    /// names (a dropped service) and installs the final flows. Staged containers belong to their
    /// own transaction, which removes them if it aborts.
    /// </summary>
    private async Task<(bool Changed, int Flows)> FinishAsync()
    {
        var expected = replicas.Values.SelectMany(r => r).Select(r => r.ContainerId).ToHashSet();
        var listed = await RetryingAsk.AskAsync<HostProtocol.ContainerList>(
            host, new HostProtocol.ListContainers(system.Name), AttemptTimeout, HostTimeout);
        var orphans = listed.Containers.Where(c => !expected.Contains(c.Id) && !HostActor.IsStaged(c.Name)).ToList();
        foreach (var orphan in orphans)
        {
            progress($"removing {orphan.Name}: no longer declared");
        }

        var removals = orphans.Select(o => HostProtocol.RemoveContainer.For(o, bridge)).ToList();
        var outcome = await TransactAsync("finish", removals.Count == 0 ? null : new HostStep(system.Name, bridge, [], removals));
        await RetireAsync();

        // Every container the declaration dropped is gone now, so their addresses may go to others.
        await PlanNetworksAsync(releaseUndeclared: true);
        var flows = FabricCompiler.Compile(system, endpoints).Count;
        if (outcome.Changed)
        {
            progress($"flows: {flows} rules installed on {bridge} in one bundle");
        }

        return (outcome.Changed, flows);
    }

    public sealed record RunResult(bool Changed, int Containers, int Flows);

    /// <summary>
    /// The actors a deployment sends its requests to: <paramref name="Services"/> and
    /// <paramref name="Networks"/> are the entities' shard regions, <paramref name="Transactions"/>
    /// admits its transactions.
    /// </summary>
    public sealed record Targets(
        IActorRef Host, IActorRef Switch, IActorRef Services, IActorRef Networks, string ControllerTarget, IActorRef Transactions);

    /// <summary>Services and networks that earlier declarations named; those the current one drops are retired.</summary>
    public sealed record Retired(IReadOnlyList<string> Services, IReadOnlyList<string> Networks)
    {
        public static readonly Retired None = new([], []);
    }
}

/// <summary>A transaction of a deployment aborted; every participant undid its part.</summary>
public sealed class TransactionAbortedException(string transactionId, string reason)
    : Exception($"Transaction {transactionId} aborted: {reason}. Nothing of it was applied; fix the cause and run up again.");

/// <summary>A deployment refused before it changed anything, for a reason the user must fix.</summary>
public sealed class DeploymentRejectedException(string message) : Exception(message);
