using System.Net;
using Sdmi.Fabric;
using Sdmi.Node.Hosts;
using Sdmi.Node.Switches;
using Sdmi.Node.Systems;
using Sdmi.Node.Transactions;

namespace Sdmi.Node.Tests.Transactions;

public sealed class StepOperationTests
{
    [Fact]
    public void HostStep_RoundTripsThroughItsOperationText()
    {
        var step = new HostStep("shop", "sdmi9", [Request("172.30.1.1", 1003)], [new HostProtocol.RemoveContainer("sdmi9", "abc123", "sdvac1e0102")]);

        var copy = HostStep.Parse(step.ToOperation());

        var request = Assert.Single(copy.Ensure);
        Assert.Equal(IPAddress.Parse("172.30.1.1"), request.Address.Address);
        Assert.Equal(MacAddress.FromIPv4(IPAddress.Parse("172.30.1.1")), request.Address.Mac);
        Assert.Equal(1003u, request.OpenFlowPort);
        Assert.Equal("1", request.Environment["SDMI_REPLICA"]);
        Assert.Equal(["sleep", "600"], request.Command!);
        Assert.Equal(ContainerConfig.Hash(step.Ensure[0]), ContainerConfig.Hash(request));
        Assert.Equal("abc123", Assert.Single(copy.Remove).ContainerId);
    }

    [Fact]
    public void SwitchStep_RoundTripsEndpoints()
    {
        var endpoint = new Endpoint("shop-web-01", "web", "front", IPAddress.Parse("172.30.1.1"), MacAddress.FromIPv4(IPAddress.Parse("172.30.1.1")), 1000);
        var step = new SwitchStep("sdmi9", "shop", "{}", [EndpointRecord.From(endpoint)]);

        var copy = SwitchStep.Parse(step.ToOperation());

        Assert.Equal(endpoint, Assert.Single(copy.ToEndpoints()));
        Assert.Equal("sdmi9", SwitchStep.BridgeOf(SwitchStep.ParticipantId("sdmi9")));
        Assert.Null(SwitchStep.BridgeOf(HostStep.ParticipantId("local")));
    }

    [Fact]
    public void SwitchStep_RemoveAll_RoundTripsAsRemoval()
    {
        var step = SwitchStep.RemoveAll("sdmi9", "shop");

        var decoded = SwitchStep.Parse(step.ToOperation());

        Assert.True(decoded.RemovesAll);
        Assert.Equal("shop", decoded.System);
        Assert.Empty(decoded.Endpoints);
    }

    [Fact]
    public void PlanPorts_KeepsOrAllocatesLowestFree()
    {
        var kept = Request("172.30.1.1", 0);
        var fresh = Request("172.30.1.2", 0);
        var another = Request("172.30.1.3", 0);
        var bridgePorts = new Dictionary<string, uint>
        {
            [PortWiring.InterfaceName(kept.Address.Address)] = 7,
            ["sdhac1e0101"] = DeploymentRun.FirstPlannedPort,
        };

        var planned = DeploymentRun.PlanPorts([kept, fresh, another], bridgePorts, [DeploymentRun.FirstPlannedPort + 1]);

        Assert.Equal([7u, DeploymentRun.FirstPlannedPort + 2, DeploymentRun.FirstPlannedPort + 3], planned.Select(r => r.OpenFlowPort));
    }

    [Fact]
    public void FlowCookies_OtherTransaction_SameRuleSet()
    {
        string[] rules = ["table=0,priority=1 actions=drop", "table=2,priority=0 actions=drop"];

        var first = FlowCookies.For("shop", rules, "shop-c1-web-0001");
        var second = FlowCookies.For("shop", rules, "shop-c2-web-0002");
        var changed = FlowCookies.For("shop", [rules[0]], "shop-c1-web-0001");

        Assert.Equal(first & FlowCookies.RuleSetMask, second & FlowCookies.RuleSetMask);
        Assert.NotEqual(first, second);
        Assert.Equal(FlowCookies.TransactionBits("shop-c2-web-0002"), (ushort)second);
        Assert.NotEqual(first & FlowCookies.RuleSetMask, changed & FlowCookies.RuleSetMask);
        Assert.Equal(FlowCookies.ForSystem("shop"), first & FlowCookies.SystemMask);
    }

    [Fact]
    public void StagedName_IsRecognisedAndDiffersPerTransaction()
    {
        var a = HostActor.StagedName("shop-web-01", "t1");
        var b = HostActor.StagedName("shop-web-01", "t2");

        Assert.NotEqual(a, b);
        Assert.True(HostActor.IsStaged(a));
        Assert.False(HostActor.IsStaged("shop-web-01"));
    }

    private static HostProtocol.EnsureContainer Request(string address, uint port)
    {
        var ip = IPAddress.Parse(address);
        return new HostProtocol.EnsureContainer(
            "shop", "sdmi9", 1, "web", 1, "sdmi/base:1",
            new Dictionary<string, string> { ["SDMI_REPLICA"] = "1" },
            ["sleep", "600"],
            new EndpointAddress("shop-web-01", ip, 24, IPAddress.Parse("172.30.1.254"), MacAddress.FromIPv4(ip)),
            port);
    }
}
