using Sdmi.OpenFlow.Actions;
using Sdmi.OpenFlow.Connection;
using Sdmi.OpenFlow.Instructions;
using Sdmi.OpenFlow.Matching;
using Sdmi.OpenFlow.Messages;

namespace Sdmi.OpenFlow.Tests.Connection;

public sealed class OpenFlowConnectionTests
{
    private static readonly FlowMod DropAll = new() { Priority = 0, Instructions = [ActionsInstruction.ClearActions] };

    [Fact]
    public async Task Handshake_SwitchAnswers_ReturnsDatapathId()
    {
        var (fake, connection, listener) = await ScriptedSwitch.ConnectAsync();
        await using var _ = listener;
        await using var __ = fake;
        await using var ___ = connection;

        Task<FeaturesReply> handshake = connection.HandshakeAsync();
        await fake.CompleteHandshakeAsync(0xabcdef);
        FeaturesReply features = await handshake;

        Assert.Equal(0xabcdefUL, features.DatapathId);
        Assert.Equal(0xabcdefUL, connection.DatapathId);
    }

    [Fact]
    public async Task Handshake_PeerWithoutVersion13_SendsHelloFailed()
    {
        var (fake, connection, listener) = await ScriptedSwitch.ConnectAsync();
        await using var _ = listener;
        await using var __ = fake;
        await using var ___ = connection;

        Task<FeaturesReply> handshake = connection.HandshakeAsync();
        await fake.SendAsync(new HelloMessage([HelloVersionBitmap.ForVersions(1)]) { Version = 1, Xid = 1 });
        await fake.ExpectAsync<HelloMessage>();
        ErrorMessage error = await fake.ExpectAsync<ErrorMessage>();
        var exception = await Assert.ThrowsAsync<OpenFlowProtocolException>(() => handshake);

        Assert.Equal(OfpErrorType.HelloFailed, error.ErrorType);
        Assert.Equal((ushort)HelloFailedCode.Incompatible, error.Code);
        Assert.Equal(OfpErrorType.HelloFailed, exception.ErrorType);
    }

    [Fact]
    public async Task EchoRequest_FromSwitch_GetsEchoReply()
    {
        var (fake, connection, listener) = await ScriptedSwitch.ConnectAsync();
        await using var _ = listener;
        await using var __ = fake;
        await using var ___ = connection;
        connection.Start();

        await fake.SendAsync(new EchoRequest(new byte[] { 1, 2, 3 }) { Xid = 77 });
        EchoReply reply = await fake.ExpectAsync<EchoReply>();

        Assert.Equal(77u, reply.Xid);
        Assert.Equal(new byte[] { 1, 2, 3 }, reply.Data.AsSpan().ToArray());
    }

    [Fact]
    public async Task SendAndConfirm_BarrierReply_Completes()
    {
        var (fake, connection, listener) = await ScriptedSwitch.ConnectAsync();
        await using var _ = listener;
        await using var __ = fake;
        await using var ___ = connection;

        Task confirm = connection.SendAndConfirmAsync([DropAll]);
        FlowMod sent = await fake.ExpectAsync<FlowMod>();
        BarrierRequest barrier = await fake.ExpectAsync<BarrierRequest>();
        await fake.SendAsync(new BarrierReply { Xid = barrier.Xid });
        await confirm;

        Assert.Equal(DropAll with { Xid = sent.Xid }, sent);
        Assert.NotEqual(sent.Xid, barrier.Xid);
    }

    [Fact]
    public async Task SendAndConfirm_Error_ThrowsTypedError()
    {
        var (fake, connection, listener) = await ScriptedSwitch.ConnectAsync();
        await using var _ = listener;
        await using var __ = fake;
        await using var ___ = connection;

        Task confirm = connection.SendAndConfirmAsync([DropAll, DropAll with { TableId = 200 }]);
        await fake.ExpectAsync<FlowMod>();
        FlowMod rejected = await fake.ExpectAsync<FlowMod>();
        BarrierRequest barrier = await fake.ExpectAsync<BarrierRequest>();
        await fake.SendAsync(ErrorMessage.ForRequest(
            OfpErrorType.FlowModFailed, (ushort)FlowModFailedCode.BadTableId, rejected.ToArray(), rejected.Xid));
        await fake.SendAsync(new BarrierReply { Xid = barrier.Xid });
        var exception = await Assert.ThrowsAsync<OpenFlowErrorReplyException>(() => confirm);

        Assert.Equal(OfpErrorType.FlowModFailed, exception.Error.ErrorType);
        Assert.Equal((ushort)FlowModFailedCode.BadTableId, exception.Error.Code);
        Assert.Equal(rejected, exception.FailedRequest);
    }

