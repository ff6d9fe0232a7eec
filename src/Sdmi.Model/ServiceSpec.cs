namespace Sdmi.Model;

/// <summary>A group of identical containers (replicas) placed on one network.</summary>
/// <param name="Kind">One of <see cref="ServiceKinds.All"/>; "generic" when the file gives none.</param>
/// <param name="DependsOn">Names of services that this one opens connections to, on their <see cref="Ports"/>.
/// Services start after their dependencies are healthy.</param>
/// <param name="ExposeTo">Names of networks whose members, the host address included, may open connections to
/// this service's <see cref="Ports"/>.</param>
/// <param name="Command">Overrides the image's command when set.</param>
public sealed record ServiceSpec(
    string Name,
    string Kind,
    string Image,
    string Network,
    int Replicas,
    IReadOnlyList<ServicePort> Ports,
    HealthCheck? Health,
    IReadOnlyList<string> DependsOn,
    IReadOnlyList<string> ExposeTo,
    IReadOnlyDictionary<string, string> Environment,
    ScaleBounds Scale,
    IReadOnlyList<string>? Command);
