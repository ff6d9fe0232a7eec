using CsCheck;
using Sdmi.OpenFlow.Actions;
using Sdmi.OpenFlow.Instructions;
using Sdmi.OpenFlow.Matching;
using Sdmi.OpenFlow.Messages;

namespace Sdmi.OpenFlow.Tests.Properties;

/// <summary>
/// CsCheck generators of valid messages: every generated message encodes, and decoding the
/// encoding yields an equal message. Lists are kept short so messages stay far below 65535 bytes.
/// </summary>
internal static class MessageGenerators
{
    public static readonly Gen<byte[]> SmallBytes = Gen.Byte.Array[0, 24];

    public static readonly Gen<OxmField> BasicOxm =
        Gen.Enum<OxmFieldId>().SelectMany(id =>
        {
            OxmFieldInfo info = OxmFieldTable.Get(id);
            Gen<byte[]> bytes = Gen.Byte.Array[info.Size];
            Gen<OxmField> exact = bytes.Select(value => new OxmField(OxmClass.OpenFlowBasic, (byte)id, value));
            if (!info.Maskable)
            {
                return exact;
            }

            Gen<OxmField> masked = Gen.Select(bytes, bytes, (value, mask) =>
                new OxmField(OxmClass.OpenFlowBasic, (byte)id, value, mask));
            return Gen.OneOf(exact, masked);
        });

    public static readonly Gen<OxmField> UnmaskedBasicOxm = Gen.Enum<OxmFieldId>().SelectMany(id =>
        Gen.Byte.Array[OxmFieldTable.Get(id).Size].Select(value => new OxmField(
            OxmClass.OpenFlowBasic,
            (byte)id,
            value)));

    /// <summary>
    /// Nicira registers (NXM_NX_REG0-15, 4 bytes) and experimenter-class fields kept opaque.
    /// </summary>
    public static readonly Gen<OxmField> OpaqueOxm = Gen.OneOf(
        Gen.Select(
            Gen.Byte[0, 15],
            Gen.Byte.Array[4],
            (register, value) => new OxmField(OxmClass.Nxm1, register, value)),
        Gen.Select(Gen.Byte[0, 127], Gen.Byte.Array[4, 12], (field, payload) =>
            new OxmField(OxmClass.Experimenter, field, payload)));

    public static readonly Gen<Match> Match =
        Gen.Frequency((4, BasicOxm), (1, OpaqueOxm)).Array[0, 5].Select(fields => new Match(fields));

    public static readonly Gen<OfpAction> Action = Gen.OneOf<OfpAction>(
        Gen.Select(Gen.UInt, Gen.UShort, (port, maxLength) => new OutputAction(port, maxLength)),
        Gen.UInt.Select(id => new GroupAction(id)),
        Gen.UInt.Select(id => new SetQueueAction(id)),
        Gen.Byte.Select(ttl => new SetMplsTtlAction(ttl)),
        Gen.Byte.Select(ttl => new SetNwTtlAction(ttl)),
        Gen.OneOf<OfpAction>(SimpleAction.CopyTtlOut, SimpleAction.CopyTtlIn, SimpleAction.DecMplsTtl,
            SimpleAction.PopVlan, SimpleAction.DecNwTtl, SimpleAction.PopPbb),
        Gen.UShort.Select(etherType => (OfpAction)EtherTypeAction.PushVlan(etherType)),
        Gen.UShort.Select(etherType => (OfpAction)EtherTypeAction.PopMpls(etherType)),
        Gen.UShort.Select(etherType => (OfpAction)EtherTypeAction.PushPbb(etherType)),
        UnmaskedBasicOxm.Select(field => new SetFieldAction(field)),
        Gen.Select(Gen.UInt.Where(id => id != ExperimenterIds.Nicira), Gen.Int[0, 3], Gen.Byte,
            (id, words, fill) => new ExperimenterAction(id, Enumerable.Repeat(fill, words * 8).ToArray())),
        Gen.Select(Gen.UShort, Gen.UShort, Gen.UShort, Gen.Select(Gen.UInt[0, 0xfffe_ffff], Gen.UInt[0, 0xfffe_ffff]),
            (bits, source, destination, fields) =>
                new NxRegMoveAction(bits, source, destination, fields.Item1, fields.Item2)));

    public static readonly Gen<EquatableArray<OfpAction>> Actions =
        Action.Array[0, 4].Select(actions => new EquatableArray<OfpAction>(actions));

