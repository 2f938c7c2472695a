using System.Runtime.InteropServices;

namespace HpcGB.Bench;

/// <summary>
/// CPU time of the calling thread and of the process (Linux clock_gettime): on a shared, overloaded machine the
/// work a stage did, where wall time mostly measures the wait for a core.
/// </summary>
internal static partial class CpuClock
{
    private const int ProcessCpuTime = 2;
    private const int ThreadCpuTime = 3;

    /// <summary>Seconds of CPU the calling thread has used.</summary>
    public static double Thread() => Read(ThreadCpuTime);

    /// <summary>Seconds of CPU all threads of the process have used.</summary>
    public static double Process() => Read(ProcessCpuTime);

    private static double Read(int clock)
    {
        if (clock_gettime(clock, out var t) != 0)
        {
            throw new InvalidOperationException("clock_gettime failed");
        }
        return t.Seconds + t.Nanoseconds * 1e-9;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int clock_gettime(int clock, out TimeSpec time);
}
