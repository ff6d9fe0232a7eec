using Sdmi.OpenFlow.Actions;
using Sdmi.OpenFlow.IntegrationTests.Infrastructure;
using Sdmi.OpenFlow.Matching;
using Sdmi.OpenFlow.Messages;

namespace Sdmi.OpenFlow.IntegrationTests;

public sealed class PacketOutTests
{
    private const uint ContainerPort = 10;
    private const int FrameCount = 3;

    /// <summary>Ethernet frames are padded to 60 bytes before the frame check sequence.</summary>
    private const int FrameLength = 60;

    /// <summary>IEEE 802 local experimental EtherType, which no protocol stack in the namespace handles.</summary>
    private const ushort LocalExperimentalEtherType = 0x88b5;

    private static readonly TimeSpan ArrivalTimeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task PacketOut_ToContainerPort_ArrivesInNamespace()
    {
        await using SwitchSession session = await SwitchSession.StartAsync();
        await using NamespacePort container = await NamespacePort.CreateAsync(session.Bridge, ContainerPort);
        MacAddress destination = MacAddress.Parse(await container.ReadMacAddressAsync());
        ulong packetsBefore = await container.ReadCounterAsync("rx_packets");
        ulong bytesBefore = await container.ReadCounterAsync("rx_bytes");

        byte[] frame = BuildFrame(destination, MacAddress.Parse("02:00:ac:10:63:01"));
        var packetOut = new PacketOut([new OutputAction(ContainerPort)], frame);
        await session.Connection.SendAndConfirmAsync([.. Enumerable.Repeat<OpenFlowMessage>(packetOut, FrameCount)]);

        ulong packets = await WaitForCounterAsync(container, "rx_packets", packetsBefore + FrameCount);
        ulong bytes = await container.ReadCounterAsync("rx_bytes");
        Assert.Equal(packetsBefore + FrameCount, packets);
        Assert.Equal(bytesBefore + (FrameCount * FrameLength), bytes);
    }

    private static byte[] BuildFrame(MacAddress destination, MacAddress source)
    {
        byte[] frame = new byte[FrameLength];
        destination.WriteTo(frame.AsSpan(0, MacAddress.Size));
        source.WriteTo(frame.AsSpan(MacAddress.Size, MacAddress.Size));
        frame[12] = LocalExperimentalEtherType >> 8;
        frame[13] = LocalExperimentalEtherType & 0xff;
        return frame;
    }

    /// <summary>
    /// Reads <paramref name="counter"/> until it reaches <paramref name="expected"/> or
    /// <see cref="ArrivalTimeout"/> passes, because the veth may count a frame shortly after the
    /// switch has confirmed the PACKET_OUT. Returns the last value read.
    /// </summary>
    private static async Task<ulong> WaitForCounterAsync(NamespacePort port, string counter, ulong expected)
    {
        using var timeout = new CancellationTokenSource(ArrivalTimeout);
        ulong value = await port.ReadCounterAsync(counter);
        while (value < expected && !timeout.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), CancellationToken.None);
            value = await port.ReadCounterAsync(counter);
        }

        return value;
    }
}