    public static readonly Gen<OfpInstruction> Instruction = Gen.OneOf<OfpInstruction>(
        Gen.Byte.Select(table => new GotoTableInstruction(table)),
        Gen.Select(Gen.ULong, Gen.ULong, (metadata, mask) => new WriteMetadataInstruction(metadata, mask)),
        Action.Array[0, 3].Select(actions => (OfpInstruction)ActionsInstruction.Apply(actions)),
        Action.Array[0, 3].Select(actions => (OfpInstruction)ActionsInstruction.Write(actions)),
        Gen.Const<OfpInstruction>(ActionsInstruction.ClearActions),
        Gen.UInt.Select(meter => new MeterInstruction(meter)),
        Gen.Select(Gen.UInt, Gen.Int[0, 2], (id, words) => new ExperimenterInstruction(id, new byte[words * 8])));

    public static readonly Gen<EquatableArray<OfpInstruction>> Instructions =
        Instruction.Array[0, 3].Select(instructions => new EquatableArray<OfpInstruction>(instructions));

    public static readonly Gen<string> ShortName =
        Gen.Char['a', 'z'].Array[0, 15].Select(chars => new string(chars));

    public static readonly Gen<PortDescription> Port =
        Gen.Select(Gen.UInt, Gen.ULong[0, 0xffff_ffff_ffff], ShortName, Gen.UInt, Gen.UInt)
            .Select((number, mac, name, config, speed) => new PortDescription(
                number, new MacAddress(mac), name, (PortConfig)config, (PortState)(config >> 3),
                PortFeatures.Rate10GbFd, PortFeatures.None, (PortFeatures)config, PortFeatures.Copper, speed,
                speed / 2));

    public static readonly Gen<FlowMod> FlowMod =
        Gen.Select(Gen.ULong, Gen.ULong, Gen.Byte, Gen.Byte[0, 4], Gen.UShort, Gen.UInt, Gen.UInt, Gen.UShort[0, 31])
            .SelectMany(fields => Gen.Select(Match, Instructions, Gen.UInt, (match, instructions, xid) => new FlowMod
            {
                Xid = xid,
                Cookie = fields.Item1,
                CookieMask = fields.Item2,
                TableId = fields.Item3,
                Command = (FlowModCommand)fields.Item4,
                IdleTimeout = fields.Item5,
                HardTimeout = (ushort)(fields.Item5 / 2),
                Priority = (ushort)fields.Item6,
                BufferId = fields.Item6,
                OutPort = fields.Item7,
                OutGroup = fields.Item7 ^ 1,
                Flags = (FlowModFlags)fields.Item8,
                Match = match,
                Instructions = instructions,
            }));

    public static readonly Gen<PacketIn> PacketIn =
        Gen.Select(Gen.UInt, Gen.UShort, Gen.Byte[0, 2], Gen.Byte, Gen.ULong, Match, Gen.Byte.Array[0, 128])
            .Select((buffer, total, reason, table, cookie, match, data) =>
                new PacketIn(buffer, total, (PacketInReason)reason, table, cookie, match, data));

    public static readonly Gen<FlowStats> FlowStats =
        Gen.Select(Gen.Byte, Gen.UInt, Gen.UShort, Gen.ULong, Match, Instructions)
            .Select((table, seconds, priority, count, match, instructions) => new FlowStats(
                table, seconds, seconds / 3, priority, (ushort)(priority / 2), 0, FlowModFlags.SendFlowRemoved,
                count, count / 7, count / 11, match, instructions));

    public static readonly Gen<FlowStatsReply> FlowStatsReply =
        Gen.Select(FlowStats.Array[0, 4], Gen.Bool, Gen.UInt, (stats, more, xid) => new FlowStatsReply(stats)
        {
            Xid = xid,
            Flags = more ? MultipartReplyFlags.More : MultipartReplyFlags.None,
        });

    public static readonly Gen<MeterBand> MeterBand = Gen.OneOf<MeterBand>(
        Gen.Select(Gen.UInt, Gen.UInt, (rate, burst) => new DropBand(rate, burst)),
        Gen.Select(Gen.UInt, Gen.UInt, Gen.Byte, (rate, burst, level) => new DscpRemarkBand(rate, burst, level)),
        Gen.Select(Gen.UInt, Gen.UInt, Gen.UInt, Gen.Int[0, 2],
            (rate, burst, id, words) => new ExperimenterBand(rate, burst, id, new byte[words * 8])));

