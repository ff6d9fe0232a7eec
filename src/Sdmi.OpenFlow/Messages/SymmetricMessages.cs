using Sdmi.OpenFlow.Wire;

namespace Sdmi.OpenFlow.Messages;

// Section 7.5 of OpenFlow 1.3.5, "Symmetric Messages": HELLO, ECHO_REQUEST, ECHO_REPLY and
// EXPERIMENTER, plus the ERROR message of section 7.4.4.

/// <summary>OFPT_HELLO with its elements (section 7.5.1).</summary>
public sealed record HelloMessage(EquatableArray<HelloElement> Elements) : OpenFlowMessage
{
    /// <summary>
    /// Version from the header, the highest version the sender supports. A peer of another version
    /// may send it, so the decoder keeps it here.
    /// </summary>
    public byte Version { get; init; } = OfpHeader.Version13;

    public override OfpType Type => OfpType.Hello;

    private protected override byte HeaderVersion => Version;

    private protected override int BodyLength
    {
        get
        {
            int length = 0;
            foreach (HelloElement element in Elements)
            {
                length += Padding.To8(element.Length);
            }

            return length;
        }
    }

    /// <summary>A HELLO that offers OpenFlow 1.3 only, through a version bitmap element.</summary>
    public static HelloMessage Version13Only() => new([HelloVersionBitmap.ForVersions(OfpHeader.Version13)]);

    /// <summary>
    /// Returns whether the sender supports <paramref name="version"/>: from the version bitmap when
    /// present, else when the header version is at least that version.
    /// </summary>
    public bool SupportsVersion(byte version)
    {
        foreach (HelloElement element in Elements)
        {
            if (element is HelloVersionBitmap bitmap)
            {
                return bitmap.Contains(version);
            }
        }

        return Version >= version;
    }

    private protected override void WriteBody(ref WireWriter writer)
    {
        foreach (HelloElement element in Elements)
        {
            int start = writer.Position;
            writer.WriteUInt16(element.ElementType);
            writer.WriteUInt16((ushort)element.Length);
            element.WriteBody(ref writer);
            writer.PadTo8(start);
        }
    }

    internal static HelloMessage ReadBody(ref WireReader reader, byte version)
    {
        var elements = new List<HelloElement>();
        while (!reader.IsEmpty)
        {
            // A peer of a later version may add trailing bytes that are too short for an element.
            if (reader.Remaining < HelloElement.HeaderSize)
            {
                throw reader.FailLength($"{reader.Remaining} bytes left, too few for a hello element");
            }

            ushort type = reader.ReadUInt16();
            ushort length = reader.ReadUInt16();
            if (length < HelloElement.HeaderSize || length - HelloElement.HeaderSize > reader.Remaining)
            {
                throw reader.FailLength(
                    $"hello element length {length} does not fit the {reader.Remaining + 4} bytes left");
            }

            WireReader body = reader.ReadNested(
                length - HelloElement.HeaderSize, OfpErrorType.BadRequest, (ushort)BadRequestCode.BadLen);
            SkipPadding(ref reader, Padding.To8(length) - length);
            elements.Add(HelloElement.ReadBody(type, ref body));
        }

        return new HelloMessage(EquatableArray<HelloElement>.FromOwned([.. elements])) { Version = version };
    }

    /// <summary>
    /// Skips the zero padding after a hello element. Some implementations (loxigen's test data,
    /// for one) omit it, so bytes that are not all zero start the next element instead.
    /// </summary>
    private static void SkipPadding(ref WireReader reader, int padding)
    {
        if (padding <= reader.Remaining && reader.PeekBytes(padding).IndexOfAnyExcept((byte)0) < 0)
        {
            reader.Skip(padding);
        }
    }
}

/// <summary>
/// A hello element (<c>struct ofp_hello_elem_header</c>); padded to 8 bytes on the wire.
/// </summary>
public abstract record HelloElement
{
    public const int HeaderSize = 4;

    private protected HelloElement()
    {
    }

    public abstract ushort ElementType { get; }

    /// <summary>Value of the element's length field: header and body, no padding.</summary>
    public abstract int Length { get; }

    internal abstract void WriteBody(ref WireWriter writer);

    internal static HelloElement ReadBody(ushort type, ref WireReader body)
    {
        if (type != HelloVersionBitmap.TypeVersionBitmap)
        {
            return new UnknownHelloElement(type, new EquatableArray<byte>(body.ReadRemaining()));
        }

        if (body.Remaining % 4 != 0)
        {
            throw body.FailLength($"version bitmap of {body.Remaining} bytes is not a whole number of 32-bit words");
        }

        uint[] bitmaps = new uint[body.Remaining / 4];
        for (int i = 0; i < bitmaps.Length; i++)
        {
            bitmaps[i] = body.ReadUInt32();
        }

        return new HelloVersionBitmap(EquatableArray<uint>.FromOwned(bitmaps));
    }
}

/// <summary>
/// OFPHET_VERSIONBITMAP: bit n of the bitmap words is set when version n is supported.
/// </summary>
public sealed record HelloVersionBitmap(EquatableArray<uint> Bitmaps) : HelloElement
{
    public const ushort TypeVersionBitmap = 1;

    public override ushort ElementType => TypeVersionBitmap;

    public override int Length => HeaderSize + (4 * Bitmaps.Count);

