using HpcGB.Interop.Fftw;

namespace HpcGB.Engine.Forces.Pme;

/// <summary>
/// FFTW wisdom for the PME meshes: plans measured once (<see cref="Measure"/>) and stored in a file that later
/// processes load (the environment variable <see cref="Variable"/>), so that they get the measured plans (7–20 %
/// faster FFTs at M = 2304 and 3200 than the estimated ones) without timing anything: the plan, and so the
/// rounding, is the same in every run with the same file (issue 18). Without the variable every plan is FFTW's
/// estimate, as before.
/// </summary>
public static class MeshWisdom
{
    /// <summary>The environment variable naming the wisdom file the engine loads before its first PME plan.</summary>
    public const string Variable = "HPCGB_FFTW_WISDOM";

    private static readonly Lazy<string?> s_loaded = new(Load);

    /// <summary>The wisdom file loaded in this process (null: none, plans are estimates unless wisdom was imported otherwise).</summary>
    /// <exception cref="IOException">The variable names a file that is missing or not FFTW wisdom.</exception>
    public static string? EnsureLoaded() => s_loaded.Value;

    /// <summary>
    /// Measures the plans that a <see cref="ParticleMeshEwald"/> of each mesh size would make with
    /// <paramref name="threads"/> threads (the same shapes, directions and mesh thread counts), adds them to this
    /// process's wisdom and saves all of it (the whole-spectrum plans and the band-limited ones) to <paramref name="path"/>. Planning takes seconds per size at M ≥ 2000.
    /// </summary>
    public static void Measure(string path, int dimension, IEnumerable<int> meshes, int threads)
    {
        foreach (int mesh in meshes)
        {
            int[] shape = dimension == 2 ? [mesh, mesh] : [mesh];
            int meshThreads = ParticleMeshEwald.MeshThreads(dimension, mesh, threads);
            using var fft = new RealFft(shape, FftwPlannerFlags.Measure, meshThreads);
            if (dimension == 2 && mesh % 2 == 0 && mesh / 2 + 1 > BandLimitedFft.ColumnBlock)
            {
                // The band-limited FFT's plans depend on M and the parts, not on how many columns it keeps.
                using var band = new BandLimitedFft(mesh, BandLimitedFft.ColumnBlock, meshThreads, FftwPlannerFlags.Measure);
            }
        }
        FftwLibrary.ExportWisdom(path);
    }

    private static string? Load()
    {
        string? path = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }
        if (!FftwLibrary.ImportWisdom(path))
        {
            throw new IOException($"{Variable}: '{path}' is missing or not an FFTW wisdom file");
        }
        return path;
    }
}
