using Npgsql;
using Sdmi.Node.Hosting;

namespace Sdmi.Node.Tests.Hosting;

public sealed class JournalSettingsTests
{
    [Fact]
    public void PoolLimit_NoneGiven_CapsThePool()
    {
        var capped = JournalSettings.WithPoolLimit("Host=127.0.0.1;Username=sdmi;Password=x;Database=sdmi");

        Assert.Equal(JournalSettings.DefaultPoolSize, new NpgsqlConnectionStringBuilder(capped).MaxPoolSize);
        Assert.Equal("127.0.0.1", new NpgsqlConnectionStringBuilder(capped).Host);
    }

    [Theory]
    [InlineData("Maximum Pool Size=40")]
    [InlineData("MaxPoolSize=40")]
    public void PoolLimit_Given_Kept(string limit)
    {
        var kept = JournalSettings.WithPoolLimit($"Host=127.0.0.1;Username=sdmi;{limit};Database=sdmi");

        Assert.Equal(40, new NpgsqlConnectionStringBuilder(kept).MaxPoolSize);
    }
}
