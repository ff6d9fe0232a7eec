using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Sdmi.Model;

/// <summary>
/// Writes a <see cref="SystemSpec"/> as canonical JSON in the system file format: every default written out,
/// networks and services in declaration order, environment variables and annotations sorted by name. Two specs
/// with the same content produce the same text, and <see cref="SystemLoader.Parse"/> reads the text back.
/// </summary>
public static class SystemSpecJson
{
    private static readonly JsonWriterOptions WriterOptions = new() { Indented = true };

    public static string Write(SystemSpec spec)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, WriterOptions))
        {
            WriteSystem(writer, spec);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Returns the SHA-256 of the canonical JSON (UTF-8) as lowercase hex.</summary>
    public static string ComputeHash(SystemSpec spec) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Write(spec))));

    private static void WriteSystem(Utf8JsonWriter writer, SystemSpec spec)
    {
        writer.WriteStartObject();
        writer.WriteString("system", spec.Name);
        writer.WriteStartArray("hosts");
        foreach (var host in spec.Hosts)
        {
            writer.WriteStartObject();
            writer.WriteString("name", host.Name);
            writer.WriteString("bridge", host.Bridge);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        WriteNetworks(writer, spec.Networks);
        writer.WriteStartArray("services");
        foreach (var service in spec.Services)
        {
            WriteService(writer, service);
        }

        writer.WriteEndArray();
        if (spec.Annotations.Count > 0)
        {
            writer.WriteStartObject("annotations");
            foreach (var (key, value) in spec.Annotations.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            {
                writer.WritePropertyName(key);
                value.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static void WriteNetworks(Utf8JsonWriter writer, IReadOnlyList<NetworkSpec> networks)
    {
        writer.WriteStartArray("networks");
        foreach (var network in networks)
        {
            writer.WriteStartObject();
            writer.WriteString("name", network.Name);
            writer.WriteString("subnet", network.Subnet.ToString());
            writer.WriteString("gateway", Format(network.Gateway));
            if (network.HostAddress is not null)
            {
                writer.WriteString("hostAddress", Format(network.HostAddress));
            }

            writer.WriteStartObject("range");
            writer.WriteString("start", Format(network.Range.Start));
            writer.WriteString("end", Format(network.Range.End));
            writer.WriteEndObject();
            if (network.Children.Count > 0)
            {
                WriteNetworks(writer, network.Children);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WriteService(Utf8JsonWriter writer, ServiceSpec service)
    {
        writer.WriteStartObject();
        writer.WriteString("name", service.Name);
        writer.WriteString("kind", service.Kind);
        writer.WriteString("image", service.Image);
        writer.WriteString("network", service.Network);
        writer.WriteNumber("replicas", service.Replicas);
        writer.WriteStartObject("scale");
        writer.WriteNumber("min", service.Scale.Min);
        writer.WriteNumber("max", service.Scale.Max);
        writer.WriteEndObject();
        writer.WriteStartArray("ports");
        foreach (var port in service.Ports)
        {
            writer.WriteStartObject();
            writer.WriteNumber("port", port.Port);
            writer.WriteString("protocol", port.Protocol == TransportProtocol.Udp ? "udp" : "tcp");
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        if (service.Health is not null)
        {
            WriteHealth(writer, service.Health);
        }

        WriteStrings(writer, "dependsOn", service.DependsOn);
        WriteStrings(writer, "exposeTo", service.ExposeTo);
        writer.WriteStartObject("environment");
        foreach (var (name, value) in service.Environment.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            writer.WriteString(name, value);
        }

        writer.WriteEndObject();
        if (service.Command is not null)
        {
            WriteStrings(writer, "command", service.Command);
        }

        writer.WriteEndObject();
    }

    private static void WriteHealth(Utf8JsonWriter writer, HealthCheck health)
    {
        writer.WriteStartObject("health");
        WriteStrings(writer, "command", health.Command);
        writer.WriteNumber("intervalSeconds", health.Interval.TotalSeconds);
        writer.WriteNumber("timeoutSeconds", health.Timeout.TotalSeconds);
        writer.WriteNumber("retries", health.Retries);
        writer.WriteNumber("startPeriodSeconds", health.StartPeriod.TotalSeconds);
        writer.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter writer, string name, IReadOnlyList<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    private static string Format(IPAddress address) => address.ToString();
}
