using System.Globalization;

namespace HpcGB.Interop;

/// <summary>Resource limits of this process, where the platform tells them.</summary>
public static class ProcessLimits
{
    /// <summary>
    /// The soft limit on open file descriptors (<c>ulimit -n</c>; the .NET runtime raises it to the hard limit at
    /// start), from <c>/proc/self/limits</c>; null where unknown or unlimited.
    /// </summary>
    public static long? OpenFiles()
    {
        const string path = "/proc/self/limits";
        if (!OperatingSystem.IsLinux() || !File.Exists(path))
        {
            return null;
        }
        foreach (string line in File.ReadLines(path))
        {
            // "Max open files            20000                20000                files"
            if (line.StartsWith("Max open files", StringComparison.Ordinal))
            {
                string[] fields = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return fields.Length > 0 && long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out long soft) ? soft : null;
            }
        }
        return null;
    }

    /// <summary>File descriptors this process has open now (<c>/proc/self/fd</c>); null where unknown.</summary>
    public static int? OpenFilesInUse()
    {
        const string path = "/proc/self/fd";
        return OperatingSystem.IsLinux() && Directory.Exists(path) ? Directory.GetFileSystemEntries(path).Length : null;
    }
}
