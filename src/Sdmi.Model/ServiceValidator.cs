namespace Sdmi.Model;

/// <summary>Checks services: names, kinds, images, placement, ports, health checks, scaling and dependencies.</summary>
internal sealed class ServiceValidator
{
    private const int MaxPort = 65535;

    private readonly SystemSpec _spec;
    private readonly ErrorCollector _errors;
    private readonly IReadOnlyDictionary<string, string> _networkPaths;
    private readonly Dictionary<string, int> _indexByName = new(StringComparer.Ordinal);

    public ServiceValidator(SystemSpec spec, ErrorCollector errors, IReadOnlyDictionary<string, string> networkPaths)
    {
        _spec = spec;
        _errors = errors;
        _networkPaths = networkPaths;
    }

    public void Validate()
    {
        for (var i = 0; i < _spec.Services.Count; i++)
        {
            ValidateName(_spec.Services[i], ModelPaths.Service(i), i);
        }

        for (var i = 0; i < _spec.Services.Count; i++)
        {
            var service = _spec.Services[i];
            var path = ModelPaths.Service(i);
            ValidateKindAndImage(service, path);
            ValidateNetworkReference(service, path);
            ValidateScale(service, path);
            ValidatePorts(service, path);
            ValidateHealth(service, path);
            ValidateDependencies(service, path);
            ValidateExposeTo(service, path);
            ValidateEnvironment(service, path);
            ValidateCommand(service, path);
        }

        ValidateCycles();
        ValidateCapacity();
    }

    private bool IsValid(string path) => !_errors.IsInvalid(path);

    private void ValidateName(ServiceSpec service, string path, int index)
    {
        var namePath = ModelPaths.Field(path, "name");
        if (!IsValid(namePath))
        {
            return;
        }

        if (!DnsLabel.IsValid(service.Name))
        {
            _errors.Add(namePath, DnsLabel.Explain("service name", service.Name));
        }
        else if (_indexByName.TryGetValue(service.Name, out var first))
        {
            _errors.Add(namePath, $"service name '{service.Name}' is already used by {ModelPaths.Service(first)}; "
                + "service names must be unique");
        }
        else
        {
            _indexByName.Add(service.Name, index);
        }
    }

    private void ValidateKindAndImage(ServiceSpec service, string path)
    {
        var kindPath = ModelPaths.Field(path, "kind");
        if (IsValid(kindPath) && !ServiceKinds.All.Contains(service.Kind, StringComparer.Ordinal))
        {
            var allowed = string.Join(", ", ServiceKinds.All);
            _errors.Add(kindPath, $"unknown kind '{service.Kind}'; allowed values: {allowed}");
        }

        var imagePath = ModelPaths.Field(path, "image");
        if (IsValid(imagePath) && string.IsNullOrWhiteSpace(service.Image))
        {
            _errors.Add(imagePath, $"image of service '{service.Name}' is empty; name a container image such as "
                + "'sdmi/app:1'");
        }
    }

    private void ValidateNetworkReference(ServiceSpec service, string path)
    {
        var networkPath = ModelPaths.Field(path, "network");
        if (IsValid(networkPath) && _spec.FindNetwork(service.Network) is null)
        {
            _errors.Add(networkPath, $"network '{service.Network}' not found; defined networks: {NetworkNames()}");
        }
    }

    private void ValidateScale(ServiceSpec service, string path)
    {
        var replicasPath = ModelPaths.Field(path, "replicas");
        var scalePath = ModelPaths.Field(path, "scale");
        var replicasValid = IsValid(replicasPath);
        if (replicasValid && service.Replicas < 0)
        {
            _errors.Add(replicasPath, $"replicas is {service.Replicas}; use 0 or more");
            replicasValid = false;
            if (service.Scale == new ScaleBounds(service.Replicas, service.Replicas))
            {
                // The bounds were most likely defaulted from replicas, so checking them repeats this error.
                return;
            }
        }

        if (!IsValid(scalePath) || _errors.IsInvalid(ModelPaths.Field(scalePath, "min"))
            || _errors.IsInvalid(ModelPaths.Field(scalePath, "max")))
        {
            return;
        }

        var scale = service.Scale;
        if (scale.Min < 0)
        {
            _errors.Add(ModelPaths.Field(scalePath, "min"), $"scale.min is {scale.Min}; use 0 or more");
        }
        else if (scale.Max < scale.Min)
        {
            _errors.Add(ModelPaths.Field(scalePath, "max"), $"scale.max {scale.Max} is below scale.min {scale.Min}; "
                + "raise scale.max or lower scale.min");
        }
        else if (replicasValid && (service.Replicas < scale.Min || service.Replicas > scale.Max))
        {
            _errors.Add(replicasPath, $"replicas {service.Replicas} is outside the scale bounds "
                + $"{scale.Min}..{scale.Max}; set replicas within them or change scale");
        }
    }

