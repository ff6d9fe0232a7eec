namespace Sdmi.OpenFlow;

// OpenFlow 1.3.5 section A.4.4, "Error Message". Member names are the spec's OFPET_* and
// per-type code names in PascalCase.

/// <summary>OFPET_* error types.</summary>
public enum OfpErrorType : ushort
{
    HelloFailed = 0,
    BadRequest = 1,
    BadAction = 2,
    BadInstruction = 3,
    BadMatch = 4,
    FlowModFailed = 5,
    GroupModFailed = 6,
    PortModFailed = 7,
    TableModFailed = 8,
    QueueOpFailed = 9,
    SwitchConfigFailed = 10,
    RoleRequestFailed = 11,
    MeterModFailed = 12,
    TableFeaturesFailed = 13,
    Experimenter = 0xffff,
}

/// <summary>OFPHFC_* codes for <see cref="OfpErrorType.HelloFailed"/>.</summary>
public enum HelloFailedCode : ushort
{
    Incompatible = 0,
    EPerm = 1,
}

/// <summary>OFPBRC_* codes for <see cref="OfpErrorType.BadRequest"/>.</summary>
public enum BadRequestCode : ushort
{
    BadVersion = 0,
    BadType = 1,
    BadMultipart = 2,
    BadExperimenter = 3,
    BadExpType = 4,
    EPerm = 5,
    BadLen = 6,
    BufferEmpty = 7,
    BufferUnknown = 8,
    BadTableId = 9,
    IsSlave = 10,
    BadPort = 11,
    BadPacket = 12,
    MultipartBufferOverflow = 13,
}

/// <summary>OFPBAC_* codes for <see cref="OfpErrorType.BadAction"/>.</summary>
public enum BadActionCode : ushort
{
    BadType = 0,
    BadLen = 1,
    BadExperimenter = 2,
    BadExpType = 3,
    BadOutPort = 4,
    BadArgument = 5,
    EPerm = 6,
    TooMany = 7,
    BadQueue = 8,
    BadOutGroup = 9,
    MatchInconsistent = 10,
    UnsupportedOrder = 11,
    BadTag = 12,
    BadSetType = 13,
    BadSetLen = 14,
    BadSetArgument = 15,
}

/// <summary>OFPBIC_* codes for <see cref="OfpErrorType.BadInstruction"/>.</summary>
public enum BadInstructionCode : ushort
{
    UnknownInstruction = 0,
    UnsupportedInstruction = 1,
    BadTableId = 2,
    UnsupportedMetadata = 3,
    UnsupportedMetadataMask = 4,
    BadExperimenter = 5,
    BadExpType = 6,
    BadLen = 7,
    EPerm = 8,
}

/// <summary>OFPBMC_* codes for <see cref="OfpErrorType.BadMatch"/>.</summary>
public enum BadMatchCode : ushort
{
    BadType = 0,
    BadLen = 1,
    BadTag = 2,
    BadDlAddrMask = 3,
    BadNwAddrMask = 4,
    BadWildcards = 5,
    BadField = 6,
    BadValue = 7,
    BadMask = 8,
    BadPrereq = 9,
    DupField = 10,
    EPerm = 11,
}

/// <summary>OFPFMFC_* codes for <see cref="OfpErrorType.FlowModFailed"/>.</summary>
public enum FlowModFailedCode : ushort
{
    Unknown = 0,
    TableFull = 1,
    BadTableId = 2,
    Overlap = 3,
    EPerm = 4,
    BadTimeout = 5,
    BadCommand = 6,
    BadFlags = 7,
}

/// <summary>OFPGMFC_* codes for <see cref="OfpErrorType.GroupModFailed"/>.</summary>
public enum GroupModFailedCode : ushort
{
    GroupExists = 0,
    InvalidGroup = 1,
    WeightUnsupported = 2,
    OutOfGroups = 3,
    OutOfBuckets = 4,
    ChainingUnsupported = 5,
    WatchUnsupported = 6,
    Loop = 7,
    UnknownGroup = 8,
    ChainedGroup = 9,
    BadType = 10,
    BadCommand = 11,
    BadBucket = 12,
    BadWatch = 13,
    EPerm = 14,
}

/// <summary>OFPPMFC_* codes for <see cref="OfpErrorType.PortModFailed"/>.</summary>
public enum PortModFailedCode : ushort
{
    BadPort = 0,
    BadHwAddr = 1,
    BadConfig = 2,
    BadAdvertise = 3,
    EPerm = 4,
}

/// <summary>OFPTMFC_* codes for <see cref="OfpErrorType.TableModFailed"/>.</summary>
public enum TableModFailedCode : ushort
{
    BadTable = 0,
    BadConfig = 1,
    EPerm = 2,
}

/// <summary>OFPSCFC_* codes for <see cref="OfpErrorType.SwitchConfigFailed"/>.</summary>
public enum SwitchConfigFailedCode : ushort
{
    BadFlags = 0,
    BadLen = 1,
    EPerm = 2,
}

/// <summary>OFPRRFC_* codes for <see cref="OfpErrorType.RoleRequestFailed"/>.</summary>
public enum RoleRequestFailedCode : ushort
{
    Stale = 0,
    Unsupported = 1,
    BadRole = 2,
}

/// <summary>OFPMMFC_* codes for <see cref="OfpErrorType.MeterModFailed"/>.</summary>
public enum MeterModFailedCode : ushort
{
    Unknown = 0,
    MeterExists = 1,
    InvalidMeter = 2,
    UnknownMeter = 3,
    BadCommand = 4,
    BadFlags = 5,
    BadRate = 6,
    BadBurst = 7,
    BadBand = 8,
    BadBandValue = 9,
    OutOfMeters = 10,
    OutOfBands = 11,
}

/// <summary>OFPTFFC_* codes for <see cref="OfpErrorType.TableFeaturesFailed"/>.</summary>
public enum TableFeaturesFailedCode : ushort
{
    BadTable = 0,
    BadMetadata = 1,
    BadType = 2,
    BadLen = 3,
    BadArgument = 4,
    EPerm = 5,
}

/// <summary>OFPQOFC_* codes for <see cref="OfpErrorType.QueueOpFailed"/>.</summary>
public enum QueueOpFailedCode : ushort
{
    BadPort = 0,
    BadQueue = 1,
    EPerm = 2,
}
