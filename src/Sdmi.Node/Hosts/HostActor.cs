using Akka.Actor;
using Akka.Event;
using Sdmi.Fabric;
using Sdmi.Model;
using static Sdmi.Node.Hosts.HostProtocol;

namespace Sdmi.Node.Hosts;

/// <summary>
/// The only writer to this host's Docker engine and to its bridge's ports. Writes run one at a
/// time in arrival order (the mailbox waits for each); exec requests run concurrently because they
/// change nothing SDMI tracks.
/// </summary>
public sealed class HostActor : ReceiveActor
{
    private readonly ILoggingAdapter log = Context.GetLogger();
    private readonly DockerEngine docker;
    private readonly PortWiring wiring;

    public HostActor(DockerEngine docker, PortWiring wiring)
    {
        this.docker = docker;
        this.wiring = wiring;

        ReceiveAsync<CheckImages>(m => Reply(() => OnCheckImages(m)));
        ReceiveAsync<EnsureHostPorts>(m => Reply(() => OnEnsureHostPorts(m)));
        ReceiveAsync<EnsureContainer>(m => Reply(() => OnEnsureContainer(m)));
        ReceiveAsync<ListContainers>(m => Reply(() => OnListContainers(m)));
        ReceiveAsync<RemoveContainer>(m => Reply(() => OnRemoveContainer(m)));
        ReceiveAsync<RemoveSystemPorts>(m => Reply(() => OnRemoveSystemPorts(m)));
        Receive<Exec>(OnExec);
    }

    public static Props Props(DockerEngine docker, PortWiring wiring) =>
        Akka.Actor.Props.Create(() => new HostActor(docker, wiring));

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
            var network = system.GetNetwork(service.Network);
            for (var replica = 1; replica <= Math.Max(service.Replicas, service.Scale.Max); replica++)
            {
                yield return Addressing.ReplicaAddress(network, replica);
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

            id = await docker.CreateAndStartAsync(NewContainer(request, name, hash), CancellationToken.None);
            created = true;
        }

        var pid = await docker.GetPidAsync(id, CancellationToken.None);
        var port = await wiring.EnsureContainerAttachedAsync(
            request.Bridge, request.System, pid, request.Address, CancellationToken.None);
        var endpoint = new Endpoint(name, request.Service, NetworkOf(request), request.Address.Address, request.Address.Mac, port);
        return new ContainerReady(id, endpoint, created);
    }

    private static string NetworkOf(EnsureContainer request) =>
        request.Environment.GetValueOrDefault(SdmiEnvironment.Network) ?? "";

    private static ContainerRequest NewContainer(EnsureContainer request, string name, string hash) =>
        new(
            name,
            Addressing.ReplicaName(request.Service, request.Replica),
            request.Image,
            new Dictionary<string, string>
            {
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

    private void OnExec(Exec request)
    {
        docker.ExecAsync(request.ContainerId, request.Command, request.Timeout, CancellationToken.None)
            .PipeTo(Sender, failure: e => new Status.Failure(e));
    }
}
