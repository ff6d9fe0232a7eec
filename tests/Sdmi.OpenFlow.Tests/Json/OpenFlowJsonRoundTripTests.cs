using CsCheck;
using Sdmi.OpenFlow.Json;
using Sdmi.OpenFlow.Messages;
using Sdmi.OpenFlow.Tests.Conformance;
using Sdmi.OpenFlow.Tests.Properties;

namespace Sdmi.OpenFlow.Tests.Json;

/// <summary>
/// Every message survives Serialize then Deserialize unchanged: generated messages, the Ryu
/// conformance packets, and one instance of each message class.
/// </summary>
public sealed class OpenFlowJsonRoundTripTests
{
    private const int Iterations = 2_000;

    public static TheoryData<string> RyuPacketNames() => new(ConformanceData.RyuPacketNames());

    [Fact]
    public void GeneratedMessage_JsonRoundTrip_IsEqual()
    {
        MessageGenerators.Message.Sample(message =>
        {
            string json = OpenFlowJson.Serialize(message);

            OpenFlowMessage parsed = OpenFlowJson.Deserialize(json);

            Assert.Equal(message, parsed);
        }, iter: Iterations);
    }

    [Theory]
    [MemberData(nameof(RyuPacketNames))]
    public void RyuPacket_JsonRoundTrip_ReproducesBytes(string name)
    {
        byte[] packet = ConformanceData.ReadRyuPacket(name);
        OpenFlowMessage message = OpenFlowCodec.Decode(packet);

        OpenFlowMessage parsed = OpenFlowJson.Deserialize(OpenFlowJson.Serialize(message));

        Assert.Equal(message, parsed);
        Assert.Equal(Hex.Of(packet), Hex.Of(parsed.ToArray()));
    }

    [Fact]
    public void SampleMessages_CoverEveryMessageClass()
    {
        Type[] messageClasses = typeof(OpenFlowMessage).Assembly.GetTypes()
            .Where(type => type.IsSubclassOf(typeof(OpenFlowMessage)) && !type.IsAbstract)
            .ToArray();
        HashSet<Type> sampled = SampleMessages.All.Select(message => message.GetType()).ToHashSet();

        foreach (Type messageClass in messageClasses)
        {
            Assert.True(sampled.Contains(messageClass), $"SampleMessages has no {messageClass.Name}");
        }
    }

    [Theory]
    [MemberData(nameof(OneOfEachMessage))]
    public void EachMessageClass_JsonRoundTrip_IsEqual(OpenFlowMessage message)
    {
        string json = OpenFlowJson.Serialize(message);

        OpenFlowMessage parsed = OpenFlowJson.Deserialize(json);

        Assert.Equal(message, parsed);
        Assert.Equal(Hex.Of(message.ToArray()), Hex.Of(parsed.ToArray()));
    }

    public static TheoryData<OpenFlowMessage> OneOfEachMessage() => new(SampleMessages.All);
}
