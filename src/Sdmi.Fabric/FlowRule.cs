namespace Sdmi.Fabric;

/// <summary>
/// One flow the fabric wants in a switch. <see cref="Table"/>, <see cref="Priority"/> and
/// <see cref="Match"/> identify it, as in OpenFlow. A rule with no actions, no metadata write and no
/// goto drops what it matches.
/// </summary>
/// <param name="Reason">Why the rule exists, for `sdmi explain` and logs.</param>
public sealed record FlowRule(
    byte Table,
    ushort Priority,
    FlowMatch Match,
    IReadOnlyList<FlowAction> Actions,
    string Reason)
{
    public ulong? WriteMetadata { get; init; }
    public ulong? WriteMetadataMask { get; init; }
    public byte? GotoTable { get; init; }

    public bool IsDrop => Actions.Count == 0 && GotoTable is null;

    public override string ToString()
    {
        var steps = new List<string>();
        steps.AddRange(Actions.Select(a => a.ToString()!));
        if (WriteMetadata is { } metadata)
        {
            steps.Add($"write_metadata:0x{metadata:x}/0x{WriteMetadataMask ?? ulong.MaxValue:x}");
        }

        if (GotoTable is { } table)
        {
            steps.Add($"goto_table:{table}");
        }

        var actions = steps.Count == 0 ? "drop" : string.Join(',', steps);
        return $"table={Table},priority={Priority},{Match} actions={actions}";
    }
}
