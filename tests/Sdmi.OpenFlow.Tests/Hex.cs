namespace Sdmi.OpenFlow.Tests;

/// <summary>Hex helpers for exact-byte assertions; whitespace in the input is ignored.</summary>
internal static class Hex
{
    public static byte[] Bytes(string hex) =>
        Convert.FromHexString(string.Concat(hex.Where(c => !char.IsWhiteSpace(c))));

    public static string Of(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes);

    public static string Normalize(string hex) => Of(Bytes(hex));
}
