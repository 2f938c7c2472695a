using HpcGB.Interop.OpenCl;
using HpcGB.Interop.OpenCl.VkFft;

namespace HpcGB.Tests.Shared;

/// <summary>
/// The OpenCL device the tests run on: the first with double precision (a GPU before a CPU), where the VkFFT shim
/// is built too. Without one, OpenCL tests are skipped with the reason — except under
/// <c>HPCGB_REQUIRE_OPENCL=1</c> (CI), where they run and fail.
/// </summary>
public static class OpenClTestDevice
{
    public const string RequireVariable = "HPCGB_REQUIRE_OPENCL";

    private static readonly Lazy<(OpenClDevice? Device, string? Missing)> s_found = new(Find);

    /// <summary>True when a missing device must fail the tests instead of skipping them.</summary>
    public static bool Required => Environment.GetEnvironmentVariable(RequireVariable) == "1";

    /// <summary>Why there is no device (null when there is one).</summary>
    public static string? Missing => s_found.Value.Missing;

    /// <summary>The skip reason for an OpenCL test: null when it must run (a device, or <see cref="Required"/>).</summary>
    public static string? SkipReason => Missing is { } reason && !Required ? $"{reason} (set {RequireVariable}=1 to fail instead)" : null;

    /// <summary>True when the OpenCL rows of the shared test bodies run.</summary>
    public static bool Runs => SkipReason is null;

    /// <summary>The device; throws with the reason when there is none.</summary>
    public static OpenClDevice Device => s_found.Value.Device
        ?? throw new InvalidOperationException($"no OpenCL device for the tests: {Missing}");

    private static (OpenClDevice?, string?) Find()
    {
        try
        {
            if (!ClRealFft.IsAvailable)
            {
                return (null, "the VkFFT shim is not built (apt-get install gcc libvkfft-dev opencl-c-headers, rebuild)");
            }
            var devices = OpenClPlatforms.Discover().Where(d => d.Fp64).OrderBy(d => d.IsGpu ? 0 : 1).ToArray();
            return devices.Length > 0 ? (devices[0], null) : (null, "no OpenCL device with double precision");
        }
        catch (OpenClException e)
        {
            return (null, e.Message);
        }
    }
}

/// <summary>A fact that needs an OpenCL device (<see cref="OpenClTestDevice"/>).</summary>
public sealed class OpenClFactAttribute : FactAttribute
{
    public OpenClFactAttribute()
    {
        if (OpenClTestDevice.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>A theory that needs an OpenCL device (<see cref="OpenClTestDevice"/>).</summary>
public sealed class OpenClTheoryAttribute : TheoryAttribute
{
    public OpenClTheoryAttribute()
    {
        if (OpenClTestDevice.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
