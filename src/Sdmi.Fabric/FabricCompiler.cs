using System.Net;
using Sdmi.Model;

namespace Sdmi.Fabric;

/// <summary>
/// Compiles a system and its attached endpoints into the complete flow table of a switch. Pure: the
/// same input always gives the same rules in the same order, and nothing is sent anywhere.
/// </summary>
/// <remarks>
/// Policy: default deny. Members of one network reach each other at layer 2. A service reaches the
/// declared ports of a service it depends on, and members of a network listed in a service's
/// <c>exposeTo</c> (or of any network nested inside it) reach that service's ports; both are routed
/// by the switch itself (gateway MAC rewrite and TTL decrement). Replies are admitted by their source
/// port.
/// NOTE: replies are matched statelessly, so a dependency's replica can send from its service port
/// to the dependent's replicas unasked; connection tracking would close that.
/// </remarks>
public static class FabricCompiler
{
    private const ushort EndpointPriority = 100;
    private const ushort RoutedPriority = 200;
    private const ushort ArpDropPriority = 50;
    private const ushort DefaultPriority = 0;

    public static IReadOnlyList<FlowRule> Compile(SystemSpec system, IReadOnlyList<Endpoint> endpoints)
    {
        var ids = new FabricIds(system);
        var rules = new List<FlowRule>();
        AddClassifier(rules, ids, endpoints);
        AddArpResponder(rules, system, ids, endpoints);
        AddForwarding(rules, system, ids, endpoints);

        // A requester allowed by two declarations (a dependency and an exposure) gets the same reply
        // rule twice. A switch keeps one flow per table, priority and match, so the list does too.
        return rules.DistinctBy(r => (r.Table, r.Priority, r.Match)).ToList();
    }

    private static void AddClassifier(List<FlowRule> rules, FabricIds ids, IReadOnlyList<Endpoint> endpoints)
    {
        foreach (var endpoint in endpoints)
        {
            var metadata = FabricIds.Metadata(ids.Network(endpoint.Network), ids.Service(endpoint.Service));
            var reason = $"admit {endpoint.Name} ({endpoint.Address}) into network {endpoint.Network}";
            var ipv4 = new FlowMatch
            {
                InPort = endpoint.Port,
                EthSrc = endpoint.Mac,
                EthType = FlowMatch.EthTypeIPv4,
                Ipv4Src = endpoint.Address,
            };
            var arp = new FlowMatch
            {
                InPort = endpoint.Port,
                EthSrc = endpoint.Mac,
                EthType = FlowMatch.EthTypeArp,
                ArpSpa = endpoint.Address,
            };
            foreach (var match in new[] { ipv4, arp })
            {
                rules.Add(new FlowRule(FabricTables.Classifier, EndpointPriority, match, [], reason)
                {
                    WriteMetadata = metadata,
                    WriteMetadataMask = FabricIds.NetworkMask | FabricIds.ServiceMask,
                    GotoTable = FabricTables.ArpResponder,
                });
            }
        }

        rules.Add(new FlowRule(
            FabricTables.Classifier, DefaultPriority, new FlowMatch(), [], "default deny: unknown port, MAC or address"));
    }

    private static void AddArpResponder(
        List<FlowRule> rules, SystemSpec system, FabricIds ids, IReadOnlyList<Endpoint> endpoints)
    {
        foreach (var network in system.AllNetworks)
        {
            var members = endpoints.Where(e => e.Network == network.Name).ToList();
            if (members.Count == 0)
            {
                continue;
            }

            var targets = members.Select(e => (e.Address, e.Mac, Name: e.Name))
                .Prepend((network.Gateway, MacAddress.FromIPv4(network.Gateway), Name: $"gateway of {network.Name}"));
            foreach (var (address, mac, name) in targets)
            {
                var match = new FlowMatch
                {
                    Metadata = ids.Network(network.Name),
                    MetadataMask = FabricIds.NetworkMask,
                    EthType = FlowMatch.EthTypeArp,
                    ArpOp = 1,
                    ArpTpa = address,
                };
                FlowAction[] reply = [new ArpReplyAction(address, mac), new OutputAction(OutputAction.InPort)];
                rules.Add(new FlowRule(
                    FabricTables.ArpResponder, EndpointPriority, match, reply, $"answer ARP for {name} ({address})"));
            }
        }

        rules.Add(new FlowRule(
            FabricTables.ArpResponder,
            ArpDropPriority,
            new FlowMatch { EthType = FlowMatch.EthTypeArp },
            [],
            "drop ARP that names no address of the requester's network"));
        rules.Add(new FlowRule(FabricTables.ArpResponder, DefaultPriority, new FlowMatch(), [], "not ARP: forward")
        {
            GotoTable = FabricTables.Forwarding,
        });
    }

