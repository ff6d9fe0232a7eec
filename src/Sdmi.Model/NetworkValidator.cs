using System.Net;

namespace Sdmi.Model;

/// <summary>Checks network names and address plans: subnets, gateways, host addresses and ranges.</summary>
internal sealed class NetworkValidator
{
    /// <summary>
    /// Longest prefix a network may have. A /30 leaves two usable addresses: the gateway and one container.
    /// </summary>
    private const int MaxPrefixLength = 30;

    private readonly SystemSpec _spec;
    private readonly ErrorCollector _errors;
    private readonly Dictionary<string, string> _pathByName = new(StringComparer.Ordinal);

    public NetworkValidator(SystemSpec spec, ErrorCollector errors)
    {
        _spec = spec;
        _errors = errors;
    }

    /// <summary>Path of each network by name (the first one when a name repeats).</summary>
    public IReadOnlyDictionary<string, string> Paths => _pathByName;

    public void Validate()
    {
        ValidateLevel(_spec.Networks, parent: null, parentPath: null);
    }

    private void ValidateLevel(IReadOnlyList<NetworkSpec> networks, NetworkSpec? parent, string? parentPath)
    {
        var paths = new List<string>(networks.Count);
        for (var i = 0; i < networks.Count; i++)
        {
            var path = ModelPaths.Network(parentPath, networks[i].Name, i);
            paths.Add(path);
            ValidateName(networks[i], path);
            ValidateAddresses(networks[i], path);
            if (parent is not null && parentPath is not null)
            {
                ValidateInsideParent(networks[i], path, parent, parentPath);
            }
        }

        ValidateSiblingOverlaps(networks, paths);
        for (var i = 0; i < networks.Count; i++)
        {
            ValidateLevel(networks[i].Children, networks[i], paths[i]);
        }
    }

    private void ValidateName(NetworkSpec network, string path)
    {
        var namePath = ModelPaths.Field(path, "name");
        if (_errors.IsInvalid(namePath))
        {
            return;
        }

        if (!DnsLabel.IsValid(network.Name))
        {
            _errors.Add(namePath, DnsLabel.Explain("network name", network.Name));
        }
        else if (_pathByName.TryGetValue(network.Name, out var first))
        {
            _errors.Add(namePath, $"network name '{network.Name}' is already used by {first}; "
                + "network names must be unique across all levels");
        }
        else
        {
            _pathByName.Add(network.Name, path);
        }
    }

    private bool IsUsable(string path, string field) =>
        !_errors.IsInvalid(ModelPaths.Field(path, "subnet")) && !_errors.IsInvalid(ModelPaths.Field(path, field));

    private void ValidateAddresses(NetworkSpec network, string path)
    {
        var subnetPath = ModelPaths.Field(path, "subnet");
        if (_errors.IsInvalid(subnetPath))
        {
            return;
        }

        var subnet = network.Subnet;
        if (subnet.PrefixLength > MaxPrefixLength)
        {
            _errors.Add(subnetPath, $"subnet {subnet} is too small; a network needs a gateway and at least one "
                + $"container address, so use a prefix length of {MaxPrefixLength} or less");
            return;
        }

        var gatewayValid = IsUsable(path, "gateway")
            && CheckUsable(network.Gateway, subnet, ModelPaths.Field(path, "gateway"), "gateway");
        var hostValid = network.HostAddress is not null
            && IsUsable(path, "hostAddress")
            && CheckUsable(network.HostAddress, subnet, ModelPaths.Field(path, "hostAddress"), "hostAddress");
        if (gatewayValid && hostValid && network.HostAddress!.Equals(network.Gateway))
        {
            _errors.Add(ModelPaths.Field(path, "hostAddress"), $"hostAddress {network.HostAddress} equals the gateway; "
                + "the controller replies to ARP requests for the gateway, so give the host a different address");
        }

        if (IsUsable(path, "range"))
        {
            ValidateRange(network, path, gatewayValid, hostValid);
        }
    }

