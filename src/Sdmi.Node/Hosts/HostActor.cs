using Akka.Actor;
using Akka.Event;
using Sdmi.Fabric;
using Sdmi.Model;
using Sdmi.Node.Transactions;
using static Sdmi.Node.Hosts.HostProtocol;
using static Sdmi.Node.Transactions.TransactionProtocol;

namespace Sdmi.Node.Hosts;

/// <summary>
/// The only writer to this host's Docker engine and to its bridge's ports. Writes run one at a
/// time in arrival order (the mailbox waits for each); exec requests run concurrently because they
/// change nothing SDMI tracks. It is also the host's transaction participant (<see cref="HostStep"/>):
/// prepare creates the step's new containers under a staged name without starting them, commit
/// replaces the old containers with them, starts and wires them, and abort removes what prepare
/// created. Every container carries the id of the transaction that created it, which makes each
/// phase safe to repeat after a crash.
/// </summary>
public sealed class HostActor : ReceiveActor
{
    private readonly ILoggingAdapter log = Context.GetLogger();
    private readonly DockerEngine docker;
    private readonly PortWiring wiring;
    private readonly TimeSpan commitPause;

    /// <param name="commitPause">Pause after each container a commit starts. Zero in service; fault-injection tests
    /// set it to kill the node in the middle of a commit.</param>
    public HostActor(DockerEngine docker, PortWiring wiring, TimeSpan commitPause)
    {
        this.docker = docker;
        this.wiring = wiring;
        this.commitPause = commitPause;

        ReceiveAsync<CheckImages>(m => Reply(() => OnCheckImages(m)));
        ReceiveAsync<EnsureHostPorts>(m => Reply(() => OnEnsureHostPorts(m)));
        ReceiveAsync<EnsureContainer>(m => Reply(() => OnEnsureContainer(m)));
        ReceiveAsync<ListContainers>(m => Reply(() => OnListContainers(m)));
        ReceiveAsync<RemoveContainer>(m => Reply(() => OnRemoveContainer(m)));
        ReceiveAsync<RemoveSystemPorts>(m => Reply(() => OnRemoveSystemPorts(m)));
        ReceiveAsync<GetBridgePorts>(m => Reply(async () => new BridgePorts(await wiring.ListOpenFlowPortsAsync(m.Bridge, CancellationToken.None))));
        ReceiveAsync<Prepare>(OnPrepare);
        ReceiveAsync<Commit>(OnCommit);
        ReceiveAsync<Abort>(OnAbort);
        Receive<Exec>(OnExec);
    }

    public static Props Props(DockerEngine docker, PortWiring wiring, TimeSpan commitPause = default) =>
        Akka.Actor.Props.Create(() => new HostActor(docker, wiring, commitPause));

    /// <summary>Name under which a transaction's prepare creates a replica's container, until its commit renames it.</summary>
    public static string StagedName(string name, string transactionId) =>
        $"{name}.next-{Fnv1aHex(transactionId)}";

    /// <summary>Whether a container name is a staged one (created by a prepare that has not committed yet).</summary>
    public static bool IsStaged(string name) => name.Contains(".next-", StringComparison.Ordinal);

