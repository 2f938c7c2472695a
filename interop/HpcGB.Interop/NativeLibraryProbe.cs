using System.Runtime.InteropServices;

namespace HpcGB.Interop;

/// <summary>One optional native library: whether it loads on this machine and which Debian package provides it.</summary>
/// <param name="Feature">What the engine uses it for, e.g. "FFTW (double)".</param>
/// <param name="LibraryName">The soname passed to the loader, e.g. <c>libfftw3.so.3</c>.</param>
/// <param name="Found">True when <see cref="NativeLibrary.TryLoad(string, out nint)"/> succeeded.</param>
/// <param name="DebianPackages">The packages to install when it is missing (space separated).</param>
public sealed record NativeLibraryStatus(string Feature, string LibraryName, bool Found, string DebianPackages);

/// <summary>Probes the optional native libraries (FFTW, OpenCL) without keeping them loaded.</summary>
public static class NativeLibraryProbe
{
    /// <summary>The libraries HpcGB can use, with the Debian packages that provide them.</summary>
    public static IReadOnlyList<(string Feature, string LibraryName, string DebianPackages)> Known { get; } =
    [
        ("FFTW (double)", "libfftw3.so.3", "libfftw3-double3"),
        ("FFTW (OpenMP threads)", "libfftw3_omp.so.3", "libfftw3-double3"),
        ("OpenCL ICD loader", "libOpenCL.so.1", "ocl-icd-libopencl1 pocl-opencl-icd"),
    ];

    /// <summary>Tries to load every known library and reports which were found.</summary>
    public static IReadOnlyList<NativeLibraryStatus> ProbeAll() =>
        Known.Select(k => new NativeLibraryStatus(k.Feature, k.LibraryName, TryLoad(k.LibraryName), k.DebianPackages))
            .ToArray();

    /// <summary>True when the library can be loaded; the handle is released again at once.</summary>
    public static bool TryLoad(string libraryName)
    {
        if (!NativeLibrary.TryLoad(libraryName, out nint handle))
        {
            return false;
        }
        NativeLibrary.Free(handle);
        return true;
    }
}
