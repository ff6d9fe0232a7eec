using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Sdmi.Model;

/// <summary>
/// One import of sysconfig.json. Fields that are mapped are recorded as consumed; afterwards every field not
/// consumed becomes an annotation with an "ignored" note.
/// </summary>
internal sealed class SysconfigMapping
{
    /// <summary>Port of the service assumed for each network's pool: PostgreSQL's default port.</summary>
    private const int AssumedDatabasePort = 5432;

    /// <summary>Image assumed for each network's pool, the database image of the milestone 1 example.</summary>
    private const string AssumedDatabaseImage = "sdmi/db:1";

    /// <summary>Field names whose values are treated as secrets, compared without case.</summary>
    private static readonly string[] SecretFieldNames = ["password", "passwd", "secret", "token", "key", "private_key"];

    private readonly string _systemName;
    private readonly List<ImportNote> _notes = [];
    private readonly Dictionary<string, JsonElement> _annotations = new(StringComparer.Ordinal);
    private readonly HashSet<string> _consumed = new(StringComparer.Ordinal);

    public SysconfigMapping(string systemName)
    {
        _systemName = systemName;
    }

    public ErrorCollector Errors { get; } = new();

    public ImportResult Map(JsonElement root)
    {
        var networks = new List<NetworkSpec>();
        var services = new List<ServiceSpec>();
        var system = Object(root, "system", string.Empty, required: true);
        if (system is { } systemElement)
        {
            var items = Array(systemElement, "networks", "system", required: true) ?? [];
            for (var i = 0; i < items.Count; i++)
            {
                MapNetwork(items[i], $"system.networks[{i}]", networks, services);
            }
        }

        _notes.Insert(0, new ImportNote("system", ImportNoteKind.Mapped,
            $"mapped to system name '{_systemName}', because the prototype's file has no system name"));
        AnnotateRest(root, string.Empty);
        var spec = new SystemSpec(_systemName, networks, services, HostSpec.Defaults) { Annotations = _annotations };
        return new ImportResult(spec, _notes);
    }

