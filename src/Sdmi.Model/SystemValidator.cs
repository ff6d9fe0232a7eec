namespace Sdmi.Model;

/// <summary>
/// Checks a <see cref="SystemSpec"/> against the rules that the JSON shape alone cannot enforce: names, address
/// plans, capacities, references between services and networks, and dependency cycles.
/// </summary>
public static class SystemValidator
{
    /// <summary>Returns every problem found; an empty list means the spec is valid.</summary>
    public static IReadOnlyList<SystemFileError> Validate(SystemSpec spec)
    {
        var errors = new ErrorCollector();
        Validate(spec, errors);
        return errors.Errors;
    }

    /// <summary>Throws <see cref="SystemFileException"/> listing every problem when the spec is invalid.</summary>
    public static void EnsureValid(SystemSpec spec, string sourceName)
    {
        var errors = Validate(spec);
        if (errors.Count > 0)
        {
            throw new SystemFileException(sourceName, errors);
        }
    }

    internal static void Validate(SystemSpec spec, ErrorCollector errors)
    {
        if (!errors.IsInvalid("system") && !DnsLabel.IsValid(spec.Name))
        {
            errors.Add("system", DnsLabel.Explain("system name", spec.Name));
        }

        var networks = new NetworkValidator(spec, errors);
        networks.Validate();
        var services = new ServiceValidator(spec, errors, networks.Paths);
        services.Validate();
        ValidateHosts(spec, errors);
    }

    private static void ValidateHosts(SystemSpec spec, ErrorCollector errors)
    {
        if (spec.Hosts.Count == 0 && !errors.IsInvalid("hosts"))
        {
            errors.Add("hosts", "no hosts are listed; list at least one host, or leave out 'hosts' to use "
                + "the default host 'local' with bridge 'sdmi0'");
        }

        if (spec.Hosts.Count > 1)
        {
            errors.Add("hosts[1]", $"{spec.Hosts.Count} hosts are listed, but a system runs on one host so far; "
                + "list only the host whose bridge the system uses");
        }

        var firstByName = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < spec.Hosts.Count; i++)
        {
            var host = spec.Hosts[i];
            var path = ModelPaths.Host(i);
            var namePath = ModelPaths.Field(path, "name");
            if (!errors.IsInvalid(namePath))
            {
                if (!DnsLabel.IsValid(host.Name))
                {
                    errors.Add(namePath, DnsLabel.Explain("host name", host.Name));
                }
                else if (firstByName.TryGetValue(host.Name, out var first))
                {
                    errors.Add(namePath, $"host name '{host.Name}' is already used by {ModelPaths.Host(first)}; "
                        + "host names must be unique");
                }
                else
                {
                    firstByName.Add(host.Name, i);
                }
            }

            var bridgePath = ModelPaths.Field(path, "bridge");
            if (!errors.IsInvalid(bridgePath) && BridgeNameProblem(host.Bridge) is { } problem)
            {
                errors.Add(bridgePath, $"bridge name '{host.Bridge}' is invalid: {problem}");
            }
        }
    }

    /// <summary>
    /// Returns why <paramref name="bridge"/> cannot name an OVS bridge, or null. The bridge becomes a Linux network
    /// interface, so it follows the kernel's rules (dev_valid_name): at most 15 bytes, because IFNAMSIZ is 16 with
    /// the terminating NUL, not "." or "..", and no '/', ':' or whitespace.
    /// </summary>
    internal static string? BridgeNameProblem(string bridge)
    {
        const int maxInterfaceNameLength = 15;
        if (bridge.Length == 0)
        {
            return "it is empty; use a name such as sdmi0";
        }

        if (System.Text.Encoding.UTF8.GetByteCount(bridge) > maxInterfaceNameLength)
        {
            return $"Linux interface names are at most {maxInterfaceNameLength} bytes; shorten it";
        }

        if (bridge is "." or "..")
        {
            return "'.' and '..' are not allowed as interface names";
        }

        if (bridge.Any(c => c == '/' || c == ':' || char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return "it contains '/', ':', whitespace or a control character; use letters, digits, '-' and '_'";
        }

        return null;
    }
}
