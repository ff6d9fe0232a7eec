namespace Sdmi.IntegrationTests;

/// <summary>
/// Two systems on one host: a second system may not take the first one's bridge or addresses, a
/// system moved to another bridge leaves nothing on the old one, and unknown names are reported.
/// </summary>
[Collection(RealComponents.Name)]
public sealed class HostConflictTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("sdmi-conflict-").FullName;

    [Fact]
    public void Up_SecondSystemOnTakenBridge_RejectedAndNothingCreated()
    {
        Deploy("conflictx", "sdmicx0", "172.16.47.0/24");

        var result = ProcessRunner.Sdmi("up", Write("conflicty", "sdmicx0", "172.16.48.0/24"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Bridge sdmicx0 already carries system conflictx", result.All);
        Assert.Empty(HostProbe.ContainerIds("conflicty"));
        Assert.Empty(HostProbe.OvsPorts("conflicty"));
        Remove("conflictx");
    }

    [Fact]
    public void Up_SecondSystemWithTakenAddresses_RejectedAndNothingCreated()
    {
        Deploy("conflictx", "sdmicx0", "172.16.47.0/24");

        var result = ProcessRunner.Sdmi("up", Write("conflictz", "sdmicz0", "172.16.47.0/24"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("172.16.47.1 is already used by system conflictx", result.All);
        Assert.Empty(HostProbe.ContainerIds("conflictz"));
        Assert.False(BridgeExists("sdmicz0"));
        Remove("conflictx");
    }

    [Fact]
    public void Up_SystemMovedToAnotherBridge_OldBridgeRemovedAndDownCleansUp()
    {
        Deploy("conflictm", "sdmicm0", "172.16.49.0/24");

        Deploy("conflictm", "sdmicn0", "172.16.50.0/24");

        Assert.False(BridgeExists("sdmicm0"));
        Assert.Single(HostProbe.ContainerIds("conflictm"));
        Remove("conflictm");
        Assert.Empty(HostProbe.ContainerIds("conflictm"));
        Assert.Empty(HostProbe.OvsPorts("conflictm"));
        Assert.False(BridgeExists("sdmicn0"));
    }

    [Fact]
    public void Restart_AfterRejectedDeclaration_DoesNotDeployIt()
    {
        Deploy("conflictx", "sdmicx0", "172.16.47.0/24");
        ProcessRunner.Sdmi("up", Write("conflicty", "sdmicx0", "172.16.48.0/24"));
        Remove("conflictx");
        var stop = ProcessRunner.Sdmi("node", "stop");
        Assert.True(stop.ExitCode == 0, stop.ToString());

        Deploy("conflictm", "sdmicm0", "172.16.49.0/24");

        Assert.Empty(HostProbe.ContainerIds("conflicty"));
        Assert.False(BridgeExists("sdmicx0"));
        Remove("conflictm");
    }

    [Fact]
    public void Down_UnknownSystem_FailsNamingIt()
    {
        var result = ProcessRunner.Sdmi("down", "conflictnever");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("System 'conflictnever' is not deployed", result.Error);
    }

    public void Dispose()
    {
        foreach (var system in new[] { "conflictx", "conflicty", "conflictz", "conflictm" })
        {
            if (HostProbe.ContainerIds(system).Count > 0)
            {
                ProcessRunner.Sdmi("down", system);
            }
        }

        Directory.Delete(directory, recursive: true);
    }

    private void Deploy(string system, string bridge, string subnet)
    {
        var result = ProcessRunner.Sdmi("up", Write(system, bridge, subnet));
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    private static void Remove(string system)
    {
        var result = ProcessRunner.Sdmi("down", system);
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    private static bool BridgeExists(string bridge) =>
        ProcessRunner.Run("ovs-vsctl", ["br-exists", bridge], TimeSpan.FromSeconds(30)).ExitCode == 0;

    /// <summary>A one-service system; the app image needs no dependency to pass its start.</summary>
    private string Write(string system, string bridge, string subnet)
    {
        var file = Path.Combine(directory, $"{system}-{bridge}.json");
        File.WriteAllText(file, $$"""
            {
              "system": "{{system}}",
              "hosts": [ { "name": "local", "bridge": "{{bridge}}" } ],
              "networks": [ { "name": "net", "subnet": "{{subnet}}" } ],
              "services": [ { "name": "web", "image": "sdmi/app:1", "network": "net", "replicas": 1, "ports": [ { "port": 8080 } ] } ]
            }
            """);
        return file;
    }
}
