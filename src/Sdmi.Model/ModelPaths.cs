namespace Sdmi.Model;

/// <summary>Builds the error paths that the loader and the validator share, such as "networks.edge.subnet".</summary>
internal static class ModelPaths
{
    /// <summary>
    /// Returns the path of a network: by name when it has one ("networks.datacenter.children.edge"), else by
    /// position ("networks[0]"). <paramref name="parentPath"/> is null for a top-level network.
    /// </summary>
    public static string Network(string? parentPath, string? name, int index)
    {
        var container = parentPath is null ? "networks" : parentPath + ".children";
        return string.IsNullOrEmpty(name) ? $"{container}[{index}]" : $"{container}.{name}";
    }

    public static string Service(int index) => $"services[{index}]";

    public static string Host(int index) => $"hosts[{index}]";

    public static string Field(string objectPath, string field) =>
        objectPath.Length == 0 ? field : $"{objectPath}.{field}";

    public static string Item(string arrayPath, int index) => $"{arrayPath}[{index}]";
}
