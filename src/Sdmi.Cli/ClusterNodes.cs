using System.Text.Json;

namespace Sdmi.Cli;

/// <summary>The nodes that `sdmi cluster up` started, as recorded in <see cref="StateFile"/>.</summary>
internal sealed record ClusterNodes(IReadOnlyList<ClusterNode> Nodes, string Schema)
{
    public const string StateFile = "/run/sdmi/cluster/nodes.json";
    public const string StateRoot = "/var/lib/sdmi/cluster";
    public const string LogDirectory = "/var/log/sdmi/cluster";

    public static ClusterNodes? Load() =>
        File.Exists(StateFile) ? JsonSerializer.Deserialize<ClusterNodes>(File.ReadAllText(StateFile), ClusterViews.Json) : null;

    public void Save()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(StateFile)!);
        File.WriteAllText(StateFile, JsonSerializer.Serialize(this, ClusterViews.Json));
    }

    /// <summary>True while a process with this id exists and is not a zombie.</summary>
    public static bool IsRunning(int pid)
    {
        var status = $"/proc/{pid}/stat";
        if (pid <= 0 || !File.Exists(status))
        {
            return false;
        }

        try
        {
            // The state letter follows the command name, which is in parentheses.
            var text = File.ReadAllText(status);
            return text[(text.LastIndexOf(')') + 2)..].FirstOrDefault() != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }
}

/// <param name="Index">The node's number, from 0; its ports are the base ports plus this number.</param>
internal sealed record ClusterNode(
    int Index, int Pid, string Gateway, int ClusterPort, int OpenFlowPort, string StateDirectory, string Log)
{
    public string Address => $"akka.tcp://sdmi@127.0.0.1:{ClusterPort}";

    public string ControllerTarget => $"tcp:127.0.0.1:{OpenFlowPort}";
}
