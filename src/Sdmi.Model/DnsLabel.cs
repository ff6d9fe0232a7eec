namespace Sdmi.Model;

/// <summary>Checks for RFC 1123 DNS labels: 1 to 63 lowercase letters, digits and hyphens, not starting or
/// ending with a hyphen. Names become container host names, so they follow the DNS rules.</summary>
public static class DnsLabel
{
    public const int MaxLength = 63;

    public static bool IsValid(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxLength)
        {
            return false;
        }

        if (name[0] == '-' || name[^1] == '-')
        {
            return false;
        }

        return name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');
    }

    /// <summary>Returns why <paramref name="name"/> is not a DNS label, for use in an error message.</summary>
    public static string Explain(string description, string name) =>
        $"{description} '{name}' is not a valid DNS label; use 1 to {MaxLength} lowercase letters, digits and hyphens, "
        + "starting and ending with a letter or digit";
}
