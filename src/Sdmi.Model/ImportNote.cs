namespace Sdmi.Model;

public enum ImportNoteKind
{
    /// <summary>The field was carried into the model.</summary>
    Mapped,

    /// <summary>The field has no model meaning; it was kept as an annotation, or dropped if it is a secret.</summary>
    Ignored,
}

/// <summary>What an importer did with one field of the source file, keyed by the field's JSON path.</summary>
public sealed record ImportNote(string Path, ImportNoteKind Kind, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}