    [Fact]
    public async Task GetFlowStats_ReplyMore_JoinsParts()
    {
        var (fake, connection, listener) = await ScriptedSwitch.ConnectAsync();
        await using var _ = listener;
        await using var __ = fake;
        await using var ___ = connection;
        FlowStats first = new(0, 1, 0, 10, 0, 0, FlowModFlags.None, 1, 0, 0, Match.Any, default);
        FlowStats second = first with { Cookie = 2 };

        Task<IReadOnlyList<FlowStats>> stats = connection.GetFlowStatsAsync(new FlowStatsRequest());
        FlowStatsRequest request = await fake.ExpectAsync<FlowStatsRequest>();
        await fake.SendAsync(new FlowStatsReply([first]) { Xid = request.Xid, Flags = MultipartReplyFlags.More });
        await fake.SendAsync(new FlowStatsReply([second]) { Xid = request.Xid });

        Assert.Equal([first, second], await stats);
    }

    [Fact]
    public async Task Request_OtherReplyType_GoesToEvents()
    {
        var (fake, connection, listener) = await ScriptedSwitch.ConnectAsync();
        await using var _ = listener;
        await using var __ = fake;
        await using var ___ = connection;

        Task<RoleReply> role = connection.RequestAsync<RoleReply>(new RoleRequest(ControllerRole.Master, 1));
        RoleRequest request = await fake.ExpectAsync<RoleRequest>();
        await fake.SendAsync(new BarrierReply { Xid = request.Xid });
        await fake.SendAsync(new RoleReply(ControllerRole.Master, 1) { Xid = request.Xid });
        using var timeout = new CancellationTokenSource(ScriptedSwitch.ReceiveTimeout);
        OpenFlowMessage stray = await connection.Events.ReadAsync(timeout.Token);

        Assert.Equal(new RoleReply(ControllerRole.Master, 1) { Xid = request.Xid }, await role);
        Assert.Equal(new BarrierReply { Xid = request.Xid }, stray);
    }

    [Fact]
    public async Task Request_MessageWithoutReply_ThrowsArgumentException()
    {
        var (fake, connection, listener) = await ScriptedSwitch.ConnectAsync();
        await using var _ = listener;
        await using var __ = fake;
        await using var ___ = connection;

        await Assert.ThrowsAsync<ArgumentException>(() => connection.RequestAsync<BarrierReply>(DropAll));
    }

    [Fact]
    public async Task BundleControl_WrongReply_Throws()
    {
        var (fake, connection, listener) = await ScriptedSwitch.ConnectAsync();
        await using var _ = listener;
        await using var __ = fake;
        await using var ___ = connection;

        Task<BundleControlMessage> open = connection.BundleControlAsync(
            1,
            BundleControlType.OpenRequest,
            BundleFlags.Atomic);
        BundleControlMessage request = await fake.ExpectAsync<BundleControlMessage>();
        await fake.SendAsync(new ExperimenterMessage(0x2320, 5, default) { Xid = request.Xid });

        await Assert.ThrowsAsync<OpenFlowProtocolException>(() => open);
    }

    [Fact]
    public async Task AsyncMessages_AreQueuedByKind()
    {
        var (fake, connection, listener) = await ScriptedSwitch.ConnectAsync();
        await using var _ = listener;
        await using var __ = fake;
        await using var ___ = connection;
        connection.Start();
        var packetIn = new PacketIn(OfpBufferId.NoBuffer, 1, PacketInReason.NoMatch, 0, 0,
            new Match([Oxm.InPort(5)]), new byte[] { 0xff }) { Xid = 0 };
        var unsolicitedError = new ErrorMessage(OfpErrorType.BadRequest, (ushort)BadRequestCode.BadType) { Xid = 999 };

        await fake.SendAsync(packetIn);
        await fake.SendAsync(unsolicitedError);
        using var timeout = new CancellationTokenSource(ScriptedSwitch.ReceiveTimeout);
        PacketIn received = await connection.PacketIns.ReadAsync(timeout.Token);
        OpenFlowMessage errorEvent = await connection.Events.ReadAsync(timeout.Token);

        Assert.Equal(packetIn, received);
        Assert.Equal(5u, received.InPort);
        Assert.Equal(unsolicitedError, errorEvent);
    }

    [Fact]
    public async Task MalformedFlowMod_GetsBadMatchError()
    {
        var (fake, connection, listener) = await ScriptedSwitch.ConnectAsync();
        await using var _ = listener;
        await using var __ = fake;
        await using var ___ = connection;
        connection.Start();
        byte[] flowMod = new FlowMod { Xid = 31, Match = new Match([Oxm.InPort(1)]) }.ToArray();
        flowMod[FlowMod.FixedBodySize + OfpHeader.Size + 7] = 2; // in_port OXM now claims 2 payload bytes.

        await fake.SendRawAsync(flowMod);
        ErrorMessage error = await fake.ExpectAsync<ErrorMessage>();

        Assert.Equal(31u, error.Xid);
        Assert.Equal(OfpErrorType.BadMatch, error.ErrorType);
        Assert.Equal((ushort)BadMatchCode.BadLen, error.Code);
        Assert.Equal(flowMod.AsSpan(0, ErrorMessage.RequestBytesToEcho).ToArray(), error.Data.AsSpan().ToArray());
    }

