using Sdmi.OpenFlow.Wire;

namespace Sdmi.OpenFlow.Actions;

/// <summary>
/// OpenFlow 1.3 action types (section 7.2.5, <c>enum ofp_action_type</c>), OFPAT_* in PascalCase.
/// </summary>
public enum OfpActionType : ushort
{
    Output = 0,
    CopyTtlOut = 11,
    CopyTtlIn = 12,
    SetMplsTtl = 15,
    DecMplsTtl = 16,
    PushVlan = 17,
    PopVlan = 18,
    PushMpls = 19,
    PopMpls = 20,
    SetQueue = 21,
    Group = 22,
    SetNwTtl = 23,
    DecNwTtl = 24,
    SetField = 25,
    PushPbb = 26,
    PopPbb = 27,
    Experimenter = 0xffff,
}

/// <summary>
/// An action (section 7.2.5): a type, a length that is a multiple of 8 and covers the whole
/// action, then the type's fields.
/// </summary>
public abstract record OfpAction
{
    /// <summary>Size of the type and length fields.</summary>
    public const int HeaderSize = 4;

    private protected OfpAction()
    {
    }

    public abstract OfpActionType Type { get; }

    /// <summary>Encoded size in bytes, header and padding included.</summary>
    public abstract int Length { get; }

    /// <summary>Sum of the encoded sizes of <paramref name="actions"/>.</summary>
    public static int GetListLength(EquatableArray<OfpAction> actions)
    {
        int length = 0;
        foreach (OfpAction action in actions)
        {
            length += action.Length;
        }

        return length;
    }

    internal void Write(ref WireWriter writer)
    {
        int length = Length;
        if (length % 8 != 0 || length > ushort.MaxValue)
        {
            throw new InvalidOperationException($"{Type} action length {length} is not a multiple of 8 below 65536.");
        }

        writer.WriteUInt16((ushort)Type);
        writer.WriteUInt16((ushort)length);
        WriteBody(ref writer);
    }

    internal static void WriteList(ref WireWriter writer, EquatableArray<OfpAction> actions)
    {
        foreach (OfpAction action in actions)
        {
            action.Write(ref writer);
        }
    }

    /// <summary>Writes everything after the type and length fields.</summary>
    private protected abstract void WriteBody(ref WireWriter writer);

    /// <summary>Reads actions until <paramref name="reader"/> is empty.</summary>
    internal static EquatableArray<OfpAction> ReadList(ref WireReader reader)
    {
        if (reader.IsEmpty)
        {
            return EquatableArray<OfpAction>.Empty;
        }

        var actions = new List<OfpAction>();
        while (!reader.IsEmpty)
        {
            actions.Add(Read(ref reader));
        }

        return EquatableArray<OfpAction>.FromOwned([.. actions]);
    }

    internal static OfpAction Read(ref WireReader reader)
    {
        if (reader.Remaining < HeaderSize)
        {
            throw reader.Fail(
                OfpErrorType.BadAction,
                (ushort)BadActionCode.BadLen,
                $"{reader.Remaining} bytes left, too few for an action header");
        }

        var type = (OfpActionType)reader.PeekUInt16();
        ushort length = reader.PeekUInt16At(2);
        if (length < 8 || length % 8 != 0 || length > reader.Remaining)
        {
            throw reader.Fail(
                OfpErrorType.BadAction,
                (ushort)BadActionCode.BadLen,
                $"{type} action length {length} is not a multiple of 8 within the {reader.Remaining} bytes left");
        }

        WireReader body = reader.ReadNested(length, OfpErrorType.BadAction, (ushort)BadActionCode.BadLen);
        body.Skip(HeaderSize);
        return StandardActions.ReadBody(type, ref body);
    }

    /// <summary>Raises OFPBAC_BAD_LEN unless the action has the fixed size of its type.</summary>
    private protected static void RequireLength(ref WireReader body, OfpActionType type, int expected)
    {
        int actual = body.Remaining + HeaderSize;
        if (actual != expected)
        {
            throw body.FailLength($"{type} action has length {actual}, expected {expected}");
        }
    }
}
