namespace Sdmi.Model.Tests;

/// <summary>Locates the repository root by walking up from the test assembly to the solution file.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(System.IO.Path.Combine(directory.FullName, "Sdmi.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName
            ?? throw new InvalidOperationException($"Sdmi.slnx not found above {AppContext.BaseDirectory}");
    }
}
