using System.Text;

namespace Sdmi.OpenFlow.Json;

/// <summary>
/// Converts C# member names to the JSON names: <c>MissSendLength</c> to <c>miss_send_length</c>
/// for properties and OXM fields, <c>FlowMod</c> to <c>FLOW_MOD</c> for enum values and type
/// discriminators.
/// </summary>
internal static class JsonNames
{
    public static string ToSnakeLower(string name) => ToSnake(name, upper: false);

    public static string ToSnakeUpper(string name) => ToSnake(name, upper: true);

    private static string ToSnake(string name, bool upper)
    {
        var builder = new StringBuilder(name.Length + 8);
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];

            // A word starts at an upper-case letter that follows a lower-case letter or a digit,
            // so Ipv4Src becomes ipv4_src and Icmpv6Type becomes icmpv6_type.
            if (i > 0 && char.IsUpper(c) && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1])))
            {
                builder.Append('_');
            }

            builder.Append(upper ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c));
        }

        return builder.ToString();
    }
}
