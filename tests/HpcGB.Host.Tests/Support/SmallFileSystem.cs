using System.Diagnostics;
using HpcGB.Host.Tests.Service;

namespace HpcGB.Host.Tests.Support;

/// <summary>
/// A tmpfs of a few kilobytes mounted on a scratch directory, to make writes fail with "No space left on device".
/// Mounting needs root: <see cref="FullDiskFactAttribute"/> skips the test otherwise (fails under <c>CI=true</c>).
/// </summary>
internal sealed class SmallFileSystem : IDisposable
{
    private SmallFileSystem(string path) => Path = path;

    public string Path { get; }

    public static SmallFileSystem Mount(int kilobytes)
    {
        string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "hpcgb-tmpfs", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        string error = Command("mount", "-t", "tmpfs", "-o", $"size={kilobytes}k", "tmpfs", path);
        if (error.Length > 0)
        {
            throw new InvalidOperationException($"mount -t tmpfs failed: {error}");
        }
        return new SmallFileSystem(path);
    }

    /// <summary>Why a tmpfs cannot be mounted here, or null when it can.</summary>
    public static string? MissingReason { get; } = FindMissing();

    public string PathOf(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        Command("umount", "-l", Path);
        Directory.Delete(Path, recursive: true);
    }

    private static string? FindMissing()
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
        {
            return "needs root on Linux to mount a small tmpfs";
        }
        try
        {
            using var probe = Mount(16);
            return null;
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return ex.Message;
        }
    }

    private static string Command(string name, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(name, arguments)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? "" : $"exit {process.ExitCode}: {error.Trim()}";
    }
}

/// <summary>A fact that needs <see cref="SmallFileSystem"/>: skipped where it cannot mount, except under
/// <c>CI=true</c>, where it runs and fails, so CI cannot pass by skipping.</summary>
public sealed class FullDiskFactAttribute : FactAttribute
{
    public FullDiskFactAttribute()
    {
        if (SmallFileSystem.MissingReason is { } reason && !PythonFactAttribute.IsCi)
        {
            Skip = reason;
        }
    }
}