    private bool CheckUsable(IPAddress address, Ipv4Subnet subnet, string path, string field)
    {
        if (!subnet.Contains(address))
        {
            _errors.Add(path, $"{field} {address} is outside subnet {subnet}; choose an address inside it");
            return false;
        }

        if (address.Equals(subnet.Network) || address.Equals(subnet.Broadcast))
        {
            _errors.Add(path, $"{field} {address} is the network or broadcast address of {subnet}; "
                + $"choose an address from {subnet.FirstUsable} to {subnet.LastUsable}");
            return false;
        }

        return true;
    }

    private void ValidateRange(NetworkSpec network, string path, bool gatewayValid, bool hostValid)
    {
        var range = network.Range;
        var rangePath = ModelPaths.Field(path, "range");
        var startValid = CheckUsable(range.Start, network.Subnet, ModelPaths.Field(rangePath, "start"), "range start");
        var endValid = CheckUsable(range.End, network.Subnet, ModelPaths.Field(rangePath, "end"), "range end");
        if (!startValid || !endValid)
        {
            _errors.MarkInvalid(rangePath);
            return;
        }

        if (range.Count == 0)
        {
            _errors.Add(rangePath, $"range {range} is empty because its end is below its start; swap them");
            return;
        }

        if (gatewayValid && range.Contains(network.Gateway))
        {
            _errors.Add(rangePath, $"range {range} contains the gateway {network.Gateway}; "
                + "end the range before the gateway or move the gateway outside it");
        }

        if (hostValid && range.Contains(network.HostAddress!))
        {
            _errors.Add(rangePath, $"range {range} contains the hostAddress {network.HostAddress}; "
                + "move the host address outside the range");
        }
    }

    private void ValidateInsideParent(NetworkSpec child, string childPath, NetworkSpec parent, string parentPath)
    {
        var childSubnetPath = ModelPaths.Field(childPath, "subnet");
        if (_errors.IsInvalid(childSubnetPath) || _errors.IsInvalid(ModelPaths.Field(parentPath, "subnet")))
        {
            return;
        }

        if (!parent.Subnet.Contains(child.Subnet) || child.Subnet.PrefixLength == parent.Subnet.PrefixLength)
        {
            _errors.Add(childSubnetPath, $"subnet {child.Subnet} of network '{child.Name}' is not inside its parent "
                + $"network '{parent.Name}' ({parent.Subnet}); choose a smaller block within {parent.Subnet}");
            return;
        }

        if (IsUsable(parentPath, "gateway") && child.Subnet.Contains(parent.Gateway))
        {
            _errors.Add(ModelPaths.Field(parentPath, "gateway"), $"gateway {parent.Gateway} of network '{parent.Name}' "
                + $"lies inside child network '{child.Name}' ({child.Subnet}); move it outside the child's subnet");
        }

        if (parent.HostAddress is not null && IsUsable(parentPath, "hostAddress")
            && child.Subnet.Contains(parent.HostAddress))
        {
            _errors.Add(ModelPaths.Field(parentPath, "hostAddress"), $"hostAddress {parent.HostAddress} of network "
                + $"'{parent.Name}' lies inside child network '{child.Name}' ({child.Subnet}); "
                + "move it outside the child's subnet");
        }
    }

    private void ValidateSiblingOverlaps(IReadOnlyList<NetworkSpec> networks, IReadOnlyList<string> paths)
    {
        for (var i = 0; i < networks.Count; i++)
        {
            if (_errors.IsInvalid(ModelPaths.Field(paths[i], "subnet")))
            {
                continue;
            }

            for (var j = i + 1; j < networks.Count; j++)
            {
                var laterSubnetPath = ModelPaths.Field(paths[j], "subnet");
                if (!_errors.IsInvalid(laterSubnetPath) && networks[i].Subnet.Overlaps(networks[j].Subnet))
                {
                    _errors.Add(laterSubnetPath, $"subnet {networks[j].Subnet} of network '{networks[j].Name}' "
                        + $"overlaps sibling network '{networks[i].Name}' ({networks[i].Subnet}); "
                        + "give each network its own block");
                }
            }
        }
    }
}
