using System.Diagnostics;

namespace HpcGB.Host.Tests.Sweeps;

/// <summary>
/// A fact that launches <c>hpcgb</c> under MPICH's <c>mpiexec</c>: it needs <c>mpiexec</c> on the PATH (Debian:
/// <c>apt-get install mpich</c>) and the built <c>hpcgb.dll</c>. Without them it is skipped with the reason — except
/// under <c>CI=true</c>, where it runs and fails, so CI cannot pass by skipping.
/// </summary>
public sealed class MpiFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> Missing = new(FindMissing);

    public MpiFactAttribute()
    {
        if (Missing.Value is { } reason && !Service.PythonFactAttribute.IsCi)
        {
            Skip = reason;
        }
    }

    /// <summary><c>host/HpcGB.Host/bin/&lt;configuration&gt;/net10.0/hpcgb.dll</c> of this checkout, built with the
    /// tests (same configuration).</summary>
    public static string HpcgbDll
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            string framework = directory.Name, configuration = directory.Parent!.Name;
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "HpcGB.sln")))
            {
                directory = directory.Parent;
            }
            return directory is null
                ? "hpcgb.dll (no HpcGB.sln above the test directory)"
                : Path.Combine(directory.FullName, "host", "HpcGB.Host", "bin", configuration, framework, "hpcgb.dll");
        }
    }

    /// <summary>The <c>mpiexec</c> found on the PATH, or null.</summary>
    public static string? Mpiexec => (Environment.GetEnvironmentVariable("PATH") ?? "")
        .Split(':', StringSplitOptions.RemoveEmptyEntries)
        .Select(d => Path.Combine(d, "mpiexec"))
        .FirstOrDefault(File.Exists);

    private static string? FindMissing()
    {
        if (Mpiexec is null)
        {
            return "mpiexec not found (apt-get install mpich)";
        }
        if (!File.Exists(HpcgbDll))
        {
            return $"{HpcgbDll} not built (dotnet build HpcGB.sln -c Release)";
        }
        using var version = Process.Start(new ProcessStartInfo(Mpiexec, ["--version"]) { RedirectStandardOutput = true, UseShellExecute = false })!;
        string text = version.StandardOutput.ReadToEnd();
        version.WaitForExit();
        return text.Contains("HYDRA", StringComparison.Ordinal) ? null : "mpiexec is not MPICH's (Hydra); Open MPI does not work with MPI.NET";
    }
}
