using Sdmi.OpenFlow.Messages;

namespace Sdmi.OpenFlow.Connection;

/// <summary>
/// The switch replied to a request with OFPT_ERROR. <see cref="Error"/> is the decoded error, and
/// <see cref="FailedRequest"/> the message whose xid it carried, when this connection sent it.
/// Retrying the same request fails again unless the switch state changes.
/// </summary>
public sealed class OpenFlowErrorReplyException : Exception
{
    public OpenFlowErrorReplyException(ErrorMessage error, OpenFlowMessage? failedRequest)
        : base(FormatMessage(error, failedRequest))
    {
        Error = error;
        FailedRequest = failedRequest;
    }

    public ErrorMessage Error { get; }

    public OpenFlowMessage? FailedRequest { get; }

    private static string FormatMessage(ErrorMessage error, OpenFlowMessage? failedRequest)
    {
        string request = failedRequest is null ? "request" : $"{failedRequest.Type} request";
        return $"Switch rejected the {request} with xid {error.Xid}: " +
            $"{error.ErrorType} code {error.Code} ({ErrorCodeNames.Describe(error.ErrorType, error.Code)}).";
    }
}
