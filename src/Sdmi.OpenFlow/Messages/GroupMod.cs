using Sdmi.OpenFlow.Actions;
using Sdmi.OpenFlow.Wire;

namespace Sdmi.OpenFlow.Messages;

/// <summary>OFPGC_* group commands.</summary>
public enum GroupModCommand : ushort
{
    Add = 0,
    Modify = 1,
    Delete = 2,
}

/// <summary>OFPGT_* group types.</summary>
public enum GroupType : byte
{
    All = 0,
    Select = 1,
    Indirect = 2,
    FastFailover = 3,
}

/// <summary>
/// A group bucket (section 7.3.4.2, <c>struct ofp_bucket</c>): 16 bytes of fixed fields, then actions.
/// </summary>
public sealed record Bucket(
    EquatableArray<OfpAction> Actions,
    ushort Weight = 0,
    uint WatchPort = OfpPortNo.Any,
    uint WatchGroup = OfpGroupId.Any)
{
    public const int FixedSize = 16;

    public int Length => FixedSize + OfpAction.GetListLength(Actions);

    internal void Write(ref WireWriter writer)
    {
        writer.WriteUInt16((ushort)Length);
        writer.WriteUInt16(Weight);
        writer.WriteUInt32(WatchPort);
        writer.WriteUInt32(WatchGroup);
        writer.WriteZeros(4);
        OfpAction.WriteList(ref writer, Actions);
    }

    internal static EquatableArray<Bucket> ReadList(ref WireReader reader)
    {
        var buckets = new List<Bucket>();
        while (!reader.IsEmpty)
        {
            ushort length = reader.PeekUInt16();
            if (length < FixedSize || length > reader.Remaining)
            {
                throw reader.Fail(
                    OfpErrorType.GroupModFailed,
                    (ushort)GroupModFailedCode.BadBucket,
                    $"bucket length {length} does not fit the {reader.Remaining} bytes left");
            }

            WireReader body = reader.ReadNested(length, OfpErrorType.BadRequest, (ushort)BadRequestCode.BadLen);
            body.Skip(2);
            ushort weight = body.ReadUInt16();
            uint watchPort = body.ReadUInt32();
            uint watchGroup = body.ReadUInt32();
            body.Skip(4);
            buckets.Add(new Bucket(OfpAction.ReadList(ref body), weight, watchPort, watchGroup));
        }

        return EquatableArray<Bucket>.FromOwned([.. buckets]);
    }
}

/// <summary>OFPT_GROUP_MOD (section 7.3.4.2, <c>struct ofp_group_mod</c>).</summary>
public sealed record GroupMod(
    GroupModCommand Command,
    GroupType GroupType,
    uint GroupId,
    EquatableArray<Bucket> Buckets) : OpenFlowMessage
{
    public const int FixedBodySize = 8;

    public override OfpType Type => OfpType.GroupMod;

    private protected override int BodyLength
    {
        get
        {
            int length = FixedBodySize;
            foreach (Bucket bucket in Buckets)
            {
                length += bucket.Length;
            }

            return length;
        }
    }

    private protected override void WriteBody(ref WireWriter writer)
    {
        writer.WriteUInt16((ushort)Command);
        writer.WriteUInt8((byte)GroupType);
        writer.WriteZeros(1);
        writer.WriteUInt32(GroupId);
        foreach (Bucket bucket in Buckets)
        {
            bucket.Write(ref writer);
        }
    }

    internal static GroupMod ReadBody(ref WireReader reader)
    {
        var command = (GroupModCommand)reader.ReadUInt16();
        var type = (GroupType)reader.ReadUInt8();
        reader.Skip(1);
        uint groupId = reader.ReadUInt32();
        return new GroupMod(command, type, groupId, Bucket.ReadList(ref reader));
    }
}
