using System.Runtime.InteropServices;

namespace HpcGB.Interop.Fftw;

/// <summary>
/// FFTW's OpenMP threading entry points, bound from <c>libfftw3_omp.so.3</c> (optional: without it every plan is
/// single-threaded). Both are planner calls: hold <see cref="FftwLibrary.PlannerLock"/>.
/// </summary>
internal static partial class FftwOpenMpNative
{
    internal const string Library = FftwLibrary.OpenMpLibraryName;

    // int fftw_init_threads(void);  nonzero on success; called once, before any plan is made.
    [LibraryImport(Library, EntryPoint = "fftw_init_threads")]
    internal static partial int InitThreads();

    // void fftw_plan_with_nthreads(int nthreads);  applies to every plan created afterwards.
    [LibraryImport(Library, EntryPoint = "fftw_plan_with_nthreads")]
    internal static partial void PlanWithNThreads(int threads);
}
