using System.Text;
using System.Text.Json;

namespace Sdmi.Model;

/// <summary>
/// Imports the original prototype's sysconfig.json. Networks, their address plan and their scale bounds map onto
/// the model. Every other field is kept in <see cref="SystemSpec.Annotations"/> under its JSON path and reported
/// as ignored, except secrets, which are dropped and never copied into a note, an annotation or a message.
/// </summary>
public static class SysconfigImporter
{
    /// <summary>Imports the file at <paramref name="path"/>; the system is named after the file.</summary>
    /// <exception cref="SystemFileException">
    /// The file is unreadable, malformed or maps to an invalid system.
    /// </exception>
    public static ImportResult Import(string path)
    {
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new SystemFileException(
                path, [new SystemFileError(string.Empty, $"cannot read the file: {exception.Message}")]);
        }

        return ImportJson(json, path, SystemNameFromFile(path));
    }

    /// <summary>Imports sysconfig JSON text.</summary>
    /// <param name="sourceName">Label for messages, usually the file path.</param>
    /// <param name="systemName">Name for the system, which sysconfig.json does not contain.</param>
    public static ImportResult ImportJson(string json, string sourceName = "<input>", string systemName = "imported")
    {
        using var document = SystemLoader.ParseDocument(json, sourceName);
        var mapping = new SysconfigMapping(systemName);
        var result = mapping.Map(document.RootElement);
        if (mapping.Errors.HasErrors)
        {
            throw new SystemFileException(sourceName, SystemLoader.AddPositions(mapping.Errors, json));
        }

        SystemValidator.EnsureValid(result.System, sourceName);
        return result;
    }

    /// <summary>
    /// Returns a DNS label made from the file name: "sysconfig.json" gives "sysconfig". Falls back to "imported"
    /// when nothing usable is left.
    /// </summary>
    internal static string SystemNameFromFile(string path)
    {
        var stem = Path.GetFileNameWithoutExtension(path).ToLowerInvariant();
        var label = new StringBuilder();
        foreach (var c in stem)
        {
            label.Append(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) ? c : '-');
        }

        var name = label.ToString().Trim('-');
        if (name.Length > DnsLabel.MaxLength)
        {
            name = name[..DnsLabel.MaxLength].TrimEnd('-');
        }

        return DnsLabel.IsValid(name) ? name : "imported";
    }
}
