using System.Net;
using System.Text.Json;

namespace Sdmi.Model;

/// <summary>
/// Maps a parsed system file onto the model. Values that fail to read are reported and replaced by
/// placeholders, and their paths are marked invalid so that validation skips them.
/// </summary>
internal sealed class SystemFileReader
{
    internal static readonly IReadOnlyList<string> TopLevelFields =
        ["system", "hosts", "networks", "services", "annotations"];

    internal static readonly IReadOnlyList<string> NetworkFields =
        ["name", "subnet", "gateway", "hostAddress", "range", "networks"];

    internal static readonly IReadOnlyList<string> RangeFields = ["start", "end"];
    internal static readonly IReadOnlyList<string> HostFields = ["name", "bridge"];
    internal static readonly IReadOnlyList<string> ServiceFields =
    [
        "name", "kind", "image", "network", "replicas", "scale", "ports", "health", "dependsOn", "exposeTo",
        "environment", "command",
    ];
    internal static readonly IReadOnlyList<string> ScaleFields = ["min", "max"];
    internal static readonly IReadOnlyList<string> PortFields = ["port", "protocol"];
    internal static readonly IReadOnlyList<string> HealthFields =
        ["command", "intervalSeconds", "timeoutSeconds", "retries", "startPeriodSeconds"];

    private static readonly IPAddress Placeholder = IPAddress.Any;
    private static readonly Ipv4Subnet PlaceholderSubnet = new(IPAddress.Any, 0);

    private readonly ErrorCollector _errors;

    public SystemFileReader(ErrorCollector errors)
    {
        _errors = errors;
    }

    public SystemSpec Read(JsonElement root)
    {
        var reader = JsonObjectReader.Open(root, string.Empty, _errors, TopLevelFields);
        if (reader is null)
        {
            return new SystemSpec(string.Empty, [], [], []);
        }

        var name = reader.String("system", required: true) ?? string.Empty;
        var hosts = reader.Has("hosts") ? ReadHosts(reader) : HostSpec.Defaults;
        var networks = ReadNetworks(reader, parentPath: null, parentName: null, parentJsonPath: null, required: true);
        var services = ReadServices(reader);
        var annotations = ReadAnnotations(reader);
        return new SystemSpec(name, networks, services, hosts) { Annotations = annotations };
    }

    private List<HostSpec> ReadHosts(JsonObjectReader system)
    {
        var hosts = new List<HostSpec>();
        var items = system.Array("hosts") ?? [];
        for (var i = 0; i < items.Count; i++)
        {
            var host = JsonObjectReader.Open(items[i], ModelPaths.Host(i), _errors, HostFields);
            if (host is not null)
            {
                var name = host.String("name", required: true) ?? string.Empty;
                var bridge = host.String("bridge", required: true) ?? string.Empty;
                hosts.Add(new HostSpec(name, bridge));
            }
        }

        return hosts;
    }

    private List<NetworkSpec> ReadNetworks(
        JsonObjectReader owner, string? parentPath, string? parentName, string? parentJsonPath, bool required)
    {
        var networks = new List<NetworkSpec>();
        var items = owner.Array("networks", required) ?? [];
        for (var i = 0; i < items.Count; i++)
        {
            var jsonPath = ModelPaths.Item(ModelPaths.Field(parentJsonPath ?? string.Empty, "networks"), i);
            var network = ReadNetwork(items[i], parentPath, parentName, jsonPath, i);
            if (network is not null)
            {
                networks.Add(network);
            }
        }

        return networks;
    }

