using Sdmi.Model;

namespace Sdmi.Model.Tests;

public sealed class ExampleFileTests
{
    private static string ExamplePath => Path.Combine(RepositoryRoot.Path, "examples", "milestone1", "system.json");

    [Fact]
    public void Loader_Milestone1Example_Loads()
    {
        var spec = SystemLoader.LoadFile(ExamplePath);

        Assert.Equal("milestone1", spec.Name);
        Assert.Equal(
            ["datacenter", "edge", "domain01", "domain02", "domain03"],
            spec.AllNetworks.Select(network => network.Name));
        Assert.Equal(3, spec.Services.Count);
    }

    [Fact]
    public void StartOrder_Milestone1Example_IsDbAppLb()
    {
        var spec = SystemLoader.LoadFile(ExamplePath);

        var order = spec.StartOrder().Select(service => service.Name);

        Assert.Equal(["db", "app", "lb"], order);
    }
}
