namespace Sdmi.Model;

/// <summary>
/// A probe that runs <see cref="Command"/> inside the container (docker exec); exit code 0 means healthy.
/// A container is unhealthy after <see cref="Retries"/> consecutive failures, and failures during
/// <see cref="StartPeriod"/> do not count.
/// </summary>
public sealed record HealthCheck(
    IReadOnlyList<string> Command,
    TimeSpan Interval,
    TimeSpan Timeout,
    int Retries,
    TimeSpan StartPeriod)
{
    /// <summary>Interval used when the system file gives none.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(5);

    /// <summary>Timeout used when the system file gives none.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Retry count used when the system file gives none.</summary>
    public const int DefaultRetries = 3;

    /// <summary>Start period used when the system file gives none.</summary>
    public static readonly TimeSpan DefaultStartPeriod = TimeSpan.Zero;
}