    private void ValidatePorts(ServiceSpec service, string path)
    {
        var portsPath = ModelPaths.Field(path, "ports");
        var seen = new Dictionary<ServicePort, int>();
        for (var i = 0; i < service.Ports.Count; i++)
        {
            var port = service.Ports[i];
            var portPath = ModelPaths.Field(ModelPaths.Item(portsPath, i), "port");
            if (port.Port is < 1 or > MaxPort)
            {
                _errors.Add(portPath, $"port {port.Port} is out of range; use 1 to {MaxPort}");
            }
            else if (seen.TryGetValue(port, out var first))
            {
                _errors.Add(portPath, $"port {port} is already listed at {ModelPaths.Item(portsPath, first)}; "
                    + "list each port once");
            }
            else
            {
                seen.Add(port, i);
            }
        }
    }

    private void ValidateHealth(ServiceSpec service, string path)
    {
        var health = service.Health;
        var healthPath = ModelPaths.Field(path, "health");
        if (health is null || !IsValid(healthPath))
        {
            return;
        }

        var commandPath = ModelPaths.Field(healthPath, "command");
        if (IsValid(commandPath) && (health.Command.Count == 0 || string.IsNullOrWhiteSpace(health.Command[0])))
        {
            _errors.Add(commandPath, "health command is empty; give the program and its arguments, such as "
                + "[\"pg_isready\", \"-h\", \"127.0.0.1\"]");
        }

        CheckPositive(health.Interval, ModelPaths.Field(healthPath, "intervalSeconds"));
        CheckPositive(health.Timeout, ModelPaths.Field(healthPath, "timeoutSeconds"));
        var retriesPath = ModelPaths.Field(healthPath, "retries");
        if (IsValid(retriesPath) && health.Retries < 1)
        {
            _errors.Add(retriesPath, $"retries is {health.Retries}; use 1 or more");
        }

        var startPeriodPath = ModelPaths.Field(healthPath, "startPeriodSeconds");
        if (IsValid(startPeriodPath) && health.StartPeriod < TimeSpan.Zero)
        {
            _errors.Add(startPeriodPath, $"startPeriodSeconds is {health.StartPeriod.TotalSeconds}; use 0 or more");
        }
    }

    private void CheckPositive(TimeSpan value, string path)
    {
        if (IsValid(path) && value <= TimeSpan.Zero)
        {
            var field = path[(path.LastIndexOf('.') + 1)..];
            _errors.Add(path, $"{field} is {value.TotalSeconds}; use a number of seconds above 0");
        }
    }

