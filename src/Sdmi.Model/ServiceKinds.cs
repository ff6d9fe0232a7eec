namespace Sdmi.Model;

/// <summary>
/// Values of <see cref="ServiceSpec.Kind"/>. Each selects a service class with lifecycle hooks in the node.
/// </summary>
public static class ServiceKinds
{
    /// <summary>Containers with no lifecycle hooks beyond start, health check and stop.</summary>
    public const string Generic = "generic";

    /// <summary>PostgreSQL nodes joined in a multi-master logical-replication mesh as they start and stop.</summary>
    public const string PostgresMesh = "postgres-mesh";

    public static IReadOnlyList<string> All { get; } = [Generic, PostgresMesh];
}
