namespace Sdmi.Node.Hosts;

/// <summary>Docker labels on every container SDMI creates; they let a restarted node find and adopt its own work.</summary>
public static class SdmiLabels
{
    public const string System = "sdmi.system";
    public const string Service = "sdmi.service";
    public const string Replica = "sdmi.replica";

    /// <summary>The change (system revision) that created the container.</summary>
    public const string Change = "sdmi.change";

    /// <summary>Hash of the container's desired configuration; a different hash means the container must be replaced.</summary>
    public const string ConfigHash = "sdmi.config-hash";

    public const string Address = "sdmi.address";

    /// <summary>The transaction that created the container; an aborted transaction removes exactly these.</summary>
    public const string Transaction = "sdmi.transaction";
}
