using Sdmi.Node.Hosting;

namespace Sdmi.Node.Tests.Hosting;

public sealed class JournalHealthTests
{
    [Fact]
    public async Task Problem_SqliteJournal_None()
    {
        Assert.Null(await new JournalHealth(null).ProblemAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Problem_NothingListens_NamesDatabase()
    {
        // Port 1 on loopback: nothing listens there, so the connection is refused at once.
        var health = new JournalHealth("Host=127.0.0.1;Port=1;Username=sdmi;Password=unused;Database=sdmi");

        var problem = await health.ProblemAsync(CancellationToken.None);

        Assert.NotNull(problem);
        Assert.Contains("PostgreSQL at 127.0.0.1:1", problem);
        Assert.Contains("Nothing was changed", problem);
        Assert.DoesNotContain("unused", problem);
    }
}
