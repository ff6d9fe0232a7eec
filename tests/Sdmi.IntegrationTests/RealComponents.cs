[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Sdmi.IntegrationTests;

/// <summary>Tests that share the Docker engine, Open vSwitch and the node run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class RealComponents
{
    public const string Name = "real components";
}
