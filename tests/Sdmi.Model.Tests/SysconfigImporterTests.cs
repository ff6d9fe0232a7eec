using System.Net;
using System.Text.Json;

namespace Sdmi.Model.Tests;

public sealed class SysconfigImporterTests
{
    private const string ConformancePath = "/work/shared/conformance/template/sysconfig.json";

    /// <summary>Secret values in the conformance file, which must not appear in notes or output.</summary>
    private static readonly string[] SecretValues = ["admin", "replicator"];

    [Fact]
    public void Importer_ConformanceFile_MapsNetwork()
    {
        var result = SysconfigImporter.Import(ConformancePath);

        var network = Assert.Single(result.System.Networks);
        Assert.Equal("dbpool-net", network.Name);
        Assert.Equal(Ipv4Subnet.Parse("172.16.1.0/24"), network.Subnet);
        Assert.Equal(IPAddress.Parse("172.16.1.254"), network.Gateway);
        Assert.Equal(new AddressRange(IPAddress.Parse("172.16.1.1"), IPAddress.Parse("172.16.1.253")), network.Range);
        Assert.Null(network.HostAddress);
    }

    [Fact]
    public void Importer_ScaleBounds_BecomePostgresMeshService()
    {
        var result = SysconfigImporter.Import(ConformancePath);

        var service = Assert.Single(result.System.Services);
        Assert.Equal("dbpool-net", service.Name);
        Assert.Equal(ServiceKinds.PostgresMesh, service.Kind);
        Assert.Equal("dbpool-net", service.Network);
        Assert.Equal(new ScaleBounds(2, 4), service.Scale);
        Assert.Equal(2, service.Replicas);
        var note = Assert.Single(result.Notes, note => note.Path == "system.networks[0].config.scale.min-nodes");
        Assert.Equal(ImportNoteKind.Mapped, note.Kind);
        Assert.Contains("Assumption: the prototype's pools are database pools", note.Message);
    }

    [Fact]
    public void Importer_ConformanceFile_NamesSystemAfterFile()
    {
        var result = SysconfigImporter.Import(ConformancePath);

        Assert.Equal("sysconfig", result.System.Name);
        Assert.Equal([new HostSpec("local", "sdmi0")], result.System.Hosts);
    }

