using Sdmi.OpenFlow.Messages;

namespace Sdmi.OpenFlow.Connection;

/// <summary>
/// A request that waits for its reply. It completes when a message with
/// <see cref="CompletionXid"/> arrives (after the last part of a multipart reply), and fails
/// when an OFPT_ERROR arrives with the xid of any message in <see cref="SentMessages"/>.
/// </summary>
internal sealed class PendingOperation
{
    private readonly TaskCompletionSource<IReadOnlyList<OpenFlowMessage>> _completion =
        new(TaskCreationOptions.RunContinuationsAsynchronously);

    private readonly List<OpenFlowMessage> _replies = [];

    public PendingOperation(IReadOnlyList<OpenFlowMessage> sentMessages, uint completionXid, bool collectsMultipart)
    {
        SentMessages = sentMessages;
        CompletionXid = completionXid;
        CollectsMultipart = collectsMultipart;
        ReplyType = GetReplyType(sentMessages[^1].Type);
    }

    /// <summary>
    /// Type of the message that completes the operation, from the type of the last message sent.
    /// </summary>
    public OfpType ReplyType { get; }

    /// <summary>
    /// Messages whose errors fail this operation; the last one is the one replied to.
    /// </summary>
    public IReadOnlyList<OpenFlowMessage> SentMessages { get; }

    public uint CompletionXid { get; }

    public bool CollectsMultipart { get; }

    public Task<IReadOnlyList<OpenFlowMessage>> Task => _completion.Task;

    public OpenFlowMessage? FindSent(uint xid) => SentMessages.FirstOrDefault(message => message.Xid == xid);

    /// <summary>
    /// Adds a reply and returns whether the operation is complete. Multipart parts with
    /// OFPMPF_REPLY_MORE are collected until the last one.
    /// </summary>
    public bool AddReply(OpenFlowMessage reply)
    {
        _replies.Add(reply);
        if (CollectsMultipart && reply is MultipartReply { HasMore: true })
        {
            return false;
        }

        _completion.TrySetResult(_replies);
        return true;
    }

    public void Fail(Exception exception) => _completion.TrySetException(exception);

    /// <summary>
    /// Returns the reply type of a request type. Experimenter requests, such as bundle control,
    /// get experimenter messages as replies.
    /// </summary>
    private static OfpType GetReplyType(OfpType request) => request switch
    {
        OfpType.EchoRequest => OfpType.EchoReply,
        OfpType.FeaturesRequest => OfpType.FeaturesReply,
        OfpType.GetConfigRequest => OfpType.GetConfigReply,
        OfpType.MultipartRequest => OfpType.MultipartReply,
        OfpType.BarrierRequest => OfpType.BarrierReply,
        OfpType.QueueGetConfigRequest => OfpType.QueueGetConfigReply,
        OfpType.RoleRequest => OfpType.RoleReply,
        OfpType.GetAsyncRequest => OfpType.GetAsyncReply,
        OfpType.Experimenter => OfpType.Experimenter,
        _ => throw new ArgumentException(
            $"{request} has no reply; send it with SendAsync or SendAndConfirmAsync.", nameof(request)),
    };
}
