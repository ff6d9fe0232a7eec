using Akka.Actor;

namespace Sdmi.Node.Hosting;

/// <summary>
/// Ask for idempotent requests to a cluster singleton or a shard region. A message sent to a node
/// that has just died is lost without an error, so a single Ask would wait for its whole timeout.
/// This one gives each attempt a shorter timeout and sends the request again until the total runs out.
/// </summary>
public static class RetryingAsk
{
    public static async Task<T> AskAsync<T>(IActorRef target, object request, TimeSpan attemptTimeout, TimeSpan totalTimeout)
    {
        var deadline = DateTime.UtcNow + totalTimeout;
        while (true)
        {
            var remaining = deadline - DateTime.UtcNow;
            var timeout = remaining < attemptTimeout ? remaining : attemptTimeout;
            try
            {
                return await target.Ask<T>(request, timeout);
            }
            catch (AskTimeoutException) when (DateTime.UtcNow + TimeSpan.FromMilliseconds(100) < deadline)
            {
                // Lost with a node that died, or still running: the request is idempotent, so send it again.
            }
        }
    }
}