    private void ValidateDependencies(ServiceSpec service, string path)
    {
        var dependsOnPath = ModelPaths.Field(path, "dependsOn");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < service.DependsOn.Count; i++)
        {
            var dependency = service.DependsOn[i];
            var itemPath = ModelPaths.Item(dependsOnPath, i);
            if (string.Equals(dependency, service.Name, StringComparison.Ordinal))
            {
                _errors.Add(itemPath, $"service '{service.Name}' depends on itself; "
                    + $"remove '{dependency}' from dependsOn");
            }
            else if (_spec.FindService(dependency) is null)
            {
                _errors.Add(itemPath, $"service '{dependency}' not found; defined services: {ServiceNames()}");
            }
            else if (!seen.Add(dependency))
            {
                _errors.Add(itemPath, $"service '{dependency}' is listed twice in dependsOn; list it once");
            }
        }
    }

    private void ValidateExposeTo(ServiceSpec service, string path)
    {
        var exposeToPath = ModelPaths.Field(path, "exposeTo");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < service.ExposeTo.Count; i++)
        {
            var network = service.ExposeTo[i];
            var itemPath = ModelPaths.Item(exposeToPath, i);
            if (_spec.FindNetwork(network) is null)
            {
                _errors.Add(itemPath, $"network '{network}' not found; defined networks: {NetworkNames()}");
            }
            else if (!seen.Add(network))
            {
                _errors.Add(itemPath, $"network '{network}' is listed twice in exposeTo; list it once");
            }
        }
    }

    private void ValidateEnvironment(ServiceSpec service, string path)
    {
        var environmentPath = ModelPaths.Field(path, "environment");
        foreach (var name in service.Environment.Keys)
        {
            if (name.Length == 0 || name.Contains('=') || name.Contains('\0'))
            {
                _errors.Add(ModelPaths.Field(environmentPath, name), $"environment variable name '{name}' is invalid; "
                    + "a name must be non-empty and contain no '=' or NUL character");
            }
        }
    }

    private void ValidateCommand(ServiceSpec service, string path)
    {
        var commandPath = ModelPaths.Field(path, "command");
        if (service.Command is { Count: 0 } && IsValid(commandPath))
        {
            _errors.Add(commandPath, "command is empty; leave it out to run the image's own command");
        }
    }

    /// <summary>Reports each dependency cycle once, starting from its earliest-declared service.</summary>
    private void ValidateCycles()
    {
        var reported = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < _spec.Services.Count; i++)
        {
            var start = _spec.Services[i];
            if (!IsFirstDeclaration(start.Name, i))
            {
                continue;
            }

            var cycle = FindCycleThrough(start.Name);
            if (cycle is null || !IsEarliestInCycle(cycle, i))
            {
                continue;
            }

            var key = string.Join(" -> ", cycle);
            if (reported.Add(key))
            {
                var firstHop = start.DependsOn.ToList().IndexOf(cycle[1]);
                var path = ModelPaths.Item(ModelPaths.Field(ModelPaths.Service(i), "dependsOn"), firstHop);
                _errors.Add(path, $"dependency cycle: {key}; services cannot start in any order, so remove one of "
                    + "these dependsOn entries");
            }
        }
    }

    private bool IsFirstDeclaration(string name, int index) =>
        _indexByName.TryGetValue(name, out var first) && first == index;

    private bool IsEarliestInCycle(IReadOnlyList<string> cycle, int index) =>
        cycle.All(name => _indexByName.TryGetValue(name, out var other) && other >= index);

    /// <summary>
    /// Returns the shortest cycle that leaves <paramref name="start"/> and comes back to it, as a list of names
    /// starting and ending with <paramref name="start"/>, or null. Self-dependencies are reported elsewhere.
    /// </summary>
    private List<string>? FindCycleThrough(string start)
    {
        var previous = new Dictionary<string, string>(StringComparer.Ordinal);
        var queue = new Queue<string>();
        queue.Enqueue(start);
        while (queue.Count > 0)
        {
            var current = queue.Dequeue();
            foreach (var next in DependenciesOf(current))
            {
                if (string.Equals(next, start, StringComparison.Ordinal))
                {
                    if (string.Equals(current, start, StringComparison.Ordinal))
                    {
                        continue;
                    }

                    var cycle = new List<string> { start };
                    for (var name = current; name != start; name = previous[name])
                    {
                        cycle.Insert(1, name);
                    }

                    cycle.Add(start);
                    return cycle;
                }

                if (!previous.ContainsKey(next))
                {
                    previous.Add(next, current);
                    queue.Enqueue(next);
                }
            }
        }

        return null;
    }

    private IEnumerable<string> DependenciesOf(string name)
    {
        if (!_indexByName.TryGetValue(name, out var index))
        {
            return [];
        }

        return _spec.Services[index].DependsOn.Where(_indexByName.ContainsKey);
    }

    /// <summary>
    /// Checks that each network's range has an address for every container its services can scale to, and does
    /// not hand out addresses that belong to a child network.
    /// </summary>
    private void ValidateCapacity()
    {
        var byNetwork = _spec.Services
            .Select((service, index) => (Service: service, Index: index))
            .Where(entry => _networkPaths.ContainsKey(entry.Service.Network))
            .GroupBy(entry => entry.Service.Network, StringComparer.Ordinal);
        foreach (var group in byNetwork)
        {
            var network = _spec.GetNetwork(group.Key);
            var networkPath = _networkPaths[group.Key];
            var rangePath = ModelPaths.Field(networkPath, "range");
            if (_errors.IsInvalid(rangePath) || _errors.IsInvalid(ModelPaths.Field(networkPath, "subnet")))
            {
                continue;
            }

            foreach (var child in network.Children.Where(child => network.Range.Overlaps(child.Subnet)))
            {
                _errors.Add(rangePath, $"range {network.Range} of network '{network.Name}' overlaps child network "
                    + $"'{child.Name}' ({child.Subnet}), and services are placed on '{network.Name}'; "
                    + "set a range outside the children's subnets");
            }

            var needs = group
                .Select(entry => (entry.Service.Name, Max: Math.Max(entry.Service.Replicas, entry.Service.Scale.Max)))
                .ToList();
            var total = needs.Sum(need => (long)need.Max);
            if (total > network.Range.Count)
            {
                var detail = string.Join(", ", needs.Select(need => $"'{need.Name}' up to {need.Max}"));
                _errors.Add(rangePath, $"range {network.Range} of network '{network.Name}' has {network.Range.Count} "
                    + $"addresses, but its services need up to {total} ({detail}); widen the range or lower scale.max");
            }
        }
    }

    private string NetworkNames() => Quote(_spec.AllNetworks.Select(network => network.Name));

    private string ServiceNames() => Quote(_spec.Services.Select(service => service.Name));

    private static string Quote(IEnumerable<string> names)
    {
        var list = names.Where(name => name.Length > 0).Select(name => $"'{name}'").ToList();
        return list.Count == 0 ? "(none)" : string.Join(", ", list);
    }
}