    private static string Fnv1aHex(string text) =>
        Switches.Fnv1a.Hash32(text).ToString("x8", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Docker name of a replica's container; the system name keeps two systems apart.</summary>
    public static string ContainerName(string system, string service, int replica) =>
        $"{system}-{Addressing.ReplicaName(service, replica)}";

    private async Task Reply(Func<Task<object>> handler)
    {
        var sender = Sender;
        try
        {
            sender.Tell(await handler());
        }
        catch (Exception e)
        {
            log.Error(e, "Host request {0} failed", e.TargetSite?.Name ?? "unknown");
            sender.Tell(new Status.Failure(e));
        }
    }

    private async Task<object> OnCheckImages(CheckImages request)
    {
        var missing = new List<string>();
        foreach (var image in request.Images.Distinct())
        {
            if (!await docker.ImageExistsAsync(image, CancellationToken.None))
            {
                missing.Add(image);
            }
        }

        return new ImagesChecked(missing);
    }

    private async Task<object> OnEnsureHostPorts(EnsureHostPorts request)
    {
        var system = request.System;
        var bridge = system.Hosts[0].Bridge;

        // Every check comes before the first change, so a conflict leaves nothing behind.
        await wiring.EnsureBridgeOwnerAsync(bridge, system.Name, CancellationToken.None);
        foreach (var address in PlannedAddresses(system))
        {
            await wiring.EnsureAddressFreeAsync(address, system.Name, CancellationToken.None);
        }

        await RemovePortsOnOtherBridgesAsync(system.Name, bridge);
        await wiring.EnsureBridgeAsync(bridge, system.Name, request.ControllerTarget, CancellationToken.None);

        var endpoints = new List<Endpoint>();
        foreach (var network in system.AllNetworks.Where(n => n.HostAddress is not null))
        {
            var address = new EndpointAddress(
                PortWiring.HostPortName(network.HostAddress!),
                network.HostAddress!,
                network.Subnet.PrefixLength,
                network.Gateway,
                MacAddress.FromIPv4(network.HostAddress!));
            var routed = system.Services
                .Where(s => s.ExposeTo.Contains(network.Name) || system.AncestorsOf(network.Name).Any(a => s.ExposeTo.Contains(a.Name)))
                .Select(s => system.GetNetwork(s.Network).Subnet.ToString())
                .Distinct()
                .ToList();
            var port = await wiring.AttachHostAsync(bridge, system.Name, address.Name, address, routed, CancellationToken.None);
            endpoints.Add(new Endpoint(address.Name, null, network.Name, address.Address, address.Mac, port));
        }

        return new HostPortsReady(endpoints);
    }

    /// <summary>Every address the system's host ports and replicas take on this host, up to each service's scale.max.</summary>
    private static IEnumerable<System.Net.IPAddress> PlannedAddresses(SystemSpec system)
    {
        foreach (var network in system.AllNetworks.Where(n => n.HostAddress is not null))
        {
            yield return network.HostAddress!;
        }

        foreach (var service in system.Services)
        {
            for (var replica = 1; replica <= Addressing.BlockLength(service); replica++)
            {
                yield return Addressing.PreferredAddress(system, service, replica);
            }
        }
    }

    /// <summary>
    /// Removes the system's ports from bridges other than its declared one, and those bridges once
    /// empty: what is left when a system file moves the system to another bridge.
    /// </summary>
    private async Task RemovePortsOnOtherBridgesAsync(string system, string bridge)
    {
        var stale = (await wiring.ListPortsAsync(system, CancellationToken.None)).Where(p => p.Bridge != bridge).ToList();
        foreach (var (name, oldBridge) in stale)
        {
            log.Info("System {0} moved to bridge {1}: removing port {2} from {3}", system, bridge, name, oldBridge);
            await wiring.DetachAsync(name, CancellationToken.None);
        }

        foreach (var oldBridge in stale.Select(p => p.Bridge).Where(b => b.Length > 0).Distinct())
        {
            await wiring.RemoveBridgeIfEmptyAsync(oldBridge, CancellationToken.None);
        }
    }

    private async Task<object> OnEnsureContainer(EnsureContainer request)
    {
        var name = ContainerName(request.System, request.Service, request.Replica);
        var hash = ContainerConfig.Hash(request);
        var existing = (await docker.ListManagedAsync(request.System, CancellationToken.None))
            .FirstOrDefault(c => c.Name == name);

        var created = false;
        string id;
        if (existing is not null && existing.Labels.GetValueOrDefault(SdmiLabels.ConfigHash) == hash)
        {
            id = existing.Id;
            if (!existing.Running)
            {
                log.Info("Starting stopped container {0} ({1})", name, id);
                await docker.StartAsync(id, CancellationToken.None);
            }
        }
        else
        {
            if (existing is not null)
            {
                log.Info("Replacing container {0} ({1}): its configuration changed", name, existing.Id);
                await docker.RemoveAsync(existing.Id, CancellationToken.None);
            }

            id = await docker.CreateAndStartAsync(NewContainer(request, name, hash, null), CancellationToken.None);
            created = true;
        }

        var pid = await docker.GetPidAsync(id, CancellationToken.None);
        var port = await wiring.EnsureContainerAttachedAsync(
            request.Bridge, request.System, pid, request.Address, request.OpenFlowPort, CancellationToken.None);
        var endpoint = new Endpoint(name, request.Service, NetworkOf(request), request.Address.Address, request.Address.Mac, port);
        return new ContainerReady(id, endpoint, created);
    }

    private static string NetworkOf(EnsureContainer request) =>
        request.Environment.GetValueOrDefault(SdmiEnvironment.Network) ?? "";

    private static ContainerRequest NewContainer(EnsureContainer request, string name, string hash, string? transactionId) =>
        new(
            name,
            Addressing.ReplicaName(request.Service, request.Replica),
            request.Image,
            new Dictionary<string, string>
            {
                [SdmiLabels.Transaction] = transactionId ?? "",
                [SdmiLabels.System] = request.System,
                [SdmiLabels.Service] = request.Service,
                [SdmiLabels.Replica] = request.Replica.ToString(System.Globalization.CultureInfo.InvariantCulture),
                [SdmiLabels.Change] = request.Change.ToString(System.Globalization.CultureInfo.InvariantCulture),
                [SdmiLabels.ConfigHash] = hash,
                [SdmiLabels.Address] = request.Address.Address.ToString(),
            },
            request.Environment,
            request.Command);

    private async Task<object> OnListContainers(ListContainers request) =>
        new ContainerList(await docker.ListManagedAsync(request.System, CancellationToken.None));

    private async Task<object> OnRemoveContainer(RemoveContainer request)
    {
        await docker.RemoveAsync(request.ContainerId, CancellationToken.None);
        await wiring.DetachAsync(request.InterfaceName, CancellationToken.None);
        return new ContainerRemoved(request.ContainerId);
    }

    private async Task<object> OnRemoveSystemPorts(RemoveSystemPorts request)
    {
        var ports = await wiring.ListPortsAsync(request.System, CancellationToken.None);
        foreach (var (name, _) in ports)
        {
            await wiring.DetachAsync(name, CancellationToken.None);
        }

        var bridges = ports.Select(p => p.Bridge).Append(request.Bridge).Where(b => b.Length > 0).Distinct();
        foreach (var bridge in bridges)
        {
            await wiring.ReleaseBridgeAsync(bridge, request.System, CancellationToken.None);
        }

        return new SystemPortsRemoved(ports.Count);
    }

    /// <summary>
    /// Checks the step and creates its new containers under their staged names, not started. A
    /// replica that runs with the same configuration is left for commit to adopt. Votes Refused,
    /// with what this prepare created removed again, when an image is missing, a planned OpenFlow
    /// port belongs to another interface or the engine fails.
    /// </summary>
    private async Task OnPrepare(Prepare prepare)
    {
        var sender = Sender;
        if (prepare.Operation.Length == 0)
        {
            await VoteOnProbeAsync(prepare, sender);
            return;
        }

        try
        {
            var step = HostStep.Parse(prepare.Operation);
            var problem = await CheckStepAsync(step);
            if (problem is not null)
            {
                log.Warning("Transaction {0}: host rejects its step: {1}", prepare.TransactionId, problem);
                sender.Tell(new Refused(prepare.TransactionId, prepare.Participant, problem));
                return;
            }

            var existing = await ContainersByNameAsync(step.System);
            var staged = 0;
            foreach (var request in step.Ensure)
            {
                var name = ContainerName(request.System, request.Service, request.Replica);
                var hash = ContainerConfig.Hash(request);
                var stagedName = StagedName(name, prepare.TransactionId);
                if ((existing.TryGetValue(name, out var current) && current.Labels.GetValueOrDefault(SdmiLabels.ConfigHash) == hash)
                    || existing.ContainsKey(stagedName))
                {
                    continue;
                }

                await docker.CreateAsync(NewContainer(request, stagedName, hash, prepare.TransactionId), CancellationToken.None);
                staged++;
            }

            log.Info("Transaction {0}: host prepared ({1} containers staged, {2} to remove)", prepare.TransactionId, staged, step.Remove.Count);
            sender.Tell(new Prepared(prepare.TransactionId, prepare.Participant));
        }
        catch (Exception e)
        {
            log.Error(e, "Transaction {0}: host prepare failed; removing what it created", prepare.TransactionId);
            await RemoveTransactionContainersAsync(prepare.TransactionId);
            sender.Tell(new Refused(prepare.TransactionId, prepare.Participant, e.Message));
        }
    }

    /// <summary>An empty step (a probe of the transaction path): prepared when the Docker engine responds.</summary>
    private async Task VoteOnProbeAsync(Prepare prepare, IActorRef sender)
    {
        try
        {
            await docker.ListManagedAsync(null, CancellationToken.None);
            sender.Tell(new Prepared(prepare.TransactionId, prepare.Participant));
        }
        catch (Exception e)
        {
            log.Warning("Transaction {0}: the Docker engine did not respond to a probe: {1}", prepare.TransactionId, e.Message);
            sender.Tell(new Refused(prepare.TransactionId, prepare.Participant, "the Docker engine did not respond: " + e.Message));
        }
    }

    private async Task<string?> CheckStepAsync(HostStep step)
    {
        var missing = new List<string>();
        foreach (var image in step.Ensure.Select(r => r.Image).Distinct())
        {
            if (!await docker.ImageExistsAsync(image, CancellationToken.None))
            {
                missing.Add(image);
            }
        }

        if (missing.Count > 0)
        {
            return $"image not found in the Docker engine: {string.Join(", ", missing)}";
        }

        var ports = await wiring.ListOpenFlowPortsAsync(step.Bridge, CancellationToken.None);
        foreach (var request in step.Ensure.Where(r => r.OpenFlowPort > 0))
        {
            var own = PortWiring.InterfaceName(request.Address.Address);
            var holder = ports.FirstOrDefault(kv => kv.Value == request.OpenFlowPort && kv.Key != own).Key;
            if (holder is not null)
            {
                return $"OpenFlow port {request.OpenFlowPort} on bridge {step.Bridge} belongs to {holder}, not to {request.Address.Name}";
            }
        }

        return null;
    }

    /// <summary>
    /// Removes the containers the step drops, then for each replica puts the staged container in
    /// place of the old one (or adopts the running one), starts it and wires it with its planned
    /// OpenFlow port. Repeating a commit finds its own earlier work and does nothing twice. A
    /// failure is logged and not acknowledged: the coordinator sends the commit again.
    /// </summary>
    private async Task OnCommit(Commit commit)
    {
        var sender = Sender;
        if (commit.Operation.Length == 0)
        {
            sender.Tell(new Applied(commit.TransactionId, commit.Participant, Changed: false));
            return;
        }

        try
        {
            var step = HostStep.Parse(commit.Operation);
            var changed = false;
            var existing = await ContainersByNameAsync(step.System);
            foreach (var removal in step.Remove)
            {
                if (existing.Values.Any(c => c.Id == removal.ContainerId))
                {
                    log.Info("Transaction {0}: removing container {1}", commit.TransactionId, removal.ContainerId);
                    await docker.RemoveAsync(removal.ContainerId, CancellationToken.None);
                    changed = true;
                }

                await wiring.DetachAsync(removal.InterfaceName, CancellationToken.None);
            }

            foreach (var request in step.Ensure)
            {
                changed |= await CommitReplicaAsync(commit.TransactionId, request, existing);
            }

            log.Info("Transaction {0}: host committed ({1})", commit.TransactionId, changed ? "changed" : "nothing to change");
            sender.Tell(new Applied(commit.TransactionId, commit.Participant, changed));
        }
        catch (Exception e)
        {
            log.Error(e, "Transaction {0}: host commit failed; waiting for the coordinator to send it again", commit.TransactionId);
        }
    }

    private async Task<bool> CommitReplicaAsync(string transactionId, EnsureContainer request, IReadOnlyDictionary<string, ManagedContainer> existing)
    {
        var name = ContainerName(request.System, request.Service, request.Replica);
        var changed = false;
        string id;
        if (existing.TryGetValue(StagedName(name, transactionId), out var staged))
        {
            if (existing.TryGetValue(name, out var old))
            {
                log.Info("Transaction {0}: replacing container {1} ({2})", transactionId, name, old.Id);
                await docker.RemoveAsync(old.Id, CancellationToken.None);
            }

            await docker.RenameAsync(staged.Id, name, CancellationToken.None);
            await docker.StartAsync(staged.Id, CancellationToken.None);
            id = staged.Id;
            changed = true;
        }
        else if (existing.TryGetValue(name, out var current))
        {
            id = current.Id;
            if (!current.Running)
            {
                await docker.StartAsync(id, CancellationToken.None);
                changed = true;
            }
        }
        else
        {
            // Prepare found this replica running, and it has gone since: the commit must still hold.
            log.Warning("Transaction {0}: container {1} disappeared after prepare; creating it", transactionId, name);
            id = await docker.CreateAndStartAsync(NewContainer(request, name, ContainerConfig.Hash(request), transactionId), CancellationToken.None);
            changed = true;
        }

        uint port;
        try
        {
            var pid = await docker.GetPidAsync(id, CancellationToken.None);
            port = await wiring.EnsureContainerAttachedAsync(
                request.Bridge, request.System, pid, request.Address, request.OpenFlowPort, CancellationToken.None);
        }
        catch (Exception e)
        {
            if (await IsRunningAsync(id))
            {
                throw;
            }

            // The container exited right after it started, before or while it was wired. The commit
            // stands because the container exists. The deployment's health gate reports the exit,
            // and sending the commit again would not help.
            log.Warning("Transaction {0}: {1} exited right after it started, so it is not wired: {2}", transactionId, name, e.Message);
            return changed;
        }

        if (request.OpenFlowPort > 0 && port != request.OpenFlowPort)
        {
            log.Error("Transaction {0}: {1} got OpenFlow port {2}, not the planned {3}; its flows are wrong until the next change",
                transactionId, name, port, request.OpenFlowPort);
        }

        if (changed && commitPause > TimeSpan.Zero)
        {
            log.Warning("Transaction {0}: pausing {1} ms after starting {2} (sdmi.transactions.host-commit-pause)",
                transactionId, commitPause.TotalMilliseconds, name);
            await Task.Delay(commitPause);
        }

        return changed;
    }

    private async Task<bool> IsRunningAsync(string id)
    {
        try
        {
            await docker.GetPidAsync(id, CancellationToken.None);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Removes the containers the transaction's prepare created. Nothing else changed before the decision.</summary>
    private async Task OnAbort(Abort abort)
    {
        var sender = Sender;
        if (abort.Operation.Length == 0)
        {
            sender.Tell(new Applied(abort.TransactionId, abort.Participant, Changed: false));
            return;
        }

        try
        {
            var removed = await RemoveTransactionContainersAsync(abort.TransactionId);
            log.Info("Transaction {0}: host aborted ({1} staged containers removed)", abort.TransactionId, removed);
            sender.Tell(new Applied(abort.TransactionId, abort.Participant, removed > 0));
        }
        catch (Exception e)
        {
            log.Error(e, "Transaction {0}: host abort failed; waiting for the coordinator to send it again", abort.TransactionId);
        }
    }

    private async Task<int> RemoveTransactionContainersAsync(string transactionId)
    {
        var created = (await docker.ListManagedAsync(null, CancellationToken.None))
            .Where(c => c.Labels.GetValueOrDefault(SdmiLabels.Transaction) == transactionId)
            .ToList();
        foreach (var container in created)
        {
            await docker.RemoveAsync(container.Id, CancellationToken.None);
        }

        return created.Count;
    }

    private async Task<IReadOnlyDictionary<string, ManagedContainer>> ContainersByNameAsync(string system) =>
        (await docker.ListManagedAsync(system, CancellationToken.None)).ToDictionary(c => c.Name, StringComparer.Ordinal);

    private void OnExec(Exec request)
    {
        docker.ExecAsync(request.ContainerId, request.Command, request.Timeout, CancellationToken.None)
            .PipeTo(Sender, failure: e => new Status.Failure(e));
    }
}
