using System.Text;

namespace Sdmi.Model;

/// <summary>A system imported from another format, with a note for every field of the source.</summary>
public sealed record ImportResult(SystemSpec System, IReadOnlyList<ImportNote> Notes)
{
    /// <summary>Formats the notes for a person: mapped fields first, then ignored ones, one per line.</summary>
    public string FormatReport()
    {
        var report = new StringBuilder();
        var mapped = Notes.Where(note => note.Kind == ImportNoteKind.Mapped).ToList();
        var ignored = Notes.Where(note => note.Kind == ImportNoteKind.Ignored).ToList();
        report.Append("Imported system '").Append(System.Name).Append("': ")
            .Append(mapped.Count).Append(" fields mapped, ")
            .Append(ignored.Count).AppendLine(" ignored.");
        AppendSection(report, "Mapped:", mapped);
        AppendSection(report, "Ignored (kept as annotations unless secret):", ignored);
        return report.ToString();
    }

    private static void AppendSection(StringBuilder report, string title, IReadOnlyList<ImportNote> notes)
    {
        if (notes.Count == 0)
        {
            return;
        }

        report.AppendLine(title);
        foreach (var note in notes)
        {
            report.Append("  ").AppendLine(note.ToString());
        }
    }
}
