using Akka.Actor;
using Akka.Event;
using Sdmi.Fabric;
using Sdmi.Model;
using Sdmi.Node.Hosts;
using static Sdmi.Node.Services.ServiceProtocol;

namespace Sdmi.Node.Services;

/// <summary>
/// One service of a system: its replicas are child container actors. Reconcile brings the count to
/// the declared one; AwaitReady gates on health and runs the service kind's hooks in replica order.
/// </summary>
public sealed class ServiceActor : ReceiveActor
{
    private static readonly TimeSpan EnsureTimeout = TimeSpan.FromMinutes(3);
    private readonly ILoggingAdapter log = Context.GetLogger();
    private readonly IActorRef host;
    private readonly SortedDictionary<int, ReplicaState> replicas = new();
    private SystemSpec? system;
    private ServiceSpec? service;

    public ServiceActor(IActorRef host)
    {
        this.host = host;
        ReceiveAsync<PlanReplicas>(m => Reply(() => OnPlan(m)));
        ReceiveAsync<Reconcile>(m => Reply(() => OnReconcile(m)));
        ReceiveAsync<AwaitReady>(m => Reply(OnAwaitReady));
        ReceiveAsync<RemoveAll>(m => Reply(OnRemoveAll));
    }

    public static Props Props(IActorRef host) => Akka.Actor.Props.Create(() => new ServiceActor(host));

    private async Task Reply(Func<Task<object>> handler)
    {
        var sender = Sender;
        try
        {
            sender.Tell(await handler());
        }
        catch (Exception e)
        {
            log.Error(e, "Service {0}: request failed", service?.Name ?? Self.Path.Name);
            sender.Tell(new Status.Failure(e));
        }
    }

    private async Task<object> OnPlan(PlanReplicas message)
    {
        var request = new Reconcile(message.System, message.Service, message.Change, message.Environment);
        system = message.System;
        service = message.Service;
        var network = system.GetNetwork(service.Network);
        var bridge = system.Hosts[0].Bridge;
        var behavior = ServiceBehavior.For(service.Kind);

        var leaving = new List<ReplicaState>();
        foreach (var extra in replicas.Keys.Where(k => k > service.Replicas).OrderByDescending(k => k).ToList())
        {
            var remaining = replicas.Values.Where(r => r.Index != extra).Select(Info).ToList();
            await behavior.OnReplicaLeavingAsync(Info(replicas[extra]), remaining, new HostExec(host), CancellationToken.None);
            leaving.Add(replicas[extra]);
            replicas.Remove(extra);
        }

        var ensure = Enumerable.Range(1, service.Replicas)
            .Select(k => ReplicaRequest(request, network, bridge, behavior, k))
            .ToList();
        return new ReplicaPlan(ensure, leaving);
    }

    private async Task<object> OnReconcile(Reconcile message)
    {
        system = message.System;
        service = message.Service;
        var network = system.GetNetwork(service.Network);
        var bridge = system.Hosts[0].Bridge;
        var behavior = ServiceBehavior.For(service.Kind);

        var removed = 0;
        foreach (var extra in replicas.Keys.Where(k => k > service.Replicas).OrderByDescending(k => k).ToList())
        {
            var remaining = replicas.Values.Where(r => r.Index != extra).Select(Info).ToList();
            await behavior.OnReplicaLeavingAsync(Info(replicas[extra]), remaining, new HostExec(host), CancellationToken.None);
            await Child(extra).Ask<ReplicaRemoved>(new RemoveReplica(bridge), EnsureTimeout);
            replicas.Remove(extra);
            removed++;
        }

        var requests = Enumerable.Range(1, service.Replicas)
            .Select(k => (Index: k, Request: ReplicaRequest(message, network, bridge, behavior, k)))
            .ToList();
        var results = await Task.WhenAll(requests.Select(r =>
            Child(r.Index).Ask<HostProtocol.ContainerReady>(new EnsureReplica(r.Request), EnsureTimeout)));

        var created = 0;
        for (var i = 0; i < results.Length; i++)
        {
            var index = requests[i].Index;
            var ready = results[i];
            created += ready.Created ? 1 : 0;
            var wasHealthy = !ready.Created && replicas.TryGetValue(index, out var before) && before.Healthy
                && before.ContainerId == ready.ContainerId;
            replicas[index] = new ReplicaState(index, ready.ContainerId, ready.Endpoint, wasHealthy);
        }

        return new Reconciled(replicas.Values.ToList(), created, results.Length - created, removed);
    }

