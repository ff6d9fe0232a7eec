using Sdmi.OpenFlow.Wire;

namespace Sdmi.OpenFlow.Matching;

/// <summary>
/// An OXM match (section 7.2.3.1, <c>struct ofp_match</c>): type OFPMT_OXM, a length that counts
/// the 4-byte match header and the TLVs but not the padding, then zero padding to a multiple of 8.
/// A match whose length is already a multiple of 8 gets no padding.
/// </summary>
public sealed record Match(EquatableArray<OxmField> Fields)
{
    /// <summary>OFPMT_OXM.</summary>
    public const ushort TypeOxm = 1;

    /// <summary>Size of the type and length fields.</summary>
    public const int HeaderSize = 4;

    /// <summary>A match with no fields, which matches every packet.</summary>
    public static Match Any { get; } = new(EquatableArray<OxmField>.Empty);

    /// <summary>Value of the match's length field: header and TLVs, without padding.</summary>
    public int Length
    {
        get
        {
            int length = HeaderSize;
            foreach (OxmField oxm in Fields)
            {
                length += oxm.Length;
            }

            return length;
        }
    }

    /// <summary>Bytes the match occupies on the wire, padding included.</summary>
    public int PaddedLength => Padding.To8(Length);

    /// <summary>
    /// Returns the first field of <paramref name="field"/>, or null when the match has none.
    /// </summary>
    public OxmField? Find(OxmFieldId field)
    {
        foreach (OxmField candidate in Fields)
        {
            if (candidate.BasicField == field)
            {
                return candidate;
            }
        }

        return null;
    }

    internal void Write(ref WireWriter writer)
    {
        int start = writer.Position;
        int length = Length;
        if (length > ushort.MaxValue)
        {
            throw new InvalidOperationException($"Match of {length} bytes exceeds the 16-bit length field.");
        }

        writer.WriteUInt16(TypeOxm);
        writer.WriteUInt16((ushort)length);
        foreach (OxmField field in Fields)
        {
            field.Write(ref writer);
        }

        writer.PadTo8(start);
    }

    /// <summary>
    /// Reads a match and its padding, raising OFPET_BAD_MATCH errors for malformed input.
    /// </summary>
    internal static Match Read(ref WireReader reader) => MatchView.Read(ref reader).ToMatch();

    public override string ToString() => $"Match {Fields}";
}
