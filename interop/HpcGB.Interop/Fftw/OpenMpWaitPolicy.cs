namespace HpcGB.Interop.Fftw;

/// <summary>
/// Lets FFTW's OpenMP workers sleep between transforms. By default libgomp's idle workers spin (up to 300 000
/// iterations) after every parallel region, and the PME runs its next stage (convolution, gathering) on the same
/// cores right after each FFT, so a spinning worker takes a core from it: at n = 10⁶, M = 2304 on 2 threads the mesh
/// part cost 192–194 ms CPU per evaluation spinning against 151–160 ms passive (docs/performance.md, "Eighth pass").
/// <c>OMP_WAIT_POLICY=PASSIVE</c> is set in the native environment before libgomp loads (it reads its settings in its
/// constructor); a value the user set for it or for <c>GOMP_SPINCOUNT</c> stays.
/// </summary>
internal static class OpenMpWaitPolicy
{
    public const string Variable = "OMP_WAIT_POLICY";

    /// <summary>libgomp's own spin count, which overrides the wait policy when set.</summary>
    public const string SpinCountVariable = "GOMP_SPINCOUNT";

    /// <summary>Sets <see cref="Variable"/> to PASSIVE unless it or <see cref="SpinCountVariable"/> is set; call it before loading libgomp.</summary>
    public static void Passive()
    {
        if (Environment.GetEnvironmentVariable(SpinCountVariable) is null)
        {
            // Failure (out of memory) leaves the default policy: slower, not wrong.
            _ = NativeEnvironment.SetUnlessSet(Variable, "PASSIVE");
        }
    }
}
