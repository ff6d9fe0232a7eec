using System.Net;
using Sdmi.OpenFlow.Matching;

namespace Sdmi.OpenFlow.Tests.Codec;

public sealed class MatchValidatorTests
{
    [Fact]
    public void TcpPort_WithIpv4AndTcp_IsValid()
    {
        var match = new Match([Oxm.EthType(OxmFieldTable.EthTypeIpv4), Oxm.IpProto(OxmFieldTable.IpProtoTcp),
            Oxm.TcpDst(80)]);

        MatchValidator.Validate(match);

        Assert.True(MatchValidator.IsValid(match));
    }

    [Fact]
    public void TcpPort_WithoutIpProto_ThrowsBadPrereq()
    {
        var match = new Match([Oxm.EthType(OxmFieldTable.EthTypeIpv4), Oxm.TcpDst(80)]);

        var exception = Assert.Throws<OpenFlowProtocolException>(() => MatchValidator.Validate(match));

        Assert.Equal(OfpErrorType.BadMatch, exception.ErrorType);
        Assert.Equal((ushort)BadMatchCode.BadPrereq, exception.ErrorCode);
        Assert.Equal(10, exception.Offset);
    }

    [Fact]
    public void TcpPort_WithUdpProto_ThrowsBadPrereq()
    {
        var match = new Match([Oxm.EthType(OxmFieldTable.EthTypeIpv6), Oxm.IpProto(OxmFieldTable.IpProtoUdp),
            Oxm.TcpDst(80)]);

        var exception = Assert.Throws<OpenFlowProtocolException>(() => MatchValidator.Validate(match));

        Assert.Equal((ushort)BadMatchCode.BadPrereq, exception.ErrorCode);
    }

    [Fact]
    public void ArpTpa_WithIpv4EthType_ThrowsBadPrereq()
    {
        var match = new Match([Oxm.EthType(OxmFieldTable.EthTypeIpv4), Oxm.ArpTpa(IPAddress.Parse("10.0.0.1"))]);

        Assert.False(MatchValidator.IsValid(match));
    }

    [Fact]
    public void ArpFields_WithArpEthType_AreValid()
    {
        var match = new Match([Oxm.EthType(OxmFieldTable.EthTypeArp), Oxm.ArpOp(1),
            Oxm.ArpTpa(IPAddress.Parse("10.0.0.1"), IPAddress.Parse("255.255.255.0"))]);

        Assert.True(MatchValidator.IsValid(match));
    }

    [Fact]
    public void VlanPcp_WithVlanNone_ThrowsBadPrereq()
    {
        var match = new Match([Oxm.VlanVidRaw(Oxm.VlanNone), Oxm.VlanPcp(3)]);

        var exception = Assert.Throws<OpenFlowProtocolException>(() => MatchValidator.Validate(match));

        Assert.Equal((ushort)BadMatchCode.BadPrereq, exception.ErrorCode);
    }

    [Fact]
    public void NdTarget_WithNeighborAdvertisement_IsValid()
    {
        var match = new Match([Oxm.EthType(OxmFieldTable.EthTypeIpv6), Oxm.IpProto(OxmFieldTable.IpProtoIcmpv6),
            Oxm.Icmpv6Type(136), Oxm.Ipv6NdTarget(IPAddress.Parse("fe80::1"))]);

        Assert.True(MatchValidator.IsValid(match));
    }

    [Fact]
    public void DuplicateField_ThrowsDupField()
    {
        var match = new Match([Oxm.InPort(1), Oxm.InPort(2)]);

        var exception = Assert.Throws<OpenFlowProtocolException>(() => MatchValidator.Validate(match));

        Assert.Equal((ushort)BadMatchCode.DupField, exception.ErrorCode);
        Assert.Equal(12, exception.Offset);
    }

    [Fact]
    public void VlanPcpAboveSeven_ThrowsBadValue()
    {
        var match = new Match([Oxm.VlanVid(10), Oxm.VlanPcp(8)]);

        var exception = Assert.Throws<OpenFlowProtocolException>(() => MatchValidator.Validate(match));

        Assert.Equal((ushort)BadMatchCode.BadValue, exception.ErrorCode);
    }

    [Fact]
    public void EveryBasicField_FactoryMatchesTableSize()
    {
        foreach (OxmFieldId id in Enum.GetValues<OxmFieldId>())
        {
            OxmFieldInfo info = OxmFieldTable.Get(id);

            OxmField field = Oxm.Make(id, 0);

            Assert.Equal(info.Size, field.Value.Count);
            Assert.Equal(id, field.BasicField);
        }
    }
}
