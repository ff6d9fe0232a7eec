using System.Net;
using Sdmi.Fabric;

namespace Sdmi.Fabric.Tests;

public sealed class FabricCompilerTests
{
    private readonly Model.SystemSpec system = MilestoneFabric.LoadSystem();
    private readonly IReadOnlyList<Endpoint> endpoints;
    private readonly FlowTableSimulator simulator;

    public FabricCompilerTests()
    {
        endpoints = MilestoneFabric.Endpoints(system);
        simulator = new FlowTableSimulator(FabricCompiler.Compile(system, endpoints));
    }

    [Fact]
    public void Route_AppToDatabase_RewritesMacs()
    {
        var app = endpoints.Named("app-01");
        var db = endpoints.Named("db-02");
        var packet = Packet.Tcp(app, MilestoneFabric.GatewayMac(system, "domain02"), db.Address, 40000, 5432);

        var result = simulator.Run(packet);

        var (port, delivered) = Assert.Single(result.Outputs);
        Assert.Equal(db.Port, port);
        Assert.Equal(db.Mac, delivered.EthDst);
        Assert.Equal(MilestoneFabric.GatewayMac(system, "domain03"), delivered.EthSrc);
        Assert.Equal(63, delivered.Ttl);
    }

    [Fact]
    public void Route_DatabaseReplyToApp_ReachesApp()
    {
        var app = endpoints.Named("app-03");
        var db = endpoints.Named("db-01");
        var packet = Packet.Tcp(db, MilestoneFabric.GatewayMac(system, "domain03"), app.Address, 5432, 40000);

        var result = simulator.Run(packet);

        Assert.Equal(app.Port, Assert.Single(result.Outputs).Port);
    }

    [Fact]
    public void Route_LoadBalancerToDatabase_IsDropped()
    {
        var lb = endpoints.Named("lb-01");
        var db = endpoints.Named("db-01");
        var packet = Packet.Tcp(lb, MilestoneFabric.GatewayMac(system, "domain01"), db.Address, 40000, 5432);

        var result = simulator.Run(packet);

        Assert.True(result.Dropped);
        Assert.Equal(FabricTables.Forwarding, result.Decision!.Table);
        Assert.Equal(0, result.Decision.Priority);
    }

    [Fact]
    public void Route_AppToUndeclaredDatabasePort_IsDropped()
    {
        var app = endpoints.Named("app-01");
        var db = endpoints.Named("db-01");
        var packet = Packet.Tcp(app, MilestoneFabric.GatewayMac(system, "domain02"), db.Address, 40000, 22);

        var result = simulator.Run(packet);

        Assert.True(result.Dropped);
    }

    [Fact]
    public void Route_DatabaseOpeningConnectionToApp_IsDropped()
    {
        var app = endpoints.Named("app-01");
        var db = endpoints.Named("db-01");
        var packet = Packet.Tcp(db, MilestoneFabric.GatewayMac(system, "domain03"), app.Address, 40000, 8080);

        var result = simulator.Run(packet);

        Assert.True(result.Dropped);
    }

    [Fact]
    public void Route_HostEdgePortToLoadBalancer_ReachesLoadBalancer()
    {
        var host = endpoints.Named("sdmi-edge");
        var lb = endpoints.Named("lb-02");
        var packet = Packet.Tcp(host, MilestoneFabric.GatewayMac(system, "edge"), lb.Address, 50000, 443);

        var result = simulator.Run(packet);

        Assert.Equal(lb.Port, Assert.Single(result.Outputs).Port);
    }

    [Fact]
    public void Route_HostEdgePortToApp_IsDropped()
    {
        var host = endpoints.Named("sdmi-edge");
        var app = endpoints.Named("app-01");
        var packet = Packet.Tcp(host, MilestoneFabric.GatewayMac(system, "edge"), app.Address, 50000, 8080);

        var result = simulator.Run(packet);

        Assert.True(result.Dropped);
    }

    [Fact]
    public void Deliver_SameNetworkMembers_ReachEachOtherOnAnyPort()
    {
        var db1 = endpoints.Named("db-01");
        var db3 = endpoints.Named("db-03");
        var packet = Packet.Tcp(db1, db3.Mac, db3.Address, 40000, 5432);

        var result = simulator.Run(packet);

        Assert.Equal(db3.Port, Assert.Single(result.Outputs).Port);
    }

    [Fact]
    public void Classifier_SpoofedSourceAddress_IsDropped()
    {
        var lb = endpoints.Named("lb-01");
        var db = endpoints.Named("db-01");
        var spoofed = Packet.Tcp(lb, MilestoneFabric.GatewayMac(system, "domain01"), db.Address, 40000, 5432)
            with { Ipv4Src = endpoints.Named("app-01").Address };

        var result = simulator.Run(spoofed);

        Assert.True(result.Dropped);
        Assert.Equal(FabricTables.Classifier, result.Decision!.Table);
    }

    [Fact]
    public void ArpResponder_GatewayRequest_RepliesOnIngressPort()
    {
        var app = endpoints.Named("app-02");
        var gateway = MilestoneFabric.Gateway(system, "domain02");

        var result = simulator.Run(Packet.ArpRequest(app, gateway));

        var (port, reply) = Assert.Single(result.Outputs);
        Assert.Equal(app.Port, port);
        Assert.Equal((ushort)2, reply.ArpOp);
        Assert.Equal(gateway, reply.ArpSpa);
        Assert.Equal(MilestoneFabric.GatewayMac(system, "domain02"), reply.ArpSha);
        Assert.Equal(app.Mac, reply.ArpTha);
        Assert.Equal(app.Address, reply.ArpTpa);
        Assert.Equal(app.Mac, reply.EthDst);
    }

    [Fact]
    public void ArpResponder_PeerInSameNetwork_RepliesWithPeerMac()
    {
        var db1 = endpoints.Named("db-01");
        var db2 = endpoints.Named("db-02");

        var result = simulator.Run(Packet.ArpRequest(db1, db2.Address));

        Assert.Equal(db2.Mac, Assert.Single(result.Outputs).Packet.ArpSha);
    }

    [Fact]
    public void ArpResponder_AddressInOtherNetwork_IsDropped()
    {
        var lb = endpoints.Named("lb-01");
        var db = endpoints.Named("db-01");

        var result = simulator.Run(Packet.ArpRequest(lb, db.Address));

        Assert.True(result.Dropped);
    }

    [Fact]
    public void Compile_SameInput_GivesSameRulesInSameOrder()
    {
        var first = FabricCompiler.Compile(system, endpoints).Select(r => r.ToString()).ToList();

        var second = FabricCompiler.Compile(system, endpoints).Select(r => r.ToString()).ToList();

        Assert.Equal(first, second);
    }

    [Fact]
    public void Compile_RuleKeys_AreUnique()
    {
        var rules = FabricCompiler.Compile(system, endpoints);

        var keys = rules.Select(r => (r.Table, r.Priority, r.Match)).ToList();

        Assert.Equal(keys.Count, keys.Distinct().Count());
    }

    [Fact]
    public void MacAddress_FromIPv4_IsLocallyAdministeredUnicast()
    {
        var mac = MacAddress.FromIPv4(IPAddress.Parse("172.16.30.1"));

        Assert.Equal("02:5d:ac:10:1e:01", mac.ToString());
        Assert.Equal(mac, MacAddress.Parse(mac.ToString()));
    }
}
