using Silk.NET.OpenCL;

namespace HpcGB.Interop.OpenCl;

/// <summary>
/// The OpenCL entry points (Silk.NET), loaded once. The ICD loader is probed first, so a machine without it gets
/// <see cref="OpenClUnavailableException"/> with the package to install instead of a loader trace.
/// </summary>
public static class OpenClApi
{
    /// <summary>The soname of the OpenCL ICD loader.</summary>
    public const string LoaderName = "libOpenCL.so.1";

    /// <summary>The Debian/Ubuntu packages for the loader and a CPU driver (PoCL).</summary>
    public const string DebianPackages = "ocl-icd-libopencl1 pocl-opencl-icd";

    private static readonly Lazy<CL?> s_api = new(Load);

    /// <summary>True when the ICD loader loads on this machine.</summary>
    public static bool IsAvailable => s_api.Value is not null;

    /// <summary>The API.</summary>
    /// <exception cref="OpenClUnavailableException">No ICD loader.</exception>
    internal static CL Api => s_api.Value ?? throw new OpenClUnavailableException();

    /// <summary>The check of <see cref="Api"/> for any loader name (tests pass a bogus one to see the message).</summary>
    internal static void EnsureLoader(string libraryName)
    {
        if (!NativeLibraryProbe.TryLoad(libraryName))
        {
            throw new OpenClUnavailableException(OpenClUnavailableException.LoaderMissingMessage.Replace(LoaderName, libraryName, StringComparison.Ordinal));
        }
    }

    private static CL? Load()
    {
        if (!NativeLibraryProbe.TryLoad(LoaderName))
        {
            return null;
        }
        try
        {
            return CL.GetApi();
        }
        catch (Exception e) when (e is DllNotFoundException or FileNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }
}
