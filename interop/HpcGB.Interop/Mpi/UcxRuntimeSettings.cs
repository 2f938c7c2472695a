using System.Runtime.InteropServices;

namespace HpcGB.Interop.Mpi;

/// <summary>
/// Keeps UCX (Debian's MPICH runs over ch4:ucx) off what the .NET runtime owns; a value the user set stays.
/// <list type="bullet">
/// <item><c>UCX_ERROR_SIGNALS</c> empty: by default UCX installs handlers for SIGSEGV, SIGBUS, SIGILL and SIGFPE, and
/// the runtime turns a fault in managed code into an exception (a null dereference becomes a
/// <see cref="NullReferenceException"/> that code may catch); UCX's handler would instead print "Caught signal 11 … at
/// address (nil)" and kill the rank.</item>
/// <item><c>UCX_MEM_MMAP_HOOK_MODE=none</c>: by default UCX patches the machine code of libc's <c>munmap</c>,
/// <c>madvise</c> and friends at <c>MPI_Init</c> ("bistro" hooks, for its registration cache), while the runtime's
/// tiered-compilation and GC threads are calling them: ranks died of SIGSEGV or a general protection fault at
/// <c>madvise+12</c> / <c>munmap+15</c> in the ".NET Tiered Com…" thread (kernel log), about one 3-rank sweep in 16
/// here, none in 24 with the hooks off. The cache only pays for RDMA transports' large messages.</item>
/// </list>
/// </summary>
internal static class UcxRuntimeSettings
{
    public const string ErrorSignals = "UCX_ERROR_SIGNALS";

    public const string MemoryHooks = "UCX_MEM_MMAP_HOOK_MODE";

    /// <summary>Sets both in the native environment unless set; call it before MPICH is loaded (UCX reads its
    /// options in its library constructors).</summary>
    public static void LeaveToTheRuntime()
    {
        foreach (var (name, value) in new[] { (ErrorSignals, ""), (MemoryHooks, "none") })
        {
            if (!NativeEnvironment.SetUnlessSet(name, value))
            {
                throw new MpiUnavailableException($"MPI: cannot set {name} ({Marshal.GetLastPInvokeErrorMessage()})");
            }
        }
    }
}
