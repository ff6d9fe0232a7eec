namespace Sdmi.OpenFlow;

/// <summary>Names of OFPET_* error codes for messages and logs.</summary>
public static class ErrorCodeNames
{
    /// <summary>
    /// Returns the code's enum name for its error type, or the number when the code is unknown.
    /// </summary>
    public static string Describe(OfpErrorType type, ushort code)
    {
        Type? codeType = type switch
        {
            OfpErrorType.HelloFailed => typeof(HelloFailedCode),
            OfpErrorType.BadRequest => typeof(BadRequestCode),
            OfpErrorType.BadAction => typeof(BadActionCode),
            OfpErrorType.BadInstruction => typeof(BadInstructionCode),
            OfpErrorType.BadMatch => typeof(BadMatchCode),
            OfpErrorType.FlowModFailed => typeof(FlowModFailedCode),
            OfpErrorType.GroupModFailed => typeof(GroupModFailedCode),
            OfpErrorType.PortModFailed => typeof(PortModFailedCode),
            OfpErrorType.TableModFailed => typeof(TableModFailedCode),
            OfpErrorType.SwitchConfigFailed => typeof(SwitchConfigFailedCode),
            OfpErrorType.RoleRequestFailed => typeof(RoleRequestFailedCode),
            OfpErrorType.MeterModFailed => typeof(MeterModFailedCode),
            OfpErrorType.TableFeaturesFailed => typeof(TableFeaturesFailedCode),
            OfpErrorType.QueueOpFailed => typeof(QueueOpFailedCode),
            _ => null,
        };

        string? name = codeType is null ? null : Enum.GetName(codeType, code);
        return name ?? code.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
