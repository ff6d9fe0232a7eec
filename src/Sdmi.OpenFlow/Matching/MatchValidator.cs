namespace Sdmi.OpenFlow.Matching;

/// <summary>
/// Checks a match against the rules of OpenFlow 1.3.5 section 7.2.3.6: each basic field at most
/// once, every prerequisite present with an allowed value, and values within their field's range.
/// The decoder does not run these checks, because a controller must be able to read whatever a
/// switch reports; call <see cref="Validate"/> before sending a match.
/// </summary>
public static class MatchValidator
{
    /// <summary>
    /// Throws <see cref="OpenFlowProtocolException"/> with OFPBMC_DUP_FIELD, OFPBMC_BAD_PREREQ or
    /// OFPBMC_BAD_VALUE, and the byte offset of the offending field within the match.
    /// </summary>
    public static void Validate(Match match)
    {
        int offset = Match.HeaderSize;
        var seen = new HashSet<OxmFieldId>();
        foreach (OxmField field in match.Fields)
        {
            if (field.BasicField is { } id && OxmFieldTable.TryGet((byte)id, out OxmFieldInfo info))
            {
                if (!seen.Add(id))
                {
                    throw Fail(BadMatchCode.DupField, offset, $"field {id} appears more than once");
                }

                CheckValue(field, id, offset);
                if (info.Prerequisite is { } prerequisite)
                {
                    CheckPrerequisite(match, id, prerequisite, offset);
                }
            }

            offset += field.Length;
        }
    }

    /// <summary>Returns whether <paramref name="match"/> passes <see cref="Validate"/>.</summary>
    public static bool IsValid(Match match)
    {
        try
        {
            Validate(match);
            return true;
        }
        catch (OpenFlowProtocolException)
        {
            return false;
        }
    }

    private static void CheckPrerequisite(Match match, OxmFieldId id, OxmPrerequisite prerequisite, int offset)
    {
        OxmField? required = match.Find(prerequisite.Field);
        if (required is null)
        {
            throw Fail(BadMatchCode.BadPrereq, offset, $"field {id} requires a match on {prerequisite.Field}");
        }

        if (required.HasMask && required.MaskAsUInt64() != FullMask(required.Value.Count))
        {
            throw Fail(BadMatchCode.BadPrereq, offset, $"field {id} requires an exact match on {prerequisite.Field}");
        }

        ulong value = required.ValueAsUInt64();
        bool allowed = prerequisite.Values.IsEmpty
            ? prerequisite.Field != OxmFieldId.VlanVid || value != Oxm.VlanNone
            : prerequisite.Values.AsSpan().Contains(value);
        if (!allowed)
        {
            throw Fail(
                BadMatchCode.BadPrereq,
                offset,
                $"field {id} requires {prerequisite.Field} in [{string.Join(", ", prerequisite.Values)}], got {value}");
        }
    }

    private static void CheckValue(OxmField field, OxmFieldId id, int offset)
    {
        ulong maximum = id switch
        {
            OxmFieldId.VlanVid => 0x1fff,
            OxmFieldId.VlanPcp or OxmFieldId.MplsTc => 7,
            OxmFieldId.IpDscp => 63,
            OxmFieldId.IpEcn => 3,
            OxmFieldId.MplsBos => 1,
            OxmFieldId.Ipv6Flabel or OxmFieldId.MplsLabel => 0xfffff,
            OxmFieldId.Ipv6Exthdr => 0x1ff,
            _ => ulong.MaxValue,
        };
        if (maximum != ulong.MaxValue && field.ValueAsUInt64() > maximum)
        {
            throw Fail(BadMatchCode.BadValue, offset, $"field {id} value {field.ValueAsUInt64()} exceeds {maximum}");
        }
    }

    private static ulong FullMask(int bytes) => bytes >= 8 ? ulong.MaxValue : (1UL << (bytes * 8)) - 1;

    private static OpenFlowProtocolException Fail(BadMatchCode code, int offset, string reason) =>
        new(OfpErrorType.BadMatch, (ushort)code, null, 0, offset, reason);
}