    private static void AddForwarding(
        List<FlowRule> rules, SystemSpec system, FabricIds ids, IReadOnlyList<Endpoint> endpoints)
    {
        foreach (var endpoint in endpoints)
        {
            var match = new FlowMatch
            {
                Metadata = ids.Network(endpoint.Network),
                MetadataMask = FabricIds.NetworkMask,
                EthDst = endpoint.Mac,
            };
            rules.Add(new FlowRule(
                FabricTables.Forwarding,
                EndpointPriority,
                match,
                [new OutputAction(endpoint.Port)],
                $"deliver to {endpoint.Name} within network {endpoint.Network}"));
        }

        foreach (var service in system.Services)
        {
            AddRoutesTo(rules, system, ids, endpoints, service);
        }

        rules.Add(new FlowRule(
            FabricTables.Forwarding, DefaultPriority, new FlowMatch(), [], "default deny: no declared dependency"));
    }

    private static void AddRoutesTo(
        List<FlowRule> rules, SystemSpec system, FabricIds ids, IReadOnlyList<Endpoint> endpoints, ServiceSpec target)
    {
        var targetNetwork = system.GetNetwork(target.Network);
        var targetEndpoints = endpoints.Where(e => e.Service == target.Name).ToList();
        foreach (var source in Sources(system, ids, target))
        {
            if (source.Network.Name == target.Network)
            {
                continue;
            }

            var sourceGatewayMac = MacAddress.FromIPv4(source.Network.Gateway);
            foreach (var port in target.Ports)
            {
                var protocol = port.Protocol == TransportProtocol.Udp ? FlowMatch.IpProtoUdp : FlowMatch.IpProtoTcp;
                foreach (var destination in targetEndpoints)
                {
                    rules.Add(Route(
                        new FlowMatch
                        {
                            Metadata = source.Metadata,
                            MetadataMask = source.MetadataMask,
                            EthDst = sourceGatewayMac,
                            EthType = FlowMatch.EthTypeIPv4,
                            Ipv4Dst = destination.Address,
                            IpProto = protocol,
                            TpDst = (ushort)port.Port,
                        },
                        targetNetwork,
                        destination,
                        $"{source.Description} -> {target.Name} {destination.Name}:{port.Port}"));
                }

                foreach (var requester in endpoints.Where(source.Includes))
                {
                    rules.Add(Route(
                        new FlowMatch
                        {
                            Metadata = FabricIds.Metadata(ids.Network(target.Network), ids.Service(target.Name)),
                            MetadataMask = FabricIds.NetworkMask | FabricIds.ServiceMask,
                            EthDst = MacAddress.FromIPv4(targetNetwork.Gateway),
                            EthType = FlowMatch.EthTypeIPv4,
                            Ipv4Dst = requester.Address,
                            IpProto = protocol,
                            TpSrc = (ushort)port.Port,
                        },
                        source.Network,
                        requester,
                        $"reply {target.Name}:{port.Port} -> {requester.Name}"));
                }
            }
        }
    }

    private static FlowRule Route(FlowMatch match, NetworkSpec egressNetwork, Endpoint destination, string reason) =>
        new(
            FabricTables.Forwarding,
            RoutedPriority,
            match,
            [
                new SetEthSrcAction(MacAddress.FromIPv4(egressNetwork.Gateway)),
                new SetEthDstAction(destination.Mac),
                DecrementTtlAction.Instance,
                new OutputAction(destination.Port),
            ],
            reason);

    /// <summary>Everything allowed to open connections to <paramref name="target"/>'s ports.</summary>
    private static IEnumerable<RouteSource> Sources(SystemSpec system, FabricIds ids, ServiceSpec target)
    {
        foreach (var dependent in system.Services.Where(s => s.DependsOn.Contains(target.Name)))
        {
            var network = system.GetNetwork(dependent.Network);
            yield return new RouteSource(
                network,
                FabricIds.Metadata(ids.Network(network.Name), ids.Service(dependent.Name)),
                FabricIds.NetworkMask | FabricIds.ServiceMask,
                $"service {dependent.Name}",
                e => e.Service == dependent.Name);
        }

        foreach (var exposedName in target.ExposeTo)
        {
            foreach (var network in Subtree(system.GetNetwork(exposedName)))
            {
                yield return new RouteSource(
                    network,
                    ids.Network(network.Name),
                    FabricIds.NetworkMask,
                    $"network {network.Name}",
                    e => e.Network == network.Name);
            }
        }
    }

    private static IEnumerable<NetworkSpec> Subtree(NetworkSpec network) =>
        network.Children.SelectMany(Subtree).Prepend(network);

    private sealed record RouteSource(
        NetworkSpec Network, ulong Metadata, ulong MetadataMask, string Description, Func<Endpoint, bool> Includes);
}
