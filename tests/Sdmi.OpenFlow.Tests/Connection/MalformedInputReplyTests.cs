using Sdmi.OpenFlow.Messages;

namespace Sdmi.OpenFlow.Tests.Connection;

/// <summary>
/// The connection replies to each kind of malformed message with the matching OFPT_ERROR and keeps
/// reading.
/// </summary>
public sealed class MalformedInputReplyTests
{
    public static TheoryData<string, string, OfpErrorType, ushort> Cases() => new()
    {
        {
            "undefined message type",
            "04 63 0008 00000021",
            OfpErrorType.BadRequest, (ushort)BadRequestCode.BadType
        },
        {
            "OpenFlow 1.0 barrier",
            "01 12 0008 00000021",
            OfpErrorType.BadRequest, (ushort)BadRequestCode.BadVersion
        },
        {
            "undefined multipart type",
            "04 12 0010 00000021  0063 0000 00000000",
            OfpErrorType.BadRequest, (ushort)BadRequestCode.BadMultipart
        },
        {
            "action length not a multiple of 8",
            "04 0d 0024 00000021  ffffffff fffffffd 000c 000000000000  0000 000c 00000001 ffff 0000",
            OfpErrorType.BadAction, (ushort)BadActionCode.BadLen
        },
        {
            "instruction length below 8",
            "04 0e 0044 00000021  0000000000000000 0000000000000000 00 00 0000 0000 8000" +
            "  ffffffff ffffffff ffffffff 0000 0000  0001 0004 00000000  0001 0004 00000000 00000000",
            OfpErrorType.BadInstruction, (ushort)BadInstructionCode.BadLen
        },
        {
            "meter band of undefined type",
            "04 1d 0020 00000021  0000 0001 00000001  0005 0010 00000002 00000002 00000000",
            OfpErrorType.MeterModFailed, (ushort)MeterModFailedCode.BadBand
        },
        {
            "body longer than a features reply",
            "04 06 0024 00000021  0000000000000001 00000000 fe 00 0000 00000000 00000000 00000000",
            OfpErrorType.BadRequest, (ushort)BadRequestCode.BadLen
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task MalformedMessage_GetsMatchingError(string name, string hex, OfpErrorType type, ushort code)
    {
        var (fake, connection, listener) = await ScriptedSwitch.ConnectAsync();
        await using var _ = listener;
        await using var __ = fake;
        await using var ___ = connection;
        connection.Start();

        await fake.SendRawAsync(Hex.Bytes(hex));
        ErrorMessage error = await fake.ExpectAsync<ErrorMessage>();
        await fake.SendAsync(new EchoRequest(new byte[] { 7 }) { Xid = 0x22 });
        EchoReply echo = await fake.ExpectAsync<EchoReply>();

        Assert.True(type == error.ErrorType, $"{name}: {error}");
        Assert.True(code == error.Code, $"{name}: {error}");
        Assert.Equal(0x21u, error.Xid);
        Assert.Equal(0x22u, echo.Xid);
    }
}
