using System.Text.Json;

namespace Sdmi.Model;

/// <summary>A declared system: nested networks, the services placed on them and the hosts that run them.</summary>
public sealed record SystemSpec(
    string Name,
    IReadOnlyList<NetworkSpec> Networks,
    IReadOnlyList<ServiceSpec> Services,
    IReadOnlyList<HostSpec> Hosts)
{
    /// <summary>
    /// Fields kept from an import that have no meaning in the model, keyed by their JSON path in the source file
    /// (for example "system.config.network.failover_mode").
    /// </summary>
    public IReadOnlyDictionary<string, JsonElement> Annotations { get; init; } =
        new Dictionary<string, JsonElement>(StringComparer.Ordinal);

    /// <summary>All networks, depth-first with each parent before its children, in declaration order.</summary>
    public IEnumerable<NetworkSpec> AllNetworks
    {
        get
        {
            var stack = new Stack<NetworkSpec>(Networks.Reverse());
            while (stack.Count > 0)
            {
                var network = stack.Pop();
                yield return network;
                for (var i = network.Children.Count - 1; i >= 0; i--)
                {
                    stack.Push(network.Children[i]);
                }
            }
        }
    }

    public NetworkSpec? FindNetwork(string name) =>
        AllNetworks.FirstOrDefault(network => string.Equals(network.Name, name, StringComparison.Ordinal));

    /// <summary>
    /// Returns the network called <paramref name="name"/>, or throws <see cref="KeyNotFoundException"/>.
    /// </summary>
    public NetworkSpec GetNetwork(string name) =>
        FindNetwork(name) ?? throw new KeyNotFoundException(
            $"network '{name}' not found in system '{Name}'; defined networks: "
            + FormatNames(AllNetworks.Select(network => network.Name)));

    public ServiceSpec? FindService(string name) =>
        Services.FirstOrDefault(service => string.Equals(service.Name, name, StringComparison.Ordinal));

    /// <summary>
    /// Returns the service called <paramref name="name"/>, or throws <see cref="KeyNotFoundException"/>.
    /// </summary>
    public ServiceSpec GetService(string name) =>
        FindService(name) ?? throw new KeyNotFoundException(
            $"service '{name}' not found in system '{Name}'; defined services: "
            + FormatNames(Services.Select(service => service.Name)));

    /// <summary>
    /// Returns the networks enclosing <paramref name="networkName"/>, nearest first: its parent, then the parent's
    /// parent, up to a top-level network. Returns an empty list for a top-level network. Throws
    /// <see cref="KeyNotFoundException"/> for an unknown name.
    /// </summary>
    public IReadOnlyList<NetworkSpec> AncestorsOf(string networkName)
    {
        var path = new List<NetworkSpec>();
        foreach (var root in Networks)
        {
            if (TryFindPath(root, networkName, path))
            {
                path.RemoveAt(path.Count - 1);
                path.Reverse();
                return path;
            }
        }

        throw new KeyNotFoundException(
            $"network '{networkName}' not found in system '{Name}'; defined networks: "
            + FormatNames(AllNetworks.Select(network => network.Name)));
    }

    /// <summary>
    /// Returns the services in start order: every service after the services it depends on. Among services
    /// whose dependencies have all started, declaration order decides. Throws <see cref="InvalidOperationException"/>
    /// on a dependency cycle or an unknown dependency, which a validated spec does not contain.
    /// </summary>
    public IReadOnlyList<ServiceSpec> StartOrder()
    {
        var ordered = new List<ServiceSpec>(Services.Count);
        var started = new HashSet<string>(StringComparer.Ordinal);
        var remaining = Services.ToList();
        while (remaining.Count > 0)
        {
            var next = remaining.FirstOrDefault(service => service.DependsOn.All(started.Contains));
            if (next is null)
            {
                throw new InvalidOperationException(
                    "no start order exists because of a dependency cycle or unknown dependency among: "
                    + FormatNames(remaining.Select(service => service.Name)));
            }

            ordered.Add(next);
            started.Add(next.Name);
            remaining.Remove(next);
        }

        return ordered;
    }

    /// <summary>True when both specs have the same canonical JSON (<see cref="SystemSpecJson.Write"/>).</summary>
    public bool ContentEquals(SystemSpec? other) =>
        other is not null
        && string.Equals(SystemSpecJson.Write(this), SystemSpecJson.Write(other), StringComparison.Ordinal);

    private static bool TryFindPath(NetworkSpec network, string name, List<NetworkSpec> path)
    {
        path.Add(network);
        if (string.Equals(network.Name, name, StringComparison.Ordinal))
        {
            return true;
        }

        foreach (var child in network.Children)
        {
            if (TryFindPath(child, name, path))
            {
                return true;
            }
        }

        path.RemoveAt(path.Count - 1);
        return false;
    }

    private static string FormatNames(IEnumerable<string> names)
    {
        var list = names.Select(name => $"'{name}'").ToList();
        return list.Count == 0 ? "(none)" : string.Join(", ", list);
    }
}
