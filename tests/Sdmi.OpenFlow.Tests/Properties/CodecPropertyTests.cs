using System.Buffers;
using CsCheck;
using Sdmi.OpenFlow.Messages;

namespace Sdmi.OpenFlow.Tests.Properties;

/// <summary>
/// Property-based tests: generated messages survive an encode/decode round trip, and random or
/// mutated input either decodes or raises <see cref="OpenFlowProtocolException"/>, never another
/// exception. Iteration counts are fixed, so each test runs in bounded time.
/// </summary>
public sealed class CodecPropertyTests
{
    private const int Iterations = 3_000;

    [Fact]
    public void GeneratedMessage_RoundTrip_IsEqual()
    {
        MessageGenerators.Message.Sample(message =>
        {
            byte[] encoded = message.ToArray();

            OpenFlowMessage decoded = OpenFlowCodec.Decode(encoded);

            Assert.Equal(message, decoded);
            Assert.Equal(Hex.Of(encoded), Hex.Of(decoded.ToArray()));
        }, iter: Iterations);
    }

    [Fact]
    public void RandomBytes_Decode_OnlyRaisesProtocolException()
    {
        Gen<byte[]> input = Gen.Select(Gen.Byte[0, 31], Gen.Byte.Array[0, 120]).Select((type, body) =>
        {
            byte[] message = new byte[OfpHeader.Size + body.Length];
            new OfpHeader(OfpHeader.Version13, (OfpType)type, (ushort)message.Length, 1).WriteTo(message);
            body.CopyTo(message, OfpHeader.Size);
            return message;
        });

        input.Sample(DecodeOrProtocolError, iter: Iterations * 3);
    }

    [Fact]
    public void MutatedMessage_Decode_OnlyRaisesProtocolException()
    {
        Gen<byte[]> mutated = Gen.Select(MessageGenerators.Message, Gen.Int[0, 1000].Array[1, 4], Gen.Byte)
            .Select((message, positions, value) =>
            {
                byte[] bytes = message.ToArray();
                foreach (int position in positions)
                {
                    int index = OfpHeader.Size + (position % Math.Max(1, bytes.Length - OfpHeader.Size));
                    if (index < bytes.Length)
                    {
                        bytes[index] ^= value;
                    }
                }

                return bytes;
            });

        mutated.Sample(DecodeOrProtocolError, iter: Iterations * 3);
    }

    [Fact]
    public void TruncatedMessage_TryDecode_NeedsMoreData()
    {
        Gen.Select(MessageGenerators.Message, Gen.Int[0, 1000]).Sample((message, cut) =>
        {
            byte[] bytes = message.ToArray();
            int length = cut % bytes.Length;

            OperationStatus status = OpenFlowCodec.TryDecode(
                bytes.AsSpan(0, length),
                out OpenFlowMessage? decoded,
                out int consumed);

            Assert.Equal(OperationStatus.NeedMoreData, status);
            Assert.Null(decoded);
            Assert.Equal(0, consumed);
        }, iter: Iterations);
    }

    private static void DecodeOrProtocolError(byte[] bytes)
    {
        try
        {
            OpenFlowMessage message = OpenFlowCodec.Decode(bytes);
            Assert.Equal(bytes.Length, message.Length);
        }
        catch (OpenFlowProtocolException)
        {
            // Rejecting malformed input with the protocol exception is the expected outcome.
        }
    }
}
