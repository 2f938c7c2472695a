using System.Runtime.InteropServices;

namespace HpcGB.Interop.Mpi;

/// <summary>
/// Leaves the fault signals to the .NET runtime. Debian's MPICH runs over UCX (ch4:ucx), which installs handlers for
/// SIGSEGV, SIGBUS, SIGILL and SIGFPE by default; the runtime turns a fault in managed code into an exception (a null
/// dereference becomes a <see cref="NullReferenceException"/> that code may catch), and UCX's handler would instead
/// print "Caught signal 11 … at address (nil)" and kill the rank. An empty <c>UCX_ERROR_SIGNALS</c> keeps UCX's hands
/// off them; a value the user set stays.
/// </summary>
internal static class UcxSignals
{
    public const string Variable = "UCX_ERROR_SIGNALS";

    /// <summary>Sets <see cref="Variable"/> to empty in the native environment unless it is set; call it before MPICH is
    /// loaded (UCX reads its options in its library constructor).</summary>
    public static void LeaveToTheRuntime()
    {
        if (!NativeEnvironment.SetUnlessSet(Variable, ""))
        {
            throw new MpiUnavailableException($"MPI: cannot set {Variable} ({Marshal.GetLastPInvokeErrorMessage()})");
        }
    }
}
