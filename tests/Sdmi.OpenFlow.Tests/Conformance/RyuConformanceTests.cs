using Sdmi.OpenFlow.Messages;

namespace Sdmi.OpenFlow.Tests.Conformance;

/// <summary>
/// Every Ryu OpenFlow 1.3 packet decodes, and encoding the decoded message reproduces the file
/// byte for byte.
/// </summary>
public sealed class RyuConformanceTests
{
    public static TheoryData<string> PacketNames() => new(ConformanceData.RyuPacketNames());

    [Theory]
    [MemberData(nameof(PacketNames))]
    public void RyuPacket_DecodeThenEncode_ReproducesBytes(string name)
    {
        byte[] packet = ConformanceData.ReadRyuPacket(name);

        OpenFlowMessage message = OpenFlowCodec.Decode(packet);
        byte[] encoded = message.ToArray();

        Assert.Equal(Convert.ToHexString(packet), Convert.ToHexString(encoded));
    }
}