    private NetworkSpec? ReadNetwork(
        JsonElement element, string? parentPath, string? parentName, string jsonPath, int index)
    {
        var name = element.ValueKind == JsonValueKind.Object
            && element.TryGetProperty("name", out var nameElement)
            && nameElement.ValueKind == JsonValueKind.String
                ? nameElement.GetString()
                : null;
        var path = ModelPaths.Network(parentPath, name, index);
        _errors.MapToJsonPath(path, jsonPath);
        var reader = JsonObjectReader.Open(element, path, _errors, NetworkFields);
        if (reader is null)
        {
            return null;
        }

        reader.String("name", required: true);
        var subnet = ReadSubnet(reader);
        var gateway = reader.Address("gateway");
        var hostAddress = reader.Address("hostAddress");
        var range = ReadRange(reader);
        var children = ReadNetworks(reader, path, name, jsonPath, required: false);

        var subnetValid = subnet is not null;
        var gatewayValid = !_errors.IsInvalid(reader.FieldPath("gateway"));
        var hostValid = !_errors.IsInvalid(reader.FieldPath("hostAddress"));
        var effectiveSubnet = subnet ?? PlaceholderSubnet;
        var effectiveGateway = gateway ?? (subnetValid ? NetworkSpec.DefaultGateway(effectiveSubnet) : Placeholder);
        if (!gatewayValid)
        {
            effectiveGateway = Placeholder;
        }

        if (range is null)
        {
            // The default range depends on the subnet, gateway and host address, so it is unusable when any is.
            if (!subnetValid || !gatewayValid || !hostValid)
            {
                _errors.MarkInvalid(reader.FieldPath("range"));
            }

            range = NetworkSpec.DefaultRange(effectiveSubnet, effectiveGateway, hostAddress);
        }

        return new NetworkSpec(name ?? string.Empty, effectiveSubnet, effectiveGateway, range, hostAddress, children)
        {
            Parent = parentName,
        };
    }

    private Ipv4Subnet? ReadSubnet(JsonObjectReader network)
    {
        var text = network.String("subnet", required: true);
        if (text is null)
        {
            _errors.MarkInvalid(network.FieldPath("subnet"));
            return null;
        }

        if (!Ipv4Subnet.TryParse(text, out var subnet, out var error))
        {
            _errors.Add(network.FieldPath("subnet"), error);
            return null;
        }

        return subnet;
    }

    private AddressRange? ReadRange(JsonObjectReader network)
    {
        var element = network.Element("range");
        if (element is null)
        {
            return null;
        }

        var reader = JsonObjectReader.Open(element.Value, network.FieldPath("range"), _errors, RangeFields);
        var start = reader?.Address("start", required: true);
        var end = reader?.Address("end", required: true);
        if (start is null || end is null)
        {
            _errors.MarkInvalid(network.FieldPath("range"));
            return new AddressRange(Placeholder, Placeholder);
        }

        return new AddressRange(start, end);
    }

    private List<ServiceSpec> ReadServices(JsonObjectReader system)
    {
        var services = new List<ServiceSpec>();
        var items = system.Array("services") ?? [];
        for (var i = 0; i < items.Count; i++)
        {
            var reader = JsonObjectReader.Open(items[i], ModelPaths.Service(i), _errors, ServiceFields);
            if (reader is not null)
            {
                services.Add(ReadService(reader));
            }
        }

        return services;
    }

    private ServiceSpec ReadService(JsonObjectReader service)
    {
        var name = service.String("name", required: true) ?? string.Empty;
        var kind = service.String("kind") ?? ServiceKinds.Generic;
        var image = service.String("image", required: true) ?? string.Empty;
        var network = service.String("network", required: true) ?? string.Empty;
        var replicas = service.Integer("replicas") ?? 1;
        var scale = ReadScale(service, replicas);
        var ports = ReadPorts(service);
        var health = ReadHealth(service);
        var dependsOn = service.StringArray("dependsOn") ?? [];
        var exposeTo = service.StringArray("exposeTo") ?? [];
        var environment = ReadEnvironment(service);
        var command = service.StringArray("command");
        return new ServiceSpec(
            name, kind, image, network, replicas, ports, health, dependsOn, exposeTo, environment, scale, command);
    }

    private ScaleBounds ReadScale(JsonObjectReader service, int replicas)
    {
        var element = service.Element("scale");
        if (element is null)
        {
            return new ScaleBounds(replicas, replicas);
        }

        var reader = JsonObjectReader.Open(element.Value, service.FieldPath("scale"), _errors, ScaleFields);
        var min = reader?.Integer("min", required: true);
        var max = reader?.Integer("max", required: true);
        if (min is null || max is null)
        {
            _errors.MarkInvalid(service.FieldPath("scale"));
            return new ScaleBounds(replicas, replicas);
        }

        return new ScaleBounds(min.Value, max.Value);
    }