    private void MapNetwork(JsonElement element, string path, List<NetworkSpec> networks, List<ServiceSpec> services)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            Errors.Add(path, $"expected a network object but found {JsonObjectReader.Describe(element)}");
            return;
        }

        var name = String(element, "id", path, required: true);
        var net = Object(element, "config", path, required: true) is { } config
            ? Object(config, "net", $"{path}.config", required: true)
            : null;
        var ipv4Path = $"{path}.config.net.ipv4";
        var ipv4 = net is { } netElement ? Object(netElement, "ipv4", $"{path}.config.net", required: true) : null;
        if (name is null || ipv4 is null)
        {
            return;
        }

        Note($"{path}.id", $"mapped to network name '{name}'");
        var subnet = MapSubnet(ipv4.Value, ipv4Path);
        if (subnet is null)
        {
            return;
        }

        var gateway = Address(ipv4.Value, "gateway", ipv4Path, required: false);
        var effectiveGateway = gateway ?? NetworkSpec.DefaultGateway(subnet.Value);
        if (gateway is not null)
        {
            Note($"{ipv4Path}.gateway", $"mapped to gateway {gateway}");
        }

        var hostAddress = MapHostAddress(ipv4.Value, ipv4Path, effectiveGateway);
        var range = MapParts(net!.Value, $"{path}.config.net", subnet.Value)
            ?? NetworkSpec.DefaultRange(subnet.Value, effectiveGateway, hostAddress);
        networks.Add(new NetworkSpec(name, subnet.Value, effectiveGateway, range, hostAddress, []));

        var configElement = element.GetProperty("config");
        if (configElement.TryGetProperty("scale", out var scale))
        {
            MapScale(scale, $"{path}.config.scale", name, services);
        }
    }

    private Ipv4Subnet? MapSubnet(JsonElement ipv4, string path)
    {
        var network = Address(ipv4, "subnet", path, required: true);
        var netmask = Address(ipv4, "netmask", path, required: false);
        var netbits = Integer(ipv4, "netbits", path, required: false);
        if (network is null || Errors.IsInvalid($"{path}.netmask") || Errors.IsInvalid($"{path}.netbits"))
        {
            return null;
        }

        int? maskBits = null;
        if (netmask is not null)
        {
            maskBits = PrefixLengthOf(netmask);
            if (maskBits is null)
            {
                Errors.Add($"{path}.netmask", $"netmask {netmask} is not contiguous ones followed by zeros; "
                    + "use a mask such as 255.255.255.0");
                return null;
            }
        }

        if (netbits is < 0 or > 32)
        {
            Errors.Add($"{path}.netbits", $"netbits {netbits} is out of range; use 0 to 32");
            return null;
        }

        if (maskBits is not null && netbits is not null && maskBits != netbits)
        {
            Errors.Add($"{path}.netbits", $"netbits {netbits} disagrees with netmask {netmask} (/{maskBits}); "
                + "make both describe the same prefix length");
            return null;
        }

        var prefix = netbits ?? maskBits;
        if (prefix is null)
        {
            Errors.Add(path, "neither netmask nor netbits is given; add netbits, such as 24");
            return null;
        }

        var text = $"{network}/{prefix.Value.ToString(CultureInfo.InvariantCulture)}";
        if (!Ipv4Subnet.TryParse(text, out var subnet, out var error))
        {
            Errors.Add($"{path}.subnet", error);
            return null;
        }

        Note($"{path}.subnet", $"mapped to subnet {subnet}");
        if (netmask is not null)
        {
            Note($"{path}.netmask", $"mapped to the prefix length of subnet {subnet}");
        }

        if (netbits is not null)
        {
            Note($"{path}.netbits", $"mapped to the prefix length of subnet {subnet}");
        }

        return subnet;
    }

    private IPAddress? MapHostAddress(JsonElement ipv4, string path, IPAddress gateway)
    {
        var hostAddress = Address(ipv4, "hostaddress", path, required: false);
        if (hostAddress is null)
        {
            return null;
        }

        if (hostAddress.Equals(gateway))
        {
            // In the prototype the host is the gateway. SDMI's controller replies to ARP requests for the
            // gateway itself, so the host cannot also have that address.
            Annotate($"{path}.hostaddress", ipv4.GetProperty("hostaddress"), $"ignored (equals the gateway "
                + $"{gateway}, for which SDMI's controller replies to ARP requests; to reach the network from "
                + "the host, set hostAddress to a free address outside the range)");
            return null;
        }

        Note($"{path}.hostaddress", $"mapped to hostAddress {hostAddress}");
        return hostAddress;
    }

    /// <summary>
    /// Maps the address pool parts to one range. Parts give offsets within the subnet. Contiguous parts merge,
    /// and a gap between parts is an error because the model has one range per network.
    /// </summary>
    private AddressRange? MapParts(JsonElement net, string path, Ipv4Subnet subnet)
    {
        var parts = Array(net, "parts", path, required: false);
        if (parts is null || parts.Count == 0)
        {
            return null;
        }

        var blocks = new List<(int Start, int End, string Path)>();
        for (var i = 0; i < parts.Count; i++)
        {
            var partPath = $"{path}.parts[{i}]";
            if (parts[i].ValueKind != JsonValueKind.Object)
            {
                Errors.Add(partPath, $"expected an object but found {JsonObjectReader.Describe(parts[i])}");
                continue;
            }

            var ipv4 = Object(parts[i], "ipv4", partPath, required: true);
            var start = ipv4 is null ? null : Offset(ipv4.Value, "start", $"{partPath}.ipv4", subnet);
            var end = ipv4 is null ? null : Offset(ipv4.Value, "end", $"{partPath}.ipv4", subnet);
            if (start is null || end is null)
            {
                continue;
            }

            if (end < start)
            {
                Errors.Add($"{partPath}.ipv4.end", $"end offset {end} is below start offset {start}; swap them");
                continue;
            }

            blocks.Add((start.Value, end.Value, partPath));
        }

        if (blocks.Count != parts.Count)
        {
            return null;
        }

        blocks.Sort((left, right) => left.Start.CompareTo(right.Start));
        for (var i = 1; i < blocks.Count; i++)
        {
            if (blocks[i].Start != blocks[i - 1].End + 1)
            {
                Errors.Add(blocks[i].Path, $"part at offsets {blocks[i].Start}..{blocks[i].End} does not continue "
                    + $"the part at {blocks[i - 1].Start}..{blocks[i - 1].End}; the model has one contiguous range "
                    + "per network, so make the parts adjacent or split the network");
                return null;
            }
        }

        var range = new AddressRange(subnet.AddressAt(blocks[0].Start), subnet.AddressAt(blocks[^1].End));
        foreach (var block in blocks)
        {
            Note($"{block.Path}.ipv4.start", $"mapped to range {range} (offset {block.Start} in {subnet} is "
                + $"{subnet.AddressAt(block.Start)})");
            Note($"{block.Path}.ipv4.end", $"mapped to range {range} (offset {block.End} in {subnet} is "
                + $"{subnet.AddressAt(block.End)})");
        }

        return range;
    }

    private int? Offset(JsonElement ipv4, string field, string path, Ipv4Subnet subnet)
    {
        var offset = Integer(ipv4, field, path, required: true);
        if (offset is not null && (offset < 0 || offset >= subnet.Size))
        {
            Errors.Add($"{path}.{field}", $"offset {offset} is outside {subnet}; use 0 to {subnet.Size - 1}");
            return null;
        }

        return offset;
    }

    private void MapScale(JsonElement scale, string path, string network, List<ServiceSpec> services)
    {
        if (scale.ValueKind != JsonValueKind.Object)
        {
            Errors.Add(path, $"expected an object but found {JsonObjectReader.Describe(scale)}");
            return;
        }

        var min = Integer(scale, "min-nodes", path, required: true);
        var max = Integer(scale, "max-nodes", path, required: true);
        if (min is null || max is null)
        {
            return;
        }

        var health = new HealthCheck(
            ["pg_isready", "-h", "127.0.0.1"],
            HealthCheck.DefaultInterval,
            HealthCheck.DefaultTimeout,
            HealthCheck.DefaultRetries,
            HealthCheck.DefaultStartPeriod);
        var service = new ServiceSpec(
            Name: network,
            Kind: ServiceKinds.PostgresMesh,
            Image: AssumedDatabaseImage,
            Network: network,
            Replicas: min.Value,
            Ports: [new ServicePort(AssumedDatabasePort, TransportProtocol.Tcp)],
            Health: health,
            DependsOn: [],
            ExposeTo: [],
            Environment: new Dictionary<string, string>(StringComparer.Ordinal),
            Scale: new ScaleBounds(min.Value, max.Value),
            Command: null);
        services.Add(service);

        var assumption = $"service '{network}' of kind '{ServiceKinds.PostgresMesh}' on network '{network}'. "
            + "Assumption: the prototype's pools are database pools, so the service also gets image "
            + $"'{AssumedDatabaseImage}', port {AssumedDatabasePort}/tcp and a pg_isready health check; review them";
        Note($"{path}.min-nodes", $"mapped to scale.min and replicas ({min}) of {assumption}");
        Note($"{path}.max-nodes", $"mapped to scale.max ({max}) of service '{network}'");
    }

    /// <summary>Annotates every field under <paramref name="element"/> that no mapping consumed.</summary>
    private void AnnotateRest(JsonElement element, string path)
    {
        if (_consumed.Contains(path))
        {
            return;
        }

        switch (element.ValueKind)
        {
            case JsonValueKind.Object when element.EnumerateObject().Any():
                foreach (var property in element.EnumerateObject())
                {
                    var childPath = path.Length == 0 ? property.Name : $"{path}.{property.Name}";
                    if (IsSecret(property.Name))
                    {
                        _notes.Add(new ImportNote(childPath, ImportNoteKind.Ignored, "ignored (secret not imported)"));
                    }
                    else
                    {
                        AnnotateRest(property.Value, childPath);
                    }
                }

                break;
            case JsonValueKind.Array when element.EnumerateArray().Any(IsContainer):
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    AnnotateRest(item, $"{path}[{index}]");
                    index++;
                }

                break;
            default:
                Annotate(path, element, $"ignored ({ReasonFor(path)}); kept as an annotation");
                break;
        }
    }

    private static bool IsContainer(JsonElement element) =>
        element.ValueKind is JsonValueKind.Object or JsonValueKind.Array;

    private static bool IsSecret(string fieldName) =>
        SecretFieldNames.Contains(fieldName, StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Returns why a known prototype field has no model meaning, matching paths with array indexes removed.
    /// </summary>
    private static string ReasonFor(string path)
    {
        var pattern = System.Text.RegularExpressions.Regex.Replace(path, @"\[\d+\]", "[]");
        return pattern switch
        {
            "system.config.network.failover_mode" => "the model has no failover setting",
            "system.config.network.run_on_host" =>
                "containers run on the hosts listed in 'hosts', and the import uses the default host 'local' "
                + "with bridge 'sdmi0'",
            "system.config.network.managers" =>
                "controller addresses belong to the SDMI node configuration, not to the system file",
            _ when pattern.StartsWith("system.config.roles.", StringComparison.Ordinal) =>
                "the model has no roles or credentials (SDMI has no access control yet)",
            _ when pattern.StartsWith("system.networks[].config.permissions", StringComparison.Ordinal) =>
                "access between networks comes from dependsOn and exposeTo, not from per-network permissions",
            "system.networks[].config.net.parts[].id" => "address ranges have no names in the model",
            _ when pattern.StartsWith("system.networks[].config.scale.metrics", StringComparison.Ordinal) =>
                "scaling metrics are not modeled; only the scale bounds are mapped",
            _ when pattern.StartsWith("system.runtime", StringComparison.Ordinal) =>
                "runtime state of the prototype; SDMI keeps runtime state in the cluster",
            _ => "field not recognized by the importer",
        };
    }

    private void Note(string path, string message)
    {
        _consumed.Add(path);
        _notes.Add(new ImportNote(path, ImportNoteKind.Mapped, message));
    }

    private void Annotate(string path, JsonElement value, string message)
    {
        _consumed.Add(path);
        _annotations[path] = value.Clone();
        _notes.Add(new ImportNote(path, ImportNoteKind.Ignored, message));
    }

    private JsonElement? Object(JsonElement owner, string field, string ownerPath, bool required)
    {
        var value = Field(owner, field, ownerPath, required);
        if (value is null || value.Value.ValueKind == JsonValueKind.Object)
        {
            return value;
        }

        Errors.Add(Join(ownerPath, field), $"expected an object but found {JsonObjectReader.Describe(value.Value)}");
        return null;
    }

    private IReadOnlyList<JsonElement>? Array(JsonElement owner, string field, string ownerPath, bool required)
    {
        var value = Field(owner, field, ownerPath, required);
        if (value is null)
        {
            return null;
        }

        if (value.Value.ValueKind != JsonValueKind.Array)
        {
            Errors.Add(Join(ownerPath, field), $"expected an array but found {JsonObjectReader.Describe(value.Value)}");
            return null;
        }

        return value.Value.EnumerateArray().ToList();
    }

    private string? String(JsonElement owner, string field, string ownerPath, bool required)
    {
        var value = Field(owner, field, ownerPath, required);
        return value is null ? null : JsonObjectReader.ReadString(value.Value, Join(ownerPath, field), Errors);
    }

    private int? Integer(JsonElement owner, string field, string ownerPath, bool required)
    {
        var value = Field(owner, field, ownerPath, required);
        if (value is null)
        {
            return null;
        }

        if (value.Value.ValueKind != JsonValueKind.Number || !value.Value.TryGetInt32(out var number))
        {
            var found = JsonObjectReader.Describe(value.Value);
            Errors.Add(Join(ownerPath, field), $"expected a whole number but found {found}");
            return null;
        }

        return number;
    }

    private IPAddress? Address(JsonElement owner, string field, string ownerPath, bool required)
    {
        var text = String(owner, field, ownerPath, required);
        if (text is null)
        {
            return null;
        }

        if (!Ipv4.TryParse(text, out var address))
        {
            Errors.Add(Join(ownerPath, field), $"'{text}' is not an IPv4 address in dotted-quad form");
            return null;
        }

        return address;
    }

    private JsonElement? Field(JsonElement owner, string field, string ownerPath, bool required)
    {
        if (owner.TryGetProperty(field, out var value))
        {
            return value;
        }

        if (required)
        {
            Errors.Add(Join(ownerPath, field), $"required field '{field}' is missing");
        }

        return null;
    }

    private static string Join(string path, string field) => path.Length == 0 ? field : $"{path}.{field}";

    /// <summary>Returns the prefix length of a contiguous netmask, or null when the mask has holes.</summary>
    private static int? PrefixLengthOf(IPAddress netmask)
    {
        var mask = Ipv4.ToUInt32(netmask);
        var prefix = System.Numerics.BitOperations.PopCount(mask);
        var expected = prefix == 0 ? 0u : uint.MaxValue << (32 - prefix);
        return mask == expected ? prefix : null;
    }
}