    [Fact]
    public async Task ShortHeaderLength_SendsBadLenAndCloses()
    {
        var (fake, connection, listener) = await ScriptedSwitch.ConnectAsync();
        await using var _ = listener;
        await using var __ = fake;
        await using var ___ = connection;
        connection.Start();

        await fake.SendRawAsync(Hex.Bytes("04 02 0004 00000009"));
        ErrorMessage error = await fake.ExpectAsync<ErrorMessage>();

        Assert.Equal(OfpErrorType.BadRequest, error.ErrorType);
        Assert.Equal((ushort)BadRequestCode.BadLen, error.Code);
        Assert.Equal(9u, error.Xid);
        Assert.Equal(Hex.Bytes("04 02 0004 00000009"), error.Data.AsSpan().ToArray());
        await Assert.ThrowsAsync<OpenFlowProtocolException>(() => connection.Completion);
        Assert.True(await fake.IsClosedByPeerAsync());
    }

    [Fact]
    public async Task CommitBundle_Accepted_SendsAllSteps()
    {
        var (fake, connection, listener) = await ScriptedSwitch.ConnectAsync();
        await using var _ = listener;
        await using var __ = fake;
        await using var ___ = connection;

        Task commit = connection.CommitBundleAsync([DropAll]);
        BundleControlMessage open = await fake.ExpectAsync<BundleControlMessage>();
        await fake.SendAsync(open with { ControlType = BundleControlType.OpenReply });
        BundleAddMessage add = await fake.ExpectAsync<BundleAddMessage>();
        BarrierRequest barrier = await fake.ExpectAsync<BarrierRequest>();
        await fake.SendAsync(new BarrierReply { Xid = barrier.Xid });
        BundleControlMessage commitRequest = await fake.ExpectAsync<BundleControlMessage>();
        await fake.SendAsync(commitRequest with { ControlType = BundleControlType.CommitReply });
        await commit;

        Assert.Equal(BundleControlType.OpenRequest, open.ControlType);
        Assert.Equal(BundleFlags.Atomic | BundleFlags.Ordered, open.Flags);
        Assert.Equal(open.BundleId, add.BundleId);
        Assert.Equal(add.Xid, add.Message.Xid);
        Assert.Equal(DropAll with { Xid = add.Xid }, add.Message);
        Assert.Equal(BundleControlType.CommitRequest, commitRequest.ControlType);
    }

    [Fact]
    public async Task CommitBundle_AddRejected_DiscardsAndFails()
    {
        var (fake, connection, listener) = await ScriptedSwitch.ConnectAsync();
        await using var _ = listener;
        await using var __ = fake;
        await using var ___ = connection;

        Task commit = connection.CommitBundleAsync([DropAll]);
        BundleControlMessage open = await fake.ExpectAsync<BundleControlMessage>();
        await fake.SendAsync(open with { ControlType = BundleControlType.OpenReply });
        BundleAddMessage add = await fake.ExpectAsync<BundleAddMessage>();
        await fake.ExpectAsync<BarrierRequest>();
        await fake.SendAsync(new ErrorMessage(OfpErrorType.BadInstruction, (ushort)BadInstructionCode.BadTableId)
        {
            Xid = add.Xid,
        });
        BundleControlMessage discard = await fake.ExpectAsync<BundleControlMessage>();
        await fake.SendAsync(discard with { ControlType = BundleControlType.DiscardReply });
        var exception = await Assert.ThrowsAsync<OpenFlowErrorReplyException>(() => commit);

        Assert.Equal(BundleControlType.DiscardRequest, discard.ControlType);
        Assert.Equal(open.BundleId, discard.BundleId);
        Assert.Equal(OfpErrorType.BadInstruction, exception.Error.ErrorType);
    }

    [Fact]
    public async Task PeerCloses_PendingRequestFailsWithIOException()
    {
        var (fake, connection, listener) = await ScriptedSwitch.ConnectAsync();
        await using var _ = listener;
        await using var ___ = connection;

        Task<BarrierReply> request = connection.RequestAsync<BarrierReply>(new BarrierRequest());
        await fake.ExpectAsync<BarrierRequest>();
        await fake.DisposeAsync();

        await Assert.ThrowsAsync<IOException>(() => request);
        await connection.Completion;
    }
}
