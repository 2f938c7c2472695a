namespace HpcGB.Interop.OpenCl.VkFft;

/// <summary>
/// Real-to-complex FFTs of a 1D (M) or 2D (M × M, row-major) mesh on the device, through VkFFT: forward from
/// <see cref="Real"/> into <see cref="Spectrum"/> (FFTW's r2c layout: rows of M/2 + 1 complex values as pairs of
/// doubles) and the unnormalised inverse back, enqueued on one queue. Chosen over clFFT by measurement (docs/opencl.md).
/// </summary>
public sealed class ClRealFft : IDisposable
{
    private readonly VkFftPlanHandle _plan;

    /// <exception cref="OpenClUnavailableException">The shim was not built on this machine.</exception>
    /// <exception cref="OpenClException">VkFFT refused the plan.</exception>
    public ClRealFft(ClQueue queue, int dimensions, int mesh)
    {
        if (dimensions is not (1 or 2) || mesh < 2 || mesh % 2 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(mesh), mesh, "an even mesh ≥ 2 in 1 or 2 dimensions");
        }
        EnsureAvailable();
        Queue = queue;
        Dimensions = dimensions;
        Mesh = mesh;
        long rows = dimensions == 2 ? mesh : 1;
        Real = queue.Context.CreateBuffer<double>(rows * mesh);
        Spectrum = queue.Context.CreateBuffer<double>(rows * (mesh / 2 + 1) * 2);
        var device = queue.Context.Device;
        int status = VkFftNative.Create(device.PlatformId, device.DeviceId, queue.Context.Handle.Value, queue.Handle.Value,
            dimensions, (ulong)mesh, Real.Handle.Value, Spectrum.Handle.Value, out _plan);
        if (status != 0)
        {
            _plan.Dispose();
            Real.Dispose();
            Spectrum.Dispose();
            throw new OpenClException($"VkFFT could not plan a {(dimensions == 2 ? $"{mesh}×{mesh}" : mesh.ToString(System.Globalization.CultureInfo.InvariantCulture))} real FFT in double precision on {device.Description}: {Describe(status)}");
        }
    }

    public ClQueue Queue { get; }

    public int Dimensions { get; }

    public int Mesh { get; }

    /// <summary>The real mesh, M or M × M doubles.</summary>
    public ClBuffer<double> Real { get; }

    /// <summary>The half spectrum, (M/2 + 1) or M × (M/2 + 1) complex values as (re, im) pairs.</summary>
    public ClBuffer<double> Spectrum { get; }

    /// <summary>True when the shim loads (it is built where cc, libvkfft-dev and the OpenCL headers are installed).</summary>
    public static bool IsAvailable => s_version.Value is not null;

    /// <summary>VkFFT's version number (e.g. 10226 for 1.2.26), or null when the shim is missing.</summary>
    public static int? Version => s_version.Value;

    private static readonly Lazy<int?> s_version = new(() =>
    {
        try
        {
            return VkFftNative.Version();
        }
        catch (DllNotFoundException)
        {
            return null;
        }
    });

    /// <summary>Throws <see cref="OpenClUnavailableException"/> when the shim is missing.</summary>
    public static void EnsureAvailable()
    {
        if (!IsAvailable)
        {
            throw new OpenClUnavailableException(OpenClProblem.NoFft,
                $"the VkFFT shim ({VkFftNative.FileName}) was not built: install a C compiler and the headers " +
                $"(apt-get install gcc libvkfft-dev opencl-c-headers ocl-icd-libopencl1) and rebuild");
        }
    }

    /// <summary>Enqueues Real → Spectrum.</summary>
    public void Forward() => Check(VkFftNative.Forward(_plan), "forward");

    /// <summary>Enqueues Spectrum → Real, unnormalised (Σ over frequencies); the spectrum is overwritten.</summary>
    public void Inverse() => Check(VkFftNative.Inverse(_plan), "inverse");

    public void Dispose()
    {
        _plan.Dispose();
        Real.Dispose();
        Spectrum.Dispose();
    }

    private static void Check(int status, string direction)
    {
        if (status != 0)
        {
            throw new OpenClException($"VkFFT {direction} transform failed: {Describe(status)}");
        }
    }

    private static string Describe(int status) =>
        status == -1 ? "bad arguments" : $"VkFFTResult {status} (see the VkFFTResult enum in vkFFT.h)";
}
