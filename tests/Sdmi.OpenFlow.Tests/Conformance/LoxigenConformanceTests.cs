using System.Buffers.Binary;
using Sdmi.OpenFlow.Messages;

namespace Sdmi.OpenFlow.Tests.Conformance;

/// <summary>
/// Loxigen's OpenFlow 1.3 test vectors. Whole messages decode and re-encode byte for byte.
/// Single structures (actions, instructions, OXMs, matches, hello elements, action and
/// instruction ids) are placed in a message that can carry them, and that message must
/// re-encode byte for byte.
/// </summary>
public sealed class LoxigenConformanceTests
{
    /// <summary>Vectors that OpenFlow 1.3 forbids, with the error the decoder must raise.</summary>
    private static readonly Dictionary<string, (OfpErrorType Type, ushort Code)> Rejected = new()
    {
        // in_port and in_phy_port have no mask in section 7.2.3.7 of OpenFlow 1.3.5.
        ["flow_add"] = (OfpErrorType.BadMatch, (ushort)BadMatchCode.BadMask),
        ["flow_delete"] = (OfpErrorType.BadMatch, (ushort)BadMatchCode.BadMask),
        ["flow_delete_strict"] = (OfpErrorType.BadMatch, (ushort)BadMatchCode.BadMask),
        ["flow_modify"] = (OfpErrorType.BadMatch, (ushort)BadMatchCode.BadMask),
        ["flow_modify_strict"] = (OfpErrorType.BadMatch, (ushort)BadMatchCode.BadMask),
        ["oxm_in_phy_port_masked"] = (OfpErrorType.BadMatch, (ushort)BadMatchCode.BadMask),
        ["packet_in"] = (OfpErrorType.BadMatch, (ushort)BadMatchCode.BadMask),
        ["flow_removed"] = (OfpErrorType.BadMatch, (ushort)BadMatchCode.BadMask),
    };

    /// <summary>
    /// Loxigen writes hello elements without the zero padding to 8 bytes that section 7.5.1
    /// requires. The decoder accepts that, and the encoder adds the padding.
    /// </summary>
    private const string UnpaddedHello = "hello";

    /// <summary>
    /// A Big Switch TLV, a structure that no OpenFlow 1.3 message carries outside BSN experimenter
    /// bodies.
    /// </summary>
    private const string BsnTlv = "bsn_tlv_";

    public static TheoryData<string> Names() =>
        new(ConformanceData.LoxigenNames().Where(name => !name.StartsWith(BsnTlv, StringComparison.Ordinal)));

    [Theory]
    [MemberData(nameof(Names))]
    public void LoxigenVector_DecodeThenEncode_ReproducesBytes(string name)
    {
        byte[] container = Wrap(name, ConformanceData.ReadLoxigenBinary(name));

        if (Rejected.TryGetValue(name, out var expected))
        {
            var exception = Assert.Throws<OpenFlowProtocolException>(() => OpenFlowCodec.Decode(container));
            Assert.Equal(expected.Type, exception.ErrorType);
            Assert.Equal(expected.Code, exception.ErrorCode);
            return;
        }

        OpenFlowMessage message = OpenFlowCodec.Decode(container);

        if (name == UnpaddedHello)
        {
            var hello = Assert.IsType<HelloMessage>(message);
            Assert.Equal(2, hello.Elements.Count);
            Assert.Equal(40, hello.Length);
            return;
        }

        Assert.Equal(Hex.Of(container), Hex.Of(message.ToArray()));
    }

    [Fact]
    public void LoxigenCorpus_HasVectors()
    {
        Assert.True(ConformanceData.LoxigenNames().Count() >= 60);
    }

    private static byte[] Wrap(string name, byte[] bytes)
    {
        if (bytes[0] == OfpHeader.Version13 && BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(2)) == bytes.Length)
        {
            return bytes;
        }

        return name switch
        {
            _ when name.StartsWith("action_id_", StringComparison.Ordinal) =>
                TableFeaturesWith(TableFeaturePropertyType.ApplyActions, bytes),
            _ when name.StartsWith("instruction_id_", StringComparison.Ordinal) =>
                TableFeaturesWith(TableFeaturePropertyType.Instructions, bytes),
            _ when name.StartsWith("action_", StringComparison.Ordinal) => PacketOutWith(bytes),
            _ when name.StartsWith(
                "instruction_",
                StringComparison.Ordinal) => FlowModWith(Hex.Bytes("0001 0004 00000000"), bytes),
            _ when name.StartsWith("oxm_", StringComparison.Ordinal) => FlowModWith(MatchWith(bytes), []),
            _ when name.StartsWith("match_", StringComparison.Ordinal) => FlowModWith(bytes, []),
            _ when name.StartsWith("hello_elem_", StringComparison.Ordinal) => Message(OfpType.Hello, Pad8(bytes)),
            _ => throw new InvalidOperationException($"No container for loxigen vector {name}."),
        };
    }

    private static byte[] PacketOutWith(byte[] actions)
    {
        byte[] fixedPart = Hex.Bytes("ffffffff fffffffd 0000 000000000000");
        BinaryPrimitives.WriteUInt16BigEndian(fixedPart.AsSpan(8), (ushort)actions.Length);
        return Message(OfpType.PacketOut, [.. fixedPart, .. actions]);
    }

    private static byte[] FlowModWith(byte[] match, byte[] instructions)
    {
        byte[] fixedPart = new byte[FlowMod.FixedBodySize];
        Hex.Bytes("ffffffff ffffffff ffffffff").CopyTo(fixedPart, 20);
        return Message(OfpType.FlowMod, [.. fixedPart, .. match, .. instructions]);
    }

    private static byte[] MatchWith(byte[] oxm)
    {
        byte[] header = Hex.Bytes("0001 0000");
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(2), (ushort)(4 + oxm.Length));
        return Pad8([.. header, .. oxm]);
    }

    private static byte[] TableFeaturesWith(TableFeaturePropertyType type, byte[] ids)
    {
        byte[] property = new byte[4];
        BinaryPrimitives.WriteUInt16BigEndian(property, (ushort)type);
        BinaryPrimitives.WriteUInt16BigEndian(property.AsSpan(2), (ushort)(4 + ids.Length));
        byte[] paddedProperty = Pad8([.. property, .. ids]);
        byte[] table = new byte[TableFeatures.FixedSize];
        BinaryPrimitives.WriteUInt16BigEndian(table, (ushort)(table.Length + paddedProperty.Length));
        byte[] multipart = Hex.Bytes("000c 0000 00000000");
        return Message(OfpType.MultipartReply, [.. multipart, .. table, .. paddedProperty]);
    }

    private static byte[] Pad8(byte[] bytes) => [.. bytes, .. new byte[((bytes.Length + 7) & ~7) - bytes.Length]];

    private static byte[] Message(OfpType type, byte[] body)
    {
        byte[] message = new byte[OfpHeader.Size + body.Length];
        new OfpHeader(OfpHeader.Version13, type, (ushort)message.Length, 0x11).WriteTo(message);
        body.CopyTo(message, OfpHeader.Size);
        return message;
    }
}
