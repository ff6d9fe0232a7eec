using System.Security.Cryptography;
using System.Text;

namespace Sdmi.Node.Hosts;

/// <summary>A stable hash of everything that, when changed, requires a new container.</summary>
public static class ContainerConfig
{
    public static string Hash(HostProtocol.EnsureContainer request)
    {
        var text = new StringBuilder()
            .Append(request.Image).Append('\n')
            .Append(request.Address.Address).Append('/').Append(request.Address.PrefixLength).Append('\n')
            .Append(request.Address.Gateway).Append('\n')
            .AppendJoin('\n', request.Environment.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}"))
            .Append('\n')
            .AppendJoin('\u0000', request.Command ?? []);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16].ToLowerInvariant();
    }
}
