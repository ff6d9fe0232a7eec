namespace Sdmi.Node.Systems;

/// <summary>Journal events of a system actor. Plain data only: the journal stores them as JSON.</summary>
public static class SystemEvents
{
    /// <summary>A new declaration was accepted; <paramref name="Change"/> numbers it.</summary>
    public sealed record SystemDeclared(string SpecJson, long Change);

    public sealed record DeploymentFinished(long Change, bool Succeeded, string Summary);

    public sealed record SystemRemoved(long Change);
}
