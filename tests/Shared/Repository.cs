namespace HpcGB.Tests.Shared;

/// <summary>The checkout the tests run from (docs/examples, scripts, sources the tests read).</summary>
internal static class Repository
{
    /// <summary>The directory holding HpcGB.sln, above the test binaries.</summary>
    public static string Root { get; } = Find();

    private static string Find()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "HpcGB.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new DirectoryNotFoundException("HpcGB.sln not found above the test binaries");
    }
}
