using System.Net;
using Akka.Actor;
using Akka.Configuration;
using Akka.Serialization;
using Akka.TestKit.Xunit2;
using Sdmi.Model;
using Sdmi.Node.Hosts;
using Sdmi.Node.Networks;
using Sdmi.Node.Services;
using Sdmi.Node.Transactions;

namespace Sdmi.Node.Tests;

/// <summary>
/// Failure replies that cross nodes: Akka.Remote serializes a Status.Failure's cause, and an
/// exception it cannot rebuild arrives as null, which ends the requester's Ask as cancelled.
/// </summary>
public sealed class RemoteFailureTests() : TestKit(ConfigurationFactory.ParseString("""
    akka.actor.provider = remote
    akka.remote.dot-netty.tcp.hostname = 127.0.0.1
    akka.remote.dot-netty.tcp.port = 0
    """))
{
    public static TheoryData<Exception> Failures() => new()
    {
        new JournalUnavailableException("The journal did not store TransactionAdmitted."),
        new HostConflictException("Address 172.16.53.1 belongs to system other."),
        new UnhealthyReplicaException("shop-api-01", 3, "connection refused"),
        new CommandFailedException("ovs-vsctl", ["add-port", "sdmi9", "x"], 1, "no bridge"),
        new AddressesExhaustedException(
            "apps", new AddressRange(IPAddress.Parse("10.99.0.1"), IPAddress.Parse("10.99.0.2")), new LeaseRequest("api", 3, IPAddress.Parse("10.99.0.3"))),
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void StatusFailure_AcrossNodes_KeepsTypeAndMessage(Exception cause)
    {
        var failure = new Status.Failure(cause);
        var serializer = Sys.Serialization.FindSerializerFor(failure);

        var bytes = serializer.ToBinary(failure);
        var decoded = (Status.Failure)Sys.Serialization.Deserialize(bytes, serializer.Identifier, Serialization.ManifestFor(serializer, failure));

        Assert.NotNull(decoded.Cause);
        Assert.IsType(cause.GetType(), decoded.Cause);
        Assert.Equal(cause.Message, decoded.Cause.Message);
    }
}
