namespace Sdmi.Model;

/// <summary>Inclusive limits on a service's replica count, for scaling by command or by policy.</summary>
public sealed record ScaleBounds(int Min, int Max);
