using HpcGB.Interop.OpenCl.VkFft;

namespace HpcGB.Interop.OpenCl;

/// <summary>What OpenCL offers here, for <c>hpcgb info</c> and summaries: every device, or why there are none.</summary>
/// <param name="Devices">Every device of every platform (empty when unavailable).</param>
/// <param name="Problem">Why OpenCL cannot be used at all (no loader, a failing driver), or null.</param>
/// <param name="FftVersion">VkFFT's version number when the FFT shim loads, else null (then the backend is unavailable).</param>
public sealed record OpenClReport(IReadOnlyList<OpenClDevice> Devices, string? Problem, int? FftVersion)
{
    /// <summary>Discovers the devices; never throws (a failure becomes <see cref="Problem"/>).</summary>
    public static OpenClReport Detect()
    {
        int? fft = ClRealFft.Version;
        if (!OpenClApi.IsAvailable)
        {
            return new OpenClReport([], OpenClUnavailableException.LoaderMissingMessage, fft);
        }
        try
        {
            var devices = OpenClPlatforms.Discover();
            return new OpenClReport(devices, devices.Count == 0 ? "the OpenCL loader found no platform (install a driver, e.g. pocl-opencl-icd)" : null, fft);
        }
        catch (OpenClException e)
        {
            return new OpenClReport([], e.Message, fft);
        }
    }

    /// <summary>VkFFT's version as text ("1.2.26"), or null.</summary>
    public string? FftVersionText => FftVersion is int v ? $"{v / 10000}.{v / 100 % 100}.{v % 100}" : null;
}
