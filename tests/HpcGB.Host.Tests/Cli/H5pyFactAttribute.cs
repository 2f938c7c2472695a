using System.Diagnostics;
using HpcGB.Host.Tests.Service;

namespace HpcGB.Host.Tests.Cli;

/// <summary>
/// A fact that needs Debian's Python with h5py and numpy (<c>apt-get install python3-h5py</c>). Without them it is
/// skipped with the reason — except under <c>CI=true</c>, where it runs and fails, so CI cannot pass by skipping.
/// </summary>
public sealed class H5pyFactAttribute : FactAttribute
{
    public const string Python = PythonFactAttribute.Python;

    private static readonly Lazy<string?> Missing = new(FindMissing);

    public H5pyFactAttribute()
    {
        if (Missing.Value is { } reason && !PythonFactAttribute.IsCi)
        {
            Skip = reason;
        }
    }

    private static string? FindMissing()
    {
        if (!File.Exists(Python))
        {
            return $"{Python} not found (apt-get install python3-h5py)";
        }
        using var check = Process.Start(new ProcessStartInfo(Python, ["-c", "import h5py, numpy"])
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        string error = check.StandardError.ReadToEnd();
        check.WaitForExit();
        return check.ExitCode == 0 ? null : $"h5py missing (apt-get install python3-h5py): {error.Trim()}";
    }
}
