namespace Sdmi.Model;

/// <summary>A machine that runs containers, with the name of its OVS bridge.</summary>
public sealed record HostSpec(string Name, string Bridge)
{
    /// <summary>Host list used when the system file gives none: one host "local" with bridge "sdmi0".</summary>
    public static IReadOnlyList<HostSpec> Defaults { get; } = [new("local", "sdmi0")];
}
