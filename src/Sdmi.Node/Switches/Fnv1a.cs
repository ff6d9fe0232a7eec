namespace Sdmi.Node.Switches;

/// <summary>32-bit FNV-1a over a string's UTF-16 code units: stable across processes, runs and machines.</summary>
internal static class Fnv1a
{
    public static uint Hash32(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash;
    }
}
