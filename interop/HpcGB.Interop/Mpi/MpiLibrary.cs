using System.Reflection;
using System.Runtime.InteropServices;

namespace HpcGB.Interop.Mpi;

/// <summary>
/// Points MPI.NET at MPICH. MPI.NET 1.4.0 declares its imports against MS-MPI's <c>msmpi.dll</c>; MPICH shares
/// MS-MPI's ABI (integer handles, the same constants and <c>MPI_Status</c> layout), so mapping that name to
/// <c>libmpich.so.12</c> makes MPI.NET work on Linux. Open MPI does not: its handles are pointers.
/// </summary>
internal static class MpiLibrary
{
    /// <summary>The soname of MPICH's C library (Debian: package <c>libmpich12</c>, pulled in by <c>mpich</c>).</summary>
    public const string LibraryName = "libmpich.so.12";

    /// <summary>What to install when it is missing.</summary>
    public const string DebianPackage = "mpich";

    /// <summary>The name MPI.NET imports.</summary>
    private const string ImportedName = "msmpi.dll";

    private static readonly Lock Gate = new();
    private static nint s_handle;

    /// <summary>Loads MPICH and registers the resolver on MPI.NET's assembly (once); throws
    /// <see cref="MpiUnavailableException"/> naming the package when MPICH is missing.</summary>
    public static void EnsureLoaded(Assembly mpiNet)
    {
        lock (Gate)
        {
            if (s_handle != 0)
            {
                return;
            }
            s_handle = Load(LibraryName);
            NativeLibrary.SetDllImportResolver(mpiNet, (name, _, _) => name == ImportedName ? s_handle : 0);
        }
    }

    /// <summary>Loads <paramref name="libraryName"/> or throws the "install mpich" error (tests pass a bogus name).</summary>
    internal static nint Load(string libraryName) => NativeLibrary.TryLoad(libraryName, out nint handle)
        ? handle
        : throw new MpiUnavailableException(
            $"MPI: {libraryName} not found; install mpich (Debian/Ubuntu: apt-get install {DebianPackage}) " +
            "and start the job with MPICH's mpiexec (Open MPI is not supported)");
}
