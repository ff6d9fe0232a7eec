using Sdmi.OpenFlow.Connection;
using Sdmi.OpenFlow.IntegrationTests.Infrastructure;
using Sdmi.OpenFlow.Messages;

namespace Sdmi.OpenFlow.IntegrationTests;

public sealed class RoleRequestTests
{
    private const ulong Generation = 1000;

    [Fact]
    public async Task RoleRequest_Master_ReturnsMasterAndGeneration()
    {
        await using SwitchSession session = await SwitchSession.StartAsync();

        RoleReply reply = await session.Connection.RequestAsync<RoleReply>(
            new RoleRequest(ControllerRole.Master, Generation));

        Assert.Equal(ControllerRole.Master, reply.Role);
        Assert.Equal(Generation, reply.GenerationId);
    }

    [Fact]
    public async Task RoleRequest_LowerGeneration_RejectedAsStale()
    {
        await using SwitchSession session = await SwitchSession.StartAsync(controllerCount: 2);
        OpenFlowConnection first = session.Connections[0];
        OpenFlowConnection second = session.Connections[1];
        await first.RequestAsync<RoleReply>(new RoleRequest(ControllerRole.Master, Generation));

        OpenFlowErrorReplyException error = await Assert.ThrowsAsync<OpenFlowErrorReplyException>(
            () => second.RequestAsync<RoleReply>(new RoleRequest(ControllerRole.Master, Generation - 1)));
        RoleReply firstRole = await first.RequestAsync<RoleReply>(new RoleRequest(ControllerRole.NoChange));

        Assert.Equal(OfpErrorType.RoleRequestFailed, error.Error.ErrorType);
        Assert.Equal((ushort)RoleRequestFailedCode.Stale, error.Error.Code);
        Assert.IsType<RoleRequest>(error.FailedRequest);
        Assert.Equal(ControllerRole.Master, firstRole.Role);
    }

    [Fact]
    public async Task RoleRequest_HigherGeneration_TakesMastership()
    {
        await using SwitchSession session = await SwitchSession.StartAsync(controllerCount: 2);
        OpenFlowConnection first = session.Connections[0];
        OpenFlowConnection second = session.Connections[1];
        await first.RequestAsync<RoleReply>(new RoleRequest(ControllerRole.Master, Generation));

        RoleReply secondRole = await second.RequestAsync<RoleReply>(
            new RoleRequest(ControllerRole.Master, Generation + 1));
        RoleReply firstRole = await first.RequestAsync<RoleReply>(new RoleRequest(ControllerRole.NoChange));

        Assert.Equal(ControllerRole.Master, secondRole.Role);
        Assert.Equal(Generation + 1, secondRole.GenerationId);
        Assert.Equal(ControllerRole.Slave, firstRole.Role);
    }
}
