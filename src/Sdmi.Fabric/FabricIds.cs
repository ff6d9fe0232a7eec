using Sdmi.Model;

namespace Sdmi.Fabric;

/// <summary>
/// Small integer ids for networks and services, written into the OpenFlow metadata field by the
/// classifier table. Ids follow declaration order (1-based, 0 means "host" for services), so the same
/// system file always compiles to the same flows.
/// </summary>
public sealed class FabricIds
{
    /// <summary>Metadata bits 0-15 carry the source network id.</summary>
    public const ulong NetworkMask = 0xffff;

    /// <summary>Metadata bits 16-31 carry the source service id (0 for the host port).</summary>
    public const ulong ServiceMask = 0xffff_0000;

    private readonly Dictionary<string, ushort> networks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ushort> services = new(StringComparer.Ordinal);

    public FabricIds(SystemSpec system)
    {
        foreach (var network in system.AllNetworks)
        {
            networks.Add(network.Name, checked((ushort)(networks.Count + 1)));
        }

        foreach (var service in system.Services)
        {
            services.Add(service.Name, checked((ushort)(services.Count + 1)));
        }
    }

    public ushort Network(string name) => networks.TryGetValue(name, out var id)
        ? id
        : throw new KeyNotFoundException($"Network '{name}' is not declared in the system.");

    public ushort Service(string? name) => name is null ? (ushort)0 : services.TryGetValue(name, out var id)
        ? id
        : throw new KeyNotFoundException($"Service '{name}' is not declared in the system.");

    public static ulong Metadata(ushort network, ushort service) => ((ulong)service << 16) | network;
}