    private HostProtocol.EnsureContainer ReplicaRequest(
        Reconcile message, NetworkSpec network, string bridge, ServiceBehavior behavior, int index)
    {
        var spec = message.Service;
        var address = Addressing.ReplicaAddress(network, index);
        var environment = new Dictionary<string, string>(spec.Environment);
        foreach (var (key, value) in message.Environment)
        {
            environment[key] = value;
        }

        foreach (var (key, value) in behavior.ReplicaEnvironment(spec, index))
        {
            environment[key] = value;
        }

        environment[SdmiEnvironment.System] = message.System.Name;
        environment[SdmiEnvironment.Service] = spec.Name;
        environment[SdmiEnvironment.Network] = network.Name;
        environment[SdmiEnvironment.ReplicaIndex] = index.ToString(System.Globalization.CultureInfo.InvariantCulture);
        environment[SdmiEnvironment.Address] = address.ToString();

        return new HostProtocol.EnsureContainer(
            message.System.Name,
            bridge,
            message.Change,
            spec.Name,
            index,
            spec.Image,
            environment,
            spec.Command,
            new EndpointAddress(
                HostActor.ContainerName(message.System.Name, spec.Name, index),
                address,
                network.Subnet.PrefixLength,
                network.Gateway,
                MacAddress.FromIPv4(address)));
    }

    private async Task<object> OnAwaitReady()
    {
        var spec = service ?? throw new InvalidOperationException("AwaitReady before Reconcile.");
        await Task.WhenAll(replicas.Keys.Select(k =>
            Child(k).Ask<Healthy>(new CheckHealth(spec.Health), HealthBudget(spec.Health))));

        var behavior = ServiceBehavior.For(spec.Kind);
        var all = replicas.Values.Select(Info).ToList();
        foreach (var replica in all)
        {
            await behavior.OnReplicaJoinedAsync(replica, all, new HostExec(host), CancellationToken.None);
        }

        foreach (var index in replicas.Keys.ToList())
        {
            replicas[index] = replicas[index] with { Healthy = true };
        }

        return new Ready(spec.Name, replicas.Count);
    }

    private async Task<object> OnRemoveAll()
    {
        var bridge = system?.Hosts[0].Bridge ?? "";
        var count = replicas.Count;
        await Task.WhenAll(replicas.Keys.Select(k => Child(k).Ask<ReplicaRemoved>(new RemoveReplica(bridge), EnsureTimeout)));
        replicas.Clear();
        return new Removed(service?.Name ?? Self.Path.Name, count);
    }

    /// <summary>Time a replica may take to pass its check: start period plus every retry, with a margin.</summary>
    private static TimeSpan HealthBudget(HealthCheck? health) => health is null
        ? TimeSpan.FromSeconds(10)
        : health.StartPeriod + ((health.Interval + health.Timeout) * health.Retries) + TimeSpan.FromSeconds(10);

    private static ReplicaInfo Info(ReplicaState state) =>
        new(state.Index, state.Endpoint.Name, state.ContainerId, state.Endpoint.Address);

    private IActorRef Child(int index)
    {
        var name = $"replica-{index}";
        var child = Context.Child(name);
        return child.IsNobody() ? Context.ActorOf(ContainerActor.Props(host, index), name) : child;
    }
}
