using System.Text.Json;

namespace Sdmi.IntegrationTests;

/// <summary>
/// The reference example on the real components: Docker Engine, Open vSwitch and the node. One test
/// walks the whole lifecycle because each step depends on the state the previous one left.
/// </summary>
[Collection(RealComponents.Name)]
public sealed class MilestoneEndToEndTests
{
    private const string System = "milestone1";
    private const string Bridge = "sdmi0";
    private static readonly string SystemFile = Path.Combine(ProcessRunner.RepositoryRoot, "examples", "milestone1", "system.json");
    private static readonly string[] DatabaseNodes = ["milestone1-db-01", "milestone1-db-02", "milestone1-db-03"];

    [Fact]
    public void Milestone_Lifecycle_LeavesNothing()
    {
        ProcessRunner.Sdmi("down", System);

        var up = ProcessRunner.Sdmi("up", SystemFile);

        Assert.True(up.ExitCode == 0, up.ToString());
        Assert.Contains("milestone1 is up", up.Output);
        Assert.Equal(8, HostProbe.ContainerIds(System).Count);

        var body = $"e2e-{Guid.NewGuid():N}";
        var written = HostProbe.Curl("172.16.10.1", "-X", "POST", "--data", body, "https://172.16.10.1/items");
        Assert.True(written.ExitCode == 0, written.ToString());
        var id = JsonDocument.Parse(written.Output).RootElement.GetProperty("id").GetInt64();
        Assert.InRange((id - 1) / 2147483647L, 1, 3);

        foreach (var node in DatabaseNodes)
        {
            Assert.True(WaitForRow(node, id, body), $"row {id} did not replicate to {node}");
        }

        var readBack = HostProbe.Curl("172.16.10.2", $"https://172.16.10.2/items/{id}");
        Assert.Contains(body, readBack.Output);

        var appToDatabase = HostProbe.Exec("milestone1-app-01", "nc", "-z", "-w", "3", "172.16.30.1", "5432");
        Assert.True(appToDatabase.ExitCode == 0, "app should reach db:5432\n" + appToDatabase);

        var lbToDatabase = HostProbe.Exec("milestone1-lb-01", "nc", "-z", "-w", "3", "172.16.30.1", "5432");
        Assert.True(lbToDatabase.ExitCode != 0, "lb must not reach db:5432 directly\n" + lbToDatabase);

        var again = ProcessRunner.Sdmi("up", SystemFile);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("no change", again.Output);

        var containersBefore = HostProbe.ContainerIds(System).Order().ToList();
        var stop = ProcessRunner.Sdmi("node", "stop");
        Assert.True(stop.ExitCode == 0, stop.ToString());
        var afterRestart = ProcessRunner.Sdmi("up", SystemFile);
        Assert.True(afterRestart.ExitCode == 0, afterRestart.ToString());
        Assert.Equal(containersBefore, HostProbe.ContainerIds(System).Order().ToList());
        Assert.Contains(body, HostProbe.Curl("172.16.10.1", $"https://172.16.10.1/items/{id}").Output);

        var status = ProcessRunner.Sdmi("status", "--json");
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("172.16.10.1", status.Output);

        var down = ProcessRunner.Sdmi("down", SystemFile);

        Assert.True(down.ExitCode == 0, down.ToString());
        Assert.Empty(HostProbe.ContainerIds(System));
        Assert.Empty(HostProbe.OvsPorts(System));
        Assert.Empty(HostProbe.SdmiFlows(Bridge));
    }

    private static bool WaitForRow(string container, long id, string body)
    {
        for (var attempt = 0; attempt < 40; attempt++)
        {
            var row = HostProbe.Exec(container, "psql", "-U", "postgres", "-d", "app", "-Atc", $"SELECT body FROM items WHERE id = {id}");
            if (row.Output.Trim() == body)
            {
                return true;
            }

            Thread.Sleep(TimeSpan.FromMilliseconds(250));
        }

        return false;
    }
}
