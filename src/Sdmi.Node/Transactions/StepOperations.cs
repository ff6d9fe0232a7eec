using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Sdmi.Fabric;
using Sdmi.Node.Hosts;

namespace Sdmi.Node.Transactions;

/// <summary>
/// The part of a transaction one host carries out: create the listed replicas (or adopt those
/// that run with the same configuration) and remove the listed containers. Prepare creates the new
/// containers without starting them. Commit starts and wires them and removes what the step drops,
/// and abort removes what prepare created.
/// </summary>
public sealed record HostStep(
    string System,
    string Bridge,
    IReadOnlyList<HostProtocol.EnsureContainer> Ensure,
    IReadOnlyList<HostProtocol.RemoveContainer> Remove)
{
    public static string ParticipantId(string host) => "host:" + host;

    public string ToOperation() => StepJson.Write(this);

    public static HostStep Parse(string operation) => StepJson.Read<HostStep>(operation);
}

/// <summary>
/// The part of a transaction one switch carries out: hold exactly the flows that the system's
/// declaration compiles to for these endpoints. The switch compiles and checks them at prepare and
/// installs them in one bundle at commit. An empty <paramref name="SpecJson"/> means no flows: the
/// commit deletes every flow of the system.
/// </summary>
public sealed record SwitchStep(string Bridge, string System, string SpecJson, IReadOnlyList<EndpointRecord> Endpoints)
{
    private const string Prefix = "switch:";

    /// <summary>Creates the step that removes every flow of <paramref name="system"/> from the bridge.</summary>
    public static SwitchStep RemoveAll(string bridge, string system) => new(bridge, system, "", []);

    public bool RemovesAll => SpecJson.Length == 0;

    public static string ParticipantId(string bridge) => Prefix + bridge;

    /// <summary>The bridge a switch participant id names, or null for another participant.</summary>
    public static string? BridgeOf(string participant) =>
        participant.StartsWith(Prefix, StringComparison.Ordinal) ? participant[Prefix.Length..] : null;

    public string ToOperation() => StepJson.Write(this);

    public static SwitchStep Parse(string operation) => StepJson.Read<SwitchStep>(operation);

    public IReadOnlyList<Endpoint> ToEndpoints() => Endpoints.Select(e => e.ToEndpoint()).ToList();
}

/// <summary>An endpoint as plain data. <paramref name="Mac"/> is the MAC address as its 48-bit value.</summary>
public sealed record EndpointRecord(string Name, string? Service, string Network, string Address, ulong Mac, uint Port)
{
    public static EndpointRecord From(Endpoint e) =>
        new(e.Name, e.Service, e.Network, e.Address.ToString(), e.Mac.Value, e.Port);

    public Endpoint ToEndpoint() => new(Name, Service, Network, IPAddress.Parse(Address), new MacAddress(Mac), Port);
}

/// <summary>JSON form of step operations: they travel inside transaction messages and the coordinator's journal as text.</summary>
internal static class StepJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General)
    {
        Converters = { new IpAddressConverter() },
    };

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Read<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException($"The {typeof(T).Name} operation is empty (JSON null).");

    private sealed class IpAddressConverter : JsonConverter<IPAddress>
    {
        public override IPAddress Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            IPAddress.Parse(reader.GetString() ?? throw new JsonException("An IP address in the operation is null; expected its text form, such as 172.16.1.1."));

        public override void Write(Utf8JsonWriter writer, IPAddress value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.ToString());
    }
}
