namespace Sdmi.Node.Hosts;

/// <summary>Environment variables SDMI sets in every container; the images read them at start.</summary>
public static class SdmiEnvironment
{
    public const string System = "SDMI_SYSTEM";
    public const string Service = "SDMI_SERVICE";
    public const string Network = "SDMI_NETWORK";
    public const string ReplicaIndex = "SDMI_REPLICA_INDEX";
    public const string Address = "SDMI_ADDRESS";

    /// <summary>Prefix of one variable per dependency: SDMI_DEPENDENCY_DB lists the db replicas' addresses, comma-separated.</summary>
    public const string DependencyPrefix = "SDMI_DEPENDENCY_";

    public static string Dependency(string service) =>
        DependencyPrefix + service.ToUpperInvariant().Replace('-', '_');
}
