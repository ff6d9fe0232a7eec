using Sdmi.Fabric;
using Sdmi.Model;

namespace Sdmi.Fabric.Tests;

public sealed class AddressingTests
{
    private const string SharedNetwork = """
        {
          "system": "shared",
          "hosts": [ { "name": "local", "bridge": "sdmi9" } ],
          "networks": [ { "name": "apps", "subnet": "10.99.0.0/24", "gateway": "10.99.0.254" } ],
          "services": [
            { "name": "api", "image": "sdmi/app:1", "network": "apps", "replicas": 2, "scale": { "min": 1, "max": 4 } },
            { "name": "worker", "image": "sdmi/app:1", "network": "apps", "replicas": 3 }
          ]
        }
        """;

    [Fact]
    public void PreferredAddress_TwoServicesOnOneNetwork_TakeSeparateBlocks()
    {
        var system = SystemLoader.Parse(SharedNetwork, "shared.json");
        var api = system.Services[0];
        var worker = system.Services[1];

        var apiAddresses = Enumerable.Range(1, 4).Select(k => Addressing.PreferredAddress(system, api, k).ToString()).ToList();
        var workerAddresses = Enumerable.Range(1, 3).Select(k => Addressing.PreferredAddress(system, worker, k).ToString()).ToList();

        Assert.Equal(["10.99.0.1", "10.99.0.2", "10.99.0.3", "10.99.0.4"], apiAddresses);
        Assert.Equal(["10.99.0.5", "10.99.0.6", "10.99.0.7"], workerAddresses);
    }

    [Fact]
    public void PreferredAddress_OneServiceOnItsNetwork_IsTheReplicaAddress()
    {
        var system = SystemLoader.Parse(SharedNetwork, "shared.json");
        var api = system.Services[0];

        Assert.Equal(Addressing.ReplicaAddress(system.GetNetwork("apps"), 2), Addressing.PreferredAddress(system, api, 2));
    }
}