    private List<ServicePort> ReadPorts(JsonObjectReader service)
    {
        var ports = new List<ServicePort>();
        var items = service.Array("ports") ?? [];
        for (var i = 0; i < items.Count; i++)
        {
            var path = ModelPaths.Item(service.FieldPath("ports"), i);
            var reader = JsonObjectReader.Open(items[i], path, _errors, PortFields);
            var port = reader?.Integer("port", required: true);
            var protocol = reader is null ? null : ReadProtocol(reader);
            if (port is not null && protocol is not null)
            {
                ports.Add(new ServicePort(port.Value, protocol.Value));
            }
        }

        return ports;
    }

    private TransportProtocol? ReadProtocol(JsonObjectReader port)
    {
        var text = port.String("protocol");
        if (text is null)
        {
            return port.Has("protocol") ? null : TransportProtocol.Tcp;
        }

        switch (text)
        {
            case "tcp":
                return TransportProtocol.Tcp;
            case "udp":
                return TransportProtocol.Udp;
            default:
                _errors.Add(port.FieldPath("protocol"), $"unknown protocol '{text}'; allowed values: tcp, udp");
                return null;
        }
    }

    private HealthCheck? ReadHealth(JsonObjectReader service)
    {
        var element = service.Element("health");
        if (element is null)
        {
            return null;
        }

        var reader = JsonObjectReader.Open(element.Value, service.FieldPath("health"), _errors, HealthFields);
        if (reader is null)
        {
            return null;
        }

        var command = reader.StringArray("command", required: true) ?? [];
        var interval = reader.Number("intervalSeconds");
        var timeout = reader.Number("timeoutSeconds");
        var retries = reader.Integer("retries") ?? HealthCheck.DefaultRetries;
        var startPeriod = reader.Number("startPeriodSeconds");
        return new HealthCheck(
            command,
            Seconds(interval, HealthCheck.DefaultInterval, reader.FieldPath("intervalSeconds")),
            Seconds(timeout, HealthCheck.DefaultTimeout, reader.FieldPath("timeoutSeconds")),
            retries,
            Seconds(startPeriod, HealthCheck.DefaultStartPeriod, reader.FieldPath("startPeriodSeconds")));
    }

    private TimeSpan Seconds(double? seconds, TimeSpan fallback, string path)
    {
        if (seconds is null)
        {
            return fallback;
        }

        // TimeSpan.FromSeconds throws beyond about 29,000 years. Anything above 1e9 seconds (about 31 years) is
        // a mistake, so it is reported here instead.
        const double maxSeconds = 1e9;
        if (double.IsNaN(seconds.Value) || Math.Abs(seconds.Value) > maxSeconds)
        {
            _errors.Add(path, $"{seconds.Value} seconds is out of range; use at most {maxSeconds:0} seconds");
            return fallback;
        }

        return TimeSpan.FromSeconds(seconds.Value);
    }

    private Dictionary<string, string> ReadEnvironment(JsonObjectReader service)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        var element = service.Element("environment");
        if (element is null)
        {
            return environment;
        }

        var path = service.FieldPath("environment");
        if (element.Value.ValueKind != JsonValueKind.Object)
        {
            var found = JsonObjectReader.Describe(element.Value);
            _errors.Add(path, $"expected an object of name-value strings but found {found}");
            return environment;
        }

        foreach (var variable in element.Value.EnumerateObject())
        {
            var variablePath = ModelPaths.Field(path, variable.Name);
            var value = JsonObjectReader.ReadString(variable.Value, variablePath, _errors);
            if (value is not null && !environment.TryAdd(variable.Name, value))
            {
                _errors.Add(variablePath, $"environment variable '{variable.Name}' appears more than once; keep one");
            }
        }

        return environment;
    }

    private Dictionary<string, JsonElement> ReadAnnotations(JsonObjectReader system)
    {
        var annotations = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var element = system.Element("annotations");
        if (element is null)
        {
            return annotations;
        }

        if (element.Value.ValueKind != JsonValueKind.Object)
        {
            var found = JsonObjectReader.Describe(element.Value);
            _errors.Add(system.FieldPath("annotations"), $"expected an object but found {found}");
            return annotations;
        }

        foreach (var annotation in element.Value.EnumerateObject())
        {
            annotations[annotation.Name] = annotation.Value.Clone();
        }

        return annotations;
    }
}
