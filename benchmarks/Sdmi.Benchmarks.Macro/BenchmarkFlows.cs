using System.Globalization;
using System.Text;
using Sdmi.OpenFlow.Actions;
using Sdmi.OpenFlow.Instructions;
using Sdmi.OpenFlow.Matching;
using Sdmi.OpenFlow.Messages;

namespace Sdmi.Benchmarks.Macro;

/// <summary>
/// N distinct flows, <c>priority=100,ip,nw_dst=172.16.0.0+i,actions=output:1</c> in table 0, as
/// FLOW_MODs for the library and as text for ovs-ofctl. The bridge has no port 1 and no traffic, so
/// the flows are only table entries. 100,000 addresses from 172.16.0.0 end at 172.17.134.159,
/// inside 172.16.0.0/12.
/// </summary>
internal static class BenchmarkFlows
{
    private const uint FirstAddress = 0xac10_0000;
    private const ushort Priority = 100;
    private const uint OutputPort = 1;

    public static FlowMod[] BuildFlowMods(int count)
    {
        var flows = new FlowMod[count];
        for (int i = 0; i < count; i++)
        {
            flows[i] = new FlowMod
            {
                Priority = Priority,
                Match = new Match(
                    [Oxm.EthType(OxmFieldTable.EthTypeIpv4), Oxm.Make(OxmFieldId.Ipv4Dst, FirstAddress + (uint)i)]),
                Instructions = [ActionsInstruction.Apply(new OutputAction(OutputPort))],
            };
        }

        return flows;
    }

    /// <summary>Writes the same flows in the syntax of <c>ovs-ofctl add-flows</c>, one per line.</summary>
    public static void WriteOfctlFile(string path, int count)
    {
        var text = new StringBuilder(count * 64);
        for (int i = 0; i < count; i++)
        {
            uint address = FirstAddress + (uint)i;
            text.Append(CultureInfo.InvariantCulture,
                $"table=0,priority={Priority},ip,nw_dst={address >> 24}.{(address >> 16) & 0xff}.{(address >> 8) & 0xff}.{address & 0xff},actions=output:{OutputPort}\n");
        }

        File.WriteAllText(path, text.ToString());
    }
}
