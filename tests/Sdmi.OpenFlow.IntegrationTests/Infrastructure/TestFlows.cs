using System.Net;
using Sdmi.OpenFlow.Actions;
using Sdmi.OpenFlow.Instructions;
using Sdmi.OpenFlow.Matching;
using Sdmi.OpenFlow.Messages;

namespace Sdmi.OpenFlow.IntegrationTests.Infrastructure;

/// <summary>Flow entries for tests. They only fill the bridge's tables, and no test sends traffic that matches them.</summary>
internal static class TestFlows
{
    /// <summary>First destination address of <see cref="Distinct"/>: 172.16.0.0, the start of 172.16.0.0/12.</summary>
    public const uint FirstAddress = 0xac10_0000;

    /// <summary>
    /// Returns <paramref name="count"/> flows in table 0 that differ in their match only:
    /// <c>ip,nw_dst=172.16.0.0+i</c>, output to port 1, with cookie i + 1.
    /// </summary>
    public static IReadOnlyList<FlowMod> Distinct(int count)
    {
        var flows = new FlowMod[count];
        for (int i = 0; i < count; i++)
        {
            flows[i] = new FlowMod
            {
                Cookie = (ulong)i + 1,
                Priority = 100,
                Match = new Match([Oxm.EthType(OxmFieldTable.EthTypeIpv4), Oxm.Make(OxmFieldId.Ipv4Dst, FirstAddress + (uint)i)]),
                Instructions = [ActionsInstruction.Apply(new OutputAction(1))],
            };
        }

        return flows;
    }

    /// <summary>A flow that matches IPv4 packets to <paramref name="destination"/> and outputs them to port 1.</summary>
    public static FlowMod ToAddress(string destination, ushort priority = 100, FlowModFlags flags = FlowModFlags.None) =>
        new()
        {
            Priority = priority,
            Flags = flags,
            Match = new Match([Oxm.EthType(OxmFieldTable.EthTypeIpv4), Oxm.Ipv4Dst(IPAddress.Parse(destination))]),
            Instructions = [ActionsInstruction.Apply(new OutputAction(1))],
        };
}
