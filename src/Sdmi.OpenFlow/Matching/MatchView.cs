using Sdmi.OpenFlow.Wire;

namespace Sdmi.OpenFlow.Matching;

/// <summary>
/// An OXM match read in place from a message buffer. Every TLV was validated when the view was
/// created, so enumerating it does not throw. Valid only while the buffer is.
/// </summary>
public readonly ref struct MatchView
{
    private MatchView(ReadOnlySpan<byte> fields)
    {
        Fields = fields;
    }

    /// <summary>The encoded TLVs, without the match header and padding.</summary>
    public ReadOnlySpan<byte> Fields { get; }

    public Enumerator GetEnumerator() => new(Fields);

    /// <summary>Finds the first field with id <paramref name="field"/>.</summary>
    public bool TryFind(OxmFieldId field, out OxmView view)
    {
        foreach (OxmView candidate in this)
        {
            if (candidate.BasicField == field)
            {
                view = candidate;
                return true;
            }
        }

        view = default;
        return false;
    }

    /// <summary>Copies the match into a <see cref="Match"/>.</summary>
    public Match ToMatch()
    {
        int count = 0;
        foreach (OxmView _ in this)
        {
            count++;
        }

        if (count == 0)
        {
            return Match.Any;
        }

        var fields = new OxmField[count];
        int index = 0;
        foreach (OxmView view in this)
        {
            fields[index++] = view.ToField();
        }

        return new Match(EquatableArray<OxmField>.FromOwned(fields));
    }

    /// <summary>
    /// Reads a match (section 7.2.3.1) and its padding, validating every TLV. Raises OFPET_BAD_MATCH
    /// with OFPBMC_BAD_TYPE, BAD_LEN or BAD_MASK.
    /// </summary>
    internal static MatchView Read(scoped ref WireReader reader)
    {
        const ushort badLen = (ushort)BadMatchCode.BadLen;
        if (reader.Remaining < Match.HeaderSize)
        {
            throw reader.Fail(
                OfpErrorType.BadMatch,
                badLen,
                $"{reader.Remaining} bytes left, too few for a match header");
        }

        ushort type = reader.PeekUInt16();
        ushort length = reader.PeekUInt16At(2);
        if (type != Match.TypeOxm)
        {
            throw reader.Fail(
                OfpErrorType.BadMatch,
                (ushort)BadMatchCode.BadType,
                $"match type {type} is not OFPMT_OXM");
        }

        int padded = Padding.To8(length);
        if (length < Match.HeaderSize || padded > reader.Remaining)
        {
            throw reader.Fail(
                OfpErrorType.BadMatch,
                badLen,
                $"match length {length} (padded {padded}) does not fit the {reader.Remaining} bytes left");
        }

        WireReader body = reader.ReadNested(padded, OfpErrorType.BadMatch, badLen);
        body.Skip(Match.HeaderSize);
        WireReader fields = body.ReadNested(length - Match.HeaderSize, OfpErrorType.BadMatch, badLen);
        ReadOnlySpan<byte> fieldBytes = fields.PeekBytes(fields.Remaining);
        while (!fields.IsEmpty)
        {
            OxmView.Read(ref fields, OfpErrorType.BadMatch, badLen, (ushort)BadMatchCode.BadMask);
        }

        return new MatchView(fieldBytes);
    }

    /// <summary>Enumerates the TLVs of a validated match.</summary>
    public ref struct Enumerator
    {
        private WireReader _reader;

        internal Enumerator(ReadOnlySpan<byte> fields)
        {
            _reader = new WireReader(fields, null, 0);
            Current = default;
        }

        public OxmView Current { get; private set; }

        public bool MoveNext()
        {
            if (_reader.IsEmpty)
            {
                return false;
            }

            Current = OxmView.Read(ref _reader, OfpErrorType.BadMatch, 0, 0);
            return true;
        }
    }
}
