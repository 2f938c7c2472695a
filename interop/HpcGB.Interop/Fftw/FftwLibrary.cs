using System.Runtime.InteropServices;

namespace HpcGB.Interop.Fftw;

/// <summary>
/// Loading and one-time set-up of FFTW3: whether <c>libfftw3.so.3</c> is present, whether its OpenMP threading
/// library <c>libfftw3_omp.so.3</c> is, and the lock that serialises every planner call in the process.
/// </summary>
public static class FftwLibrary
{
    /// <summary>The soname of FFTW3 in double precision.</summary>
    public const string LibraryName = "libfftw3.so.3";

    /// <summary>The soname of FFTW3's OpenMP threading library (optional).</summary>
    public const string OpenMpLibraryName = "libfftw3_omp.so.3";

    /// <summary>The Debian/Ubuntu package that ships both libraries.</summary>
    public const string DebianPackage = "libfftw3-double3";

    private static readonly Lazy<nint> s_library = new(() => NativeLibrary.TryLoad(LibraryName, out nint h) ? h : 0);
    private static volatile bool s_threadingInitialised;
    private static bool s_threadingAvailable;

    /// <summary>
    /// Held around every FFTW planner call (<c>fftw_plan_*</c>, <c>fftw_plan_with_nthreads</c>,
    /// <c>fftw_destroy_plan</c>), which FFTW does not make thread-safe.
    /// </summary>
    internal static Lock PlannerLock { get; } = new();

    /// <summary>True when <c>libfftw3.so.3</c> loads on this machine.</summary>
    public static bool IsAvailable => s_library.Value != 0;

    /// <summary>
    /// True when <c>libfftw3_omp.so.3</c> loaded and <c>fftw_init_threads</c> succeeded, so plans can use several
    /// threads; otherwise every plan is single-threaded whatever thread count is asked for.
    /// </summary>
    public static bool IsThreadingAvailable
    {
        get
        {
            if (!IsAvailable)
            {
                return false;
            }
            if (!s_threadingInitialised)
            {
                lock (PlannerLock)
                {
                    InitialiseThreadingUnderLock();
                }
            }
            return s_threadingAvailable;
        }
    }

    /// <summary>FFTW's version string (<c>fftw_version</c>, e.g. "fftw-3.3.10-sse2-avx"), or null when unavailable.</summary>
    public static string? Version
    {
        get
        {
            nint library = s_library.Value;
            return library != 0 && NativeLibrary.TryGetExport(library, "fftw_version", out nint text)
                ? Marshal.PtrToStringUTF8(text)
                : null;
        }
    }

    /// <summary>Throws <see cref="FftwUnavailableException"/> unless <c>libfftw3.so.3</c> loads.</summary>
    /// <exception cref="FftwUnavailableException">The library is missing; the message says how to install it.</exception>
    public static void EnsureAvailable()
    {
        if (!IsAvailable)
        {
            throw new FftwUnavailableException(LibraryName);
        }
    }

    /// <summary>The same check for any library name (tests pass a bogus one to see the message).</summary>
    internal static void EnsureAvailable(string libraryName)
    {
        if (!NativeLibrary.TryLoad(libraryName, out _))
        {
            throw new FftwUnavailableException(libraryName);
        }
    }

    /// <summary>
    /// Loads FFTW wisdom (the timings behind earlier Measure/Patient plans) saved by <see cref="ExportWisdom"/>, so
    /// that planning those shapes again is immediate. Call before making plans.
    /// </summary>
    /// <returns>False when the file is missing or not valid wisdom (nothing is loaded then).</returns>
    /// <exception cref="FftwUnavailableException"><c>libfftw3.so.3</c> is missing.</exception>
    public static bool ImportWisdom(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        EnsureAvailable();
        if (!File.Exists(path))
        {
            return false;
        }
        lock (PlannerLock)
        {
            InitialiseThreadingUnderLock();
            return FftwNative.ImportWisdomFromFilename(path) != 0;
        }
    }

    /// <summary>
    /// Drops all wisdom of this process (imported or accumulated by Measure/Patient plans); plans already made are
    /// kept, and so is <see cref="FftwPlanCache"/>.
    /// </summary>
    /// <exception cref="FftwUnavailableException"><c>libfftw3.so.3</c> is missing.</exception>
    public static void ForgetWisdom()
    {
        EnsureAvailable();
        lock (PlannerLock)
        {
            FftwNative.ForgetWisdom();
        }
    }

    /// <summary>Saves the wisdom accumulated by every plan made so far in this process to <paramref name="path"/>.</summary>
    /// <exception cref="FftwUnavailableException"><c>libfftw3.so.3</c> is missing.</exception>
    /// <exception cref="FftwException">FFTW could not write the file.</exception>
    public static void ExportWisdom(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        EnsureAvailable();
        lock (PlannerLock)
        {
            InitialiseThreadingUnderLock();
            if (FftwNative.ExportWisdomToFilename(path) == 0)
            {
                throw new FftwException($"fftw_export_wisdom_to_filename could not write '{path}'.");
            }
        }
    }

    /// <summary>
    /// The thread count a plan will really use: <paramref name="requested"/> when threading is available, else 1.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="requested"/> is less than 1.</exception>
    public static int EffectiveThreads(int requested)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(requested, 1);
        return requested > 1 && IsThreadingAvailable ? requested : 1;
    }

    /// <summary>
    /// Sets the planner's thread count for the next plan (a no-op without threading). Caller holds
    /// <see cref="PlannerLock"/>.
    /// </summary>
    internal static void SetPlannerThreadsUnderLock(int threads)
    {
        InitialiseThreadingUnderLock();
        if (s_threadingAvailable)
        {
            FftwOpenMpNative.PlanWithNThreads(threads);
        }
    }

    /// <summary>
    /// Loads the OpenMP library and calls <c>fftw_init_threads</c> once, before the first plan as FFTW asks.
    /// Caller holds <see cref="PlannerLock"/>.
    /// </summary>
    private static void InitialiseThreadingUnderLock()
    {
        if (s_threadingInitialised)
        {
            return;
        }
        OpenMpWaitPolicy.Passive();
        s_threadingAvailable = NativeLibrary.TryLoad(OpenMpLibraryName, out _) && FftwOpenMpNative.InitThreads() != 0;
        s_threadingInitialised = true; // volatile: published after s_threadingAvailable
    }
}
