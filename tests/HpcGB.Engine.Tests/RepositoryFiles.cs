namespace HpcGB.Engine.Tests;

/// <summary>Files of the repository the tests read (docs/examples, the case table's sources).</summary>
internal static class RepositoryFiles
{
    /// <summary>The folder that holds HpcGB.sln, found above the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "HpcGB.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new DirectoryNotFoundException("HpcGB.sln not found above the test binaries");
    }
}
