namespace Sdmi.Node.Switches;

/// <summary>
/// Datapath ids SDMI gives the bridges it creates: the tag 0x5D in the top byte and an FNV-1a hash
/// of the bridge name in the low 32 bits. Knowing the id from the name lets a flow request name a
/// bridge before the switch has connected.
/// </summary>
public static class DatapathIds
{
    public static ulong ForBridge(string bridge)
    {
        return (0x5DUL << 56) | Fnv1a.Hash32(bridge);
    }
}