    public static readonly Gen<OpenFlowMessage> Message = Gen.OneOf<OpenFlowMessage>(
        FlowMod.Select(message => (OpenFlowMessage)message),
        PacketIn.Select(message => (OpenFlowMessage)message),
        FlowStatsReply.Select(message => (OpenFlowMessage)message),
        Gen.Select(Actions, Gen.Byte.Array[0, 64], Gen.UInt, Gen.UInt,
            (actions, data, port, buffer) => (OpenFlowMessage)new PacketOut(actions, data, port, buffer)),
        Gen.Select(Gen.ULong, Gen.UShort, Gen.Byte[0, 3], Gen.UInt, Gen.ULong, Match)
            .Select((cookie, priority, reason, seconds, count, match) => (OpenFlowMessage)new FlowRemoved(
                cookie, priority, (FlowRemovedReason)reason, 1, seconds, seconds / 2, priority, 0, count, count / 3,
                match)),
        Gen.Select(Gen.Byte[0, 2], Gen.Byte[0, 3], Gen.UInt,
                Gen.Select(
                    Actions,
                    Gen.UShort,
                    Gen.UInt).Select((actions, weight, watch) => new Bucket(actions, weight, watch)).Array[0, 3])
            .Select((command, type, id, buckets) =>
                (OpenFlowMessage)new GroupMod((GroupModCommand)command, (GroupType)type, id, buckets)),
        Gen.Select(
            Gen.Byte[0, 2],
            Port,
            (reason, port) => (OpenFlowMessage)new PortStatus((PortStatusReason)reason, port)),
        Port.Array[0, 3].Select(ports => (OpenFlowMessage)new PortDescReply(ports)),
        SmallBytes.Select(data => (OpenFlowMessage)new EchoRequest(data)),
        SmallBytes.Select(data => (OpenFlowMessage)new EchoReply(data)),
        Gen.Select(Gen.UShort[0, 13], Gen.UShort, SmallBytes,
            (type, code, data) => (OpenFlowMessage)new ErrorMessage((OfpErrorType)type, code, data)),
        Gen.Select(Gen.UShort, Gen.UInt, SmallBytes, (code, experimenter, data) =>
            (OpenFlowMessage)new ErrorMessage(OfpErrorType.Experimenter, code, data) { Experimenter = experimenter }),
        Gen.UInt.Array[1, 3].Select(bitmaps => (OpenFlowMessage)new HelloMessage([new HelloVersionBitmap(bitmaps)])),
        Gen.Select(Gen.ULong, Gen.UInt, Gen.Byte, Gen.UInt).Select((dpid, buffers, tables, capabilities) =>
            (OpenFlowMessage)new FeaturesReply(dpid, buffers, tables, 0, (SwitchCapabilities)capabilities)),
        Gen.Select(Gen.UInt[0, 3], Gen.ULong, (role, generation) =>
            (OpenFlowMessage)new RoleRequest((ControllerRole)role, generation)),
        Gen.Select(Gen.UInt, Gen.UShort[0, 7], Gen.UShort[0, 3], (id, type, flags) =>
            (OpenFlowMessage)new BundleControlMessage(id, (BundleControlType)type, (BundleFlags)flags)),
        Gen.Select(Gen.UInt, FlowMod, (id, flowMod) =>
            (OpenFlowMessage)BundleAddMessage.Create(id, BundleFlags.Atomic, flowMod)),
        Gen.Select(
            Gen.UShort[0, 2],
            Gen.UShort[0, 13].Where(flags => (flags & 3) != 3),
            Gen.UInt,
            MeterBand.Array[0, 3])
            .Select((command, flags, id, bands) =>
                (OpenFlowMessage)new MeterMod((MeterModCommand)command, (MeterFlags)flags, id, bands)),
        Gen.Select(Gen.UInt, Gen.ULong[0, 0xffff_ffff_ffff], Gen.UInt, Gen.UInt).Select((port, mac, config, mask) =>
            (OpenFlowMessage)new PortMod(
                port,
                new MacAddress(mac),
                (PortConfig)config,
                (PortConfig)mask,
                PortFeatures.Fiber)),
        Gen.Select(Gen.Byte, Gen.UInt, (table, config) => (OpenFlowMessage)new TableMod(table, config)),
        Gen.UInt.Array[6].Select(masks =>
            (OpenFlowMessage)new SetAsync(masks[0], masks[1], masks[2], masks[3], masks[4], masks[5])),
        Gen.Select(ShortName, ShortName, (manufacturer, software) =>
            (OpenFlowMessage)new DescReply(manufacturer, "hw", software, "1234", "dp")),
        Gen.Select(Match, Gen.Byte, (match, table) =>
            (OpenFlowMessage)new AggregateStatsRequest { Match = match, TableId = table }),
        Gen.Select(Gen.UInt, Gen.UShort, (port, rate) => (OpenFlowMessage)new QueueGetConfigReply(port,
            [new PacketQueue(1, port, [QueueProperty.MinRate(rate), QueueProperty.MaxRate(rate)])])));
}
