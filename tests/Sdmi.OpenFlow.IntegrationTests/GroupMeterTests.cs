using Sdmi.OpenFlow.Actions;
using Sdmi.OpenFlow.IntegrationTests.Infrastructure;
using Sdmi.OpenFlow.Matching;
using Sdmi.OpenFlow.Messages;

namespace Sdmi.OpenFlow.IntegrationTests;

public sealed class GroupMeterTests
{
    private const uint GroupId = 7;
    private const uint MeterId = 3;

    // The buckets output to ports 1 and 2, which the bridge does not have: Open vSwitch accepts
    // groups and flows that name absent ports.
    private static readonly GroupMod SelectGroup = new(
        GroupModCommand.Add,
        GroupType.Select,
        GroupId,
        [
            new Bucket([new SetFieldAction(Oxm.EthDst(MacAddress.Parse("02:00:ac:10:14:01"))), new OutputAction(1)], Weight: 10),
            new Bucket([new SetFieldAction(Oxm.EthDst(MacAddress.Parse("02:00:ac:10:14:02"))), new OutputAction(2)], Weight: 20),
        ]);

    private static readonly MeterMod DropMeter = new(
        MeterModCommand.Add,
        MeterFlags.Kbps | MeterFlags.Burst | MeterFlags.Stats,
        MeterId,
        [new DropBand(Rate: 1000, BurstSize: 100)]);

    [Fact]
    public async Task GroupDesc_SelectGroup_EqualsGroupMod()
    {
        await using SwitchSession session = await SwitchSession.StartAsync();
        await session.Connection.SendAndConfirmAsync([SelectGroup]);

        IReadOnlyList<GroupDescReply> replies = await session.Connection.RequestMultipartAsync<GroupDescReply>(
            EmptyMultipartRequest.GroupDesc);

        GroupDescription group = Assert.Single(Assert.Single(replies).Groups);
        Assert.Equal(SelectGroup.GroupType, group.GroupType);
        Assert.Equal(SelectGroup.GroupId, group.GroupId);
        Assert.Equal(SelectGroup.Buckets, group.Buckets);
    }

    [Fact]
    public async Task GroupDesc_SelectGroup_RendersLikeDumpGroups()
    {
        await using SwitchSession session = await SwitchSession.StartAsync();
        await session.Connection.SendAndConfirmAsync([SelectGroup]);

        IReadOnlyList<GroupDescReply> replies = await session.Connection.RequestMultipartAsync<GroupDescReply>(
            EmptyMultipartRequest.GroupDesc);
        IReadOnlyList<string> dumped = OfctlText.EntryLines(await session.Bridge.OfctlAsync("dump-groups"));

        // Same comparison as for flow stats: the decoded reply, encoded again, must render like
        // the reply that ovs-ofctl received from the switch.
        IReadOnlyList<string> printed = await OfctlText.PrintAsync(Assert.Single(replies) with { Flags = MultipartReplyFlags.None });
        Assert.Single(dumped);
        Assert.Equal(dumped, printed);
    }

    [Fact]
    public async Task MeterConfig_DropMeter_EqualsMeterMod()
    {
        await using SwitchSession session = await SwitchSession.StartAsync();
        await session.Connection.SendAndConfirmAsync([DropMeter]);

        IReadOnlyList<MeterConfigReply> replies = await session.Connection.RequestMultipartAsync<MeterConfigReply>(
            IdMultipartRequest.MeterConfig());

        MeterConfig meter = Assert.Single(Assert.Single(replies).Meters);
        Assert.Equal(DropMeter.Flags, meter.Flags);
        Assert.Equal(DropMeter.MeterId, meter.MeterId);
        Assert.Equal(DropMeter.Bands, meter.Bands);
    }

    [Fact]
    public async Task MeterConfig_DropMeter_RendersLikeDumpMeters()
    {
        await using SwitchSession session = await SwitchSession.StartAsync();
        await session.Connection.SendAndConfirmAsync([DropMeter]);

        IReadOnlyList<MeterConfigReply> replies = await session.Connection.RequestMultipartAsync<MeterConfigReply>(
            IdMultipartRequest.MeterConfig());
        IReadOnlyList<string> dumped = OfctlText.EntryLines(await session.Bridge.OfctlAsync("dump-meters"));

        IReadOnlyList<string> printed = await OfctlText.PrintAsync(Assert.Single(replies) with { Flags = MultipartReplyFlags.None });
        Assert.NotEmpty(dumped);
        Assert.Equal(dumped, printed);
    }
}