    [Fact]
    public void Importer_ConformanceFile_AccountsForEveryField()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(ConformancePath));
        var leaves = new List<string>();
        CollectLeafPaths(document.RootElement, string.Empty, leaves);

        var result = SysconfigImporter.Import(ConformancePath);

        var notedPaths = result.Notes.Select(note => note.Path).ToHashSet(StringComparer.Ordinal);
        foreach (var leaf in leaves)
        {
            Assert.True(notedPaths.Contains(leaf), $"no note for {leaf}");
        }

        foreach (var note in result.Notes.Where(note => note.Kind == ImportNoteKind.Ignored))
        {
            var isSecret = note.Message == "ignored (secret not imported)";
            Assert.True(isSecret || result.System.Annotations.ContainsKey(note.Path), $"no annotation for {note.Path}");
        }
    }

    [Fact]
    public void Importer_ConformanceFile_KeepsUnmappedFieldsAsAnnotations()
    {
        var result = SysconfigImporter.Import(ConformancePath);

        var annotations = result.System.Annotations;
        Assert.False(annotations["system.config.network.failover_mode"].GetBoolean());
        Assert.True(annotations["system.config.network.run_on_host"].GetBoolean());
        Assert.Equal("172.16.1.254", annotations["system.config.network.managers"][0].GetString());
        Assert.Equal(JsonValueKind.Array, annotations["system.runtime.network.nodes"].ValueKind);
        Assert.Equal("default", annotations["system.networks[0].config.scale.metrics.characteristics"].GetString());
        var failover = Assert.Single(result.Notes, note => note.Path == "system.config.network.failover_mode");
        Assert.Equal(ImportNoteKind.Ignored, failover.Kind);
        Assert.Equal("ignored (the model has no failover setting); kept as an annotation", failover.Message);
    }

    [Fact]
    public void Importer_HostAddressIsGateway_Ignored()
    {
        var result = SysconfigImporter.Import(ConformancePath);

        var note = Assert.Single(result.Notes, note => note.Path == "system.networks[0].config.net.ipv4.hostaddress");
        Assert.Equal(ImportNoteKind.Ignored, note.Kind);
        Assert.StartsWith("ignored (equals the gateway 172.16.1.254", note.Message);
        Assert.True(result.System.Annotations.ContainsKey("system.networks[0].config.net.ipv4.hostaddress"));
    }

    [Fact]
    public void Importer_Passwords_ReportedAsSecretNotImported()
    {
        var result = SysconfigImporter.Import(ConformancePath);

        var note = Assert.Single(result.Notes, note => note.Path == "system.config.roles.SYSOwner.password");
        Assert.Equal(ImportNoteKind.Ignored, note.Kind);
        Assert.Equal("system.config.roles.SYSOwner.password: ignored (secret not imported)", note.ToString());
        Assert.DoesNotContain(
            result.System.Annotations.Keys,
            key => key.EndsWith(".password", StringComparison.Ordinal));
    }

    [Fact]
    public void Importer_Notes_ContainNoSecret()
    {
        var result = SysconfigImporter.Import(ConformancePath);

        var texts = result.Notes.Select(note => note.ToString())
            .Append(result.ToString())
            .Append(result.FormatReport())
            .ToList();
        foreach (var secret in SecretValues)
        {
            Assert.DoesNotContain(texts, text => text.Contains(secret, StringComparison.OrdinalIgnoreCase));
        }
    }

    [Fact]
    public void Importer_SecretNotInAnnotationsOrCanonicalJson()
    {
        var json = File.ReadAllText(ConformancePath)
            .Replace("\"password\": \"admin\"", "\"password\": \"s3cr3t-value\"");

        var result = SysconfigImporter.ImportJson(json, "sysconfig.json", "imported");

        Assert.DoesNotContain("s3cr3t-value", SystemSpecJson.Write(result.System));
        Assert.DoesNotContain("s3cr3t-value", result.FormatReport());
    }

    [Fact]
    public void Importer_Report_ListsMappedAndIgnored()
    {
        var result = SysconfigImporter.Import(ConformancePath);

        var report = result.FormatReport();

        Assert.StartsWith("Imported system 'sysconfig': ", report);
        Assert.Contains("  system.networks[0].config.net.ipv4.subnet: mapped to subnet 172.16.1.0/24", report);
        Assert.Contains("  system.config.roles.SYSPgDBReplication.password: ignored (secret not imported)", report);
    }

    [Fact]
    public void Importer_NetmaskDisagreesWithNetbits_ReportsBoth()
    {
        var json = File.ReadAllText(ConformancePath).Replace("\"netbits\": 24", "\"netbits\": 16");

        var exception = Assert.Throws<SystemFileException>(() => SysconfigImporter.ImportJson(json, "sysconfig.json"));

        var error = Assert.Single(exception.Errors);
        Assert.Equal("system.networks[0].config.net.ipv4.netbits", error.Path);
        Assert.Equal(28, error.Line);
        Assert.Equal(29, error.Column);
        Assert.Equal(
            "netbits 16 disagrees with netmask 255.255.255.0 (/24); make both describe the same prefix length",
            error.Message);
    }

    [Fact]
    public void Importer_NonContiguousNetmask_ReportsIt()
    {
        var json = File.ReadAllText(ConformancePath).Replace("255.255.255.0", "255.0.255.0");

        var exception = Assert.Throws<SystemFileException>(() => SysconfigImporter.ImportJson(json, "sysconfig.json"));

        var error = Assert.Single(exception.Errors);
        Assert.Equal("system.networks[0].config.net.ipv4.netmask", error.Path);
        Assert.StartsWith("netmask 255.0.255.0 is not contiguous", error.Message);
    }

    [Fact]
    public void Importer_PartOutsideSubnet_ReportsOffset()
    {
        var json = File.ReadAllText(ConformancePath).Replace("\"end\": 253", "\"end\": 300");

        var exception = Assert.Throws<SystemFileException>(() => SysconfigImporter.ImportJson(json, "sysconfig.json"));

        var error = Assert.Single(exception.Errors);
        Assert.Equal("system.networks[0].config.net.parts[0].ipv4.end", error.Path);
        Assert.Equal("offset 300 is outside 172.16.1.0/24; use 0 to 255", error.Message);
    }

    [Fact]
    public void Importer_MissingSubnet_ReportsPath()
    {
        var json = File.ReadAllText(ConformancePath).Replace("\"subnet\": \"172.16.1.0\",", string.Empty);

        var exception = Assert.Throws<SystemFileException>(() => SysconfigImporter.ImportJson(json, "sysconfig.json"));

        var error = Assert.Single(exception.Errors);
        Assert.Equal("system.networks[0].config.net.ipv4.subnet", error.Path);
        Assert.Equal("required field 'subnet' is missing", error.Message);
    }

    [Fact]
    public void Importer_MaxNodesBeyondRange_ReportsModelError()
    {
        var json = File.ReadAllText(ConformancePath).Replace("\"end\": 253", "\"end\": 2");

        var exception = Assert.Throws<SystemFileException>(() => SysconfigImporter.ImportJson(json, "sysconfig.json"));

        var error = Assert.Single(exception.Errors);
        Assert.Equal("networks.dbpool-net.range", error.Path);
        Assert.Contains("has 2 addresses, but its services need up to 4", error.Message);
    }

    [Fact]
    public void Importer_UnknownField_KeptAsAnnotation()
    {
        var json = File.ReadAllText(ConformancePath)
            .Replace("\"failover_mode\": false,", "\"failover_mode\": false, \"zone\": 3,");

        var result = SysconfigImporter.ImportJson(json, "sysconfig.json");

        Assert.Equal(3, result.System.Annotations["system.config.network.zone"].GetInt32());
        var note = Assert.Single(result.Notes, note => note.Path == "system.config.network.zone");
        Assert.Equal("ignored (field not recognized by the importer); kept as an annotation", note.Message);
    }

    [Fact]
    public void Importer_MalformedJson_ReportsLineAndColumn()
    {
        var json = "{\n  \"system\": ";

        var exception = Assert.Throws<SystemFileException>(() => SysconfigImporter.ImportJson(json, "x.json"));

        var error = Assert.Single(exception.Errors);
        Assert.Equal(2, error.Line);
        Assert.StartsWith("malformed JSON: ", error.Message);
    }

    [Fact]
    public void Importer_ImportedSystem_RoundTripsThroughLoader()
    {
        var result = SysconfigImporter.Import(ConformancePath);

        var reloaded = SystemLoader.Parse(SystemSpecJson.Write(result.System));

        Assert.True(reloaded.ContentEquals(result.System));
        Assert.Equal(result.System.Annotations.Count, reloaded.Annotations.Count);
    }

    private static void CollectLeafPaths(JsonElement element, string path, List<string> leaves)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object when element.EnumerateObject().Any():
                foreach (var property in element.EnumerateObject())
                {
                    var childPath = path.Length == 0 ? property.Name : $"{path}.{property.Name}";
                    CollectLeafPaths(property.Value, childPath, leaves);
                }

                break;
            case JsonValueKind.Array when element.EnumerateArray().Any(item => item.ValueKind == JsonValueKind.Object):
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    CollectLeafPaths(item, $"{path}[{index}]", leaves);
                    index++;
                }

                break;
            default:
                leaves.Add(path);
                break;
        }
    }
}
