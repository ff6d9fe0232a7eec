using System.Buffers;
using Sdmi.Fabric;
using Sdmi.Model;
using Sdmi.Node.Switches;
using Sdmi.OpenFlow;
using Sdmi.OpenFlow.Actions;
using Sdmi.OpenFlow.Instructions;
using Sdmi.OpenFlow.Matching;
using Sdmi.OpenFlow.Messages;

namespace Sdmi.Node.Tests;

public sealed class FlowTranslatorTests
{
    private static readonly string ExampleFile = Path.Combine(
        AppContext.BaseDirectory, "..", "..", "..", "..", "..", "examples", "milestone1", "system.json");

    [Fact]
    public void ToFlowMod_ExampleRules_RoundTrip()
    {
        var rules = CompileExample();

        foreach (var rule in rules)
        {
            var flowMod = FlowTranslator.ToFlowMod(rule, 0x5d00_0000_0000_0001);
            var bytes = flowMod.ToArray();

            Assert.Equal(OperationStatus.Done, OpenFlowCodec.TryDecode(bytes, out var decoded, out var consumed));
            Assert.Equal(bytes.Length, consumed);
            Assert.Equal(flowMod, decoded);
        }
    }

    [Fact]
    public void ToFlowMod_ArpResponder_UsesNiciraMovesAndOutputsToInPort()
    {
        var rule = CompileExample().First(r => r.Table == FabricTables.ArpResponder && r.Actions.Count > 0);

        var flowMod = FlowTranslator.ToFlowMod(rule, 1);

        var apply = Assert.IsType<ActionsInstruction>(Assert.Single(flowMod.Instructions));
        var moves = apply.Actions.OfType<NxRegMoveAction>().ToList();
        Assert.Equal(3, moves.Count);
        Assert.Equal(OxmHeaders.NxmOfEthSrc, moves[0].Source);
        Assert.Equal(OxmHeaders.NxmOfEthDst, moves[0].Destination);
        Assert.Equal(48, moves[0].NBits);
        Assert.Equal(OfpPortNo.InPort, Assert.IsType<OpenFlow.Actions.OutputAction>(apply.Actions[^1]).Port);
    }

    [Fact]
    public void DeleteByCookie_SystemMask_DeletesInAllTables()
    {
        var delete = FlowTranslator.DeleteByCookie(FlowCookies.ForSystem("milestone1"), FlowCookies.SystemMask);

        Assert.Equal(FlowModCommand.Delete, delete.Command);
        Assert.Equal(OfpTableId.All, delete.TableId);
        Assert.Equal(0xFFFFFF0000000000UL, delete.CookieMask);
        Assert.Equal(0x5DUL, delete.Cookie >> 56);
    }

    [Fact]
    public void FlowCookies_SameRulesInAnotherOrder_GiveSameCookie()
    {
        var rules = CompileExample().Select(r => r.ToString()).ToList();

        var forward = FlowCookies.For("milestone1", rules);
        var reversed = FlowCookies.For("milestone1", Enumerable.Reverse(rules));

        Assert.Equal(forward, reversed);
        Assert.Equal(FlowCookies.ForSystem("milestone1"), forward & FlowCookies.SystemMask);
    }

    [Fact]
    public void FlowCookies_DifferentSystems_DifferUnderSystemMask()
    {
        Assert.NotEqual(FlowCookies.ForSystem("milestone1"), FlowCookies.ForSystem("milestone2"));
    }

    private static IReadOnlyList<FlowRule> CompileExample()
    {
        var system = SystemLoader.LoadFile(ExampleFile);
        var endpoints = new List<Endpoint>();
        uint port = 1;
        foreach (var service in system.Services)
        {
            var network = system.GetNetwork(service.Network);
            for (var replica = 1; replica <= service.Replicas; replica++)
            {
                var address = Addressing.ReplicaAddress(network, replica);
                endpoints.Add(new Endpoint(
                    Addressing.ReplicaName(service.Name, replica), service.Name, network.Name, address,
                    Fabric.MacAddress.FromIPv4(address), port++));
            }
        }

        return FabricCompiler.Compile(system, endpoints);
    }
}