    public static HelloVersionBitmap ForVersions(params ReadOnlySpan<byte> versions)
    {
        int maxVersion = 0;
        foreach (byte version in versions)
        {
            maxVersion = Math.Max(maxVersion, version);
        }

        uint[] bitmaps = new uint[(maxVersion / 32) + 1];
        foreach (byte version in versions)
        {
            bitmaps[version / 32] |= 1u << (version % 32);
        }

        return new HelloVersionBitmap(EquatableArray<uint>.FromOwned(bitmaps));
    }

    public bool Contains(byte version)
    {
        int word = version / 32;
        return word < Bitmaps.Count && (Bitmaps[word] & (1u << (version % 32))) != 0;
    }

    internal override void WriteBody(ref WireWriter writer)
    {
        foreach (uint bitmap in Bitmaps)
        {
            writer.WriteUInt32(bitmap);
        }
    }
}

/// <summary>A hello element of a type this library does not know, kept as raw bytes.</summary>
public sealed record UnknownHelloElement(ushort Type, EquatableArray<byte> Body) : HelloElement
{
    public override ushort ElementType => Type;

    public override int Length => HeaderSize + Body.Count;

    internal override void WriteBody(ref WireWriter writer) => writer.WriteBytes(Body.AsSpan());
}

/// <summary>OFPT_ECHO_REQUEST with arbitrary payload (section 7.5.2).</summary>
public sealed record EchoRequest(EquatableArray<byte> Data = default) : OpenFlowMessage
{
    public override OfpType Type => OfpType.EchoRequest;

    private protected override int BodyLength => Data.Count;

    private protected override void WriteBody(ref WireWriter writer) => writer.WriteBytes(Data.AsSpan());
}

/// <summary>
/// OFPT_ECHO_REPLY, which carries the payload of the request unchanged (section 7.5.3).
/// </summary>
public sealed record EchoReply(EquatableArray<byte> Data = default) : OpenFlowMessage
{
    public override OfpType Type => OfpType.EchoReply;

    private protected override int BodyLength => Data.Count;

    private protected override void WriteBody(ref WireWriter writer) => writer.WriteBytes(Data.AsSpan());
}

/// <summary>
/// OFPT_ERROR (section 7.4.4). For <see cref="OfpErrorType.Experimenter"/> errors, <see cref="Code"/>
/// is the experimenter-defined exp_type and <see cref="Experimenter"/> the experimenter id.
/// <see cref="Data"/> usually contains the start of the failed request.
/// </summary>
public sealed record ErrorMessage(OfpErrorType ErrorType, ushort Code, EquatableArray<byte> Data = default)
    : OpenFlowMessage
{
    /// <summary>
    /// How many bytes of the failed request an error carries, as the spec requires at minimum.
    /// </summary>
    public const int RequestBytesToEcho = 64;

    /// <summary>Experimenter id of an OFPET_EXPERIMENTER error; 0 for other types.</summary>
    public uint Experimenter { get; init; }

    public override OfpType Type => OfpType.Error;

    private protected override int BodyLength => 4 + (IsExperimenter ? 4 : 0) + Data.Count;

    private bool IsExperimenter => ErrorType == OfpErrorType.Experimenter;

    /// <summary>
    /// Builds the error reply to <paramref name="request"/>, echoing its first 64 bytes and xid.
    /// </summary>
    public static ErrorMessage ForRequest(OfpErrorType type, ushort code, ReadOnlySpan<byte> request, uint xid)
    {
        ReadOnlySpan<byte> echoed = request[..Math.Min(request.Length, RequestBytesToEcho)];
        return new ErrorMessage(type, code, new EquatableArray<byte>(echoed)) { Xid = xid };
    }

    /// <summary>
    /// Reads the header of the failed request from <see cref="Data"/>, when it has 8 bytes or more.
    /// </summary>
    public bool TryGetFailedRequestHeader(out OfpHeader header) =>
        OfpHeader.TryRead(Data.AsSpan(), out header) == System.Buffers.OperationStatus.Done;

    private protected override void WriteBody(ref WireWriter writer)
    {
        writer.WriteUInt16((ushort)ErrorType);
        writer.WriteUInt16(Code);
        if (IsExperimenter)
        {
            writer.WriteUInt32(Experimenter);
        }

        writer.WriteBytes(Data.AsSpan());
    }

    internal static ErrorMessage ReadBody(ref WireReader reader)
    {
        var type = (OfpErrorType)reader.ReadUInt16();
        ushort code = reader.ReadUInt16();
        uint experimenter = type == OfpErrorType.Experimenter ? reader.ReadUInt32() : 0;
        var data = new EquatableArray<byte>(reader.ReadRemaining());
        return new ErrorMessage(type, code, data) { Experimenter = experimenter };
    }

    public override string ToString() =>
        $"ErrorMessage {{ Xid = {Xid}, ErrorType = {ErrorType}, Code = {Code}, Data = {Data.Count} bytes }}";
}

/// <summary>
/// OFPT_EXPERIMENTER kept as raw bytes (section 7.5.4). ONF bundle messages decode to
/// <see cref="BundleControlMessage"/> and <see cref="BundleAddMessage"/> instead.
/// </summary>
public sealed record ExperimenterMessage(uint Experimenter, uint ExperimenterType, EquatableArray<byte> Data)
    : OpenFlowMessage
{
    public const int FixedBodySize = 8;

    public override OfpType Type => OfpType.Experimenter;

    private protected override int BodyLength => FixedBodySize + Data.Count;

    private protected override void WriteBody(ref WireWriter writer)
    {
        writer.WriteUInt32(Experimenter);
        writer.WriteUInt32(ExperimenterType);
        writer.WriteBytes(Data.AsSpan());
    }
}
