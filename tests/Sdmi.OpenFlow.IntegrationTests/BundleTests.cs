using System.Net;
using Sdmi.OpenFlow.Actions;
using Sdmi.OpenFlow.Connection;
using Sdmi.OpenFlow.Instructions;
using Sdmi.OpenFlow.IntegrationTests.Infrastructure;
using Sdmi.OpenFlow.Matching;
using Sdmi.OpenFlow.Messages;

namespace Sdmi.OpenFlow.IntegrationTests;

public sealed class BundleTests
{
    private const int LargeFlowCount = 10_000;

    [Fact]
    public async Task CommitBundle_TenThousandFlows_AllInstalled()
    {
        await using SwitchSession session = await SwitchSession.StartAsync();

        await session.Connection.CommitBundleAsync([.. TestFlows.Distinct(LargeFlowCount)]);

        IReadOnlyList<string> dumped = await session.Bridge.DumpFlowsAsync();
        IReadOnlyList<AggregateStatsReply> aggregate =
            await session.Connection.RequestMultipartAsync<AggregateStatsReply>(new AggregateStatsRequest());
        Assert.Equal(LargeFlowCount, dumped.Count);
        Assert.Equal(LargeFlowCount, dumped.Distinct().Count());
        Assert.Equal((uint)LargeFlowCount, Assert.Single(aggregate).FlowCount);
    }

    [Fact]
    public async Task CommitBundle_RejectedAdd_LeavesTableUnchanged()
    {
        await using SwitchSession session = await SwitchSession.StartAsync();
        IReadOnlyList<string> before = await InstallBaselineAsync(session);

        // ipv4_dst without eth_type=0x0800 misses its prerequisite, so the switch rejects the
        // BUNDLE_ADD_MESSAGE that carries it before the commit is sent.
        var missingPrerequisite = new FlowMod
        {
            Priority = 200,
            Match = new Match([Oxm.Ipv4Dst(IPAddress.Parse("172.16.9.9"))]),
            Instructions = [ActionsInstruction.Apply(new OutputAction(1))],
        };
        OpenFlowErrorReplyException error = await Assert.ThrowsAsync<OpenFlowErrorReplyException>(
            () => session.Connection.CommitBundleAsync(
                [TestFlows.ToAddress("172.16.9.1"), missingPrerequisite, TestFlows.ToAddress("172.16.9.2")]));

        Assert.IsType<BundleAddMessage>(error.FailedRequest);
        Assert.Equal(OfpErrorType.BadMatch, error.Error.ErrorType);
        Assert.Equal((ushort)BadMatchCode.BadPrereq, error.Error.Code);
        Assert.Equal(before, await session.Bridge.DumpFlowsAsync());
    }

    [Fact]
    public async Task CommitBundle_RejectedCommit_LeavesTableUnchanged()
    {
        await using SwitchSession session = await SwitchSession.StartAsync();
        IReadOnlyList<string> before = await InstallBaselineAsync(session);

        // Each add is valid on its own. The third overlaps the first at the same priority and sets
        // OFPFF_CHECK_OVERLAP, a conflict that the switch detects only when it applies the bundle.
        var overlapping = new FlowMod
        {
            Priority = 300,
            Flags = FlowModFlags.CheckOverlap,
            Match = new Match([Oxm.EthType(OxmFieldTable.EthTypeIpv4)]),
            Instructions = [ActionsInstruction.Apply(new OutputAction(2))],
        };
        OpenFlowErrorReplyException error = await Assert.ThrowsAsync<OpenFlowErrorReplyException>(
            () => session.Connection.CommitBundleAsync(
                [TestFlows.ToAddress("172.16.9.1", priority: 300), TestFlows.ToAddress("172.16.9.2"), overlapping]));

        BundleControlMessage failedCommit = Assert.IsType<BundleControlMessage>(error.FailedRequest);
        Assert.Equal(BundleControlType.CommitRequest, failedCommit.ControlType);
        Assert.Equal(before, await session.Bridge.DumpFlowsAsync());
    }

    /// <summary>Installs three flows outside any bundle and returns the dump-flows lines.</summary>
    private static async Task<IReadOnlyList<string>> InstallBaselineAsync(SwitchSession session)
    {
        await session.Connection.SendAndConfirmAsync(
        [
            TestFlows.ToAddress("172.16.1.1"),
            TestFlows.ToAddress("172.16.1.2"),
            new FlowMod { TableId = 1, Priority = 0, Instructions = [ActionsInstruction.ClearActions] },
        ]);
        IReadOnlyList<string> before = await session.Bridge.DumpFlowsAsync();
        Assert.Equal(3, before.Count);
        return before;
    }
}
