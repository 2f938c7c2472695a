using System.Diagnostics;

namespace HpcGB.Host.Tests.Service;

/// <summary>
/// A fact that needs Debian's Python with msgpack, msgpack-numpy, numpy and matplotlib. Without them it is skipped
/// with the reason — except under <c>CI=true</c>, where it runs and fails, so CI cannot pass by skipping.
/// </summary>
public sealed class PythonFactAttribute : FactAttribute
{
    public const string Python = "/usr/bin/python3";

    private static readonly Lazy<string?> Missing = new(FindMissing);

    public PythonFactAttribute()
    {
        if (Missing.Value is { } reason && !IsCi)
        {
            Skip = reason;
        }
    }

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Why the Python side cannot run, or null when it can.</summary>
    public static string? MissingReason => Missing.Value;

    private static string? FindMissing()
    {
        if (!File.Exists(Python))
        {
            return $"{Python} not found (apt-get install python3-msgpack python3-msgpack-numpy python3-matplotlib python3-numpy)";
        }
        using var check = Process.Start(new ProcessStartInfo(Python, ["-c", "import msgpack, msgpack_numpy, numpy, matplotlib"])
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        string error = check.StandardError.ReadToEnd();
        check.WaitForExit();
        return check.ExitCode == 0
            ? null
            : $"Python packages missing ({error.Trim().Split('\n')[^1]}); apt-get install python3-msgpack python3-msgpack-numpy python3-matplotlib python3-numpy";
    }
}
