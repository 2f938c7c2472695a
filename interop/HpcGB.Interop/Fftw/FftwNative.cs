using System.Runtime.InteropServices;

namespace HpcGB.Interop.Fftw;

/// <summary>
/// The FFTW3 (double precision) entry points HpcGB uses, bound from <c>libfftw3.so.3</c>.
/// </summary>
/// <remarks>
/// Planner functions (<c>fftw_plan_*</c>, <c>fftw_destroy_plan</c>) are not thread-safe: call them only while holding
/// <see cref="FftwLibrary.PlannerLock"/>. The new-array execute functions are thread-safe as long as concurrent calls
/// use different arrays. Plans and buffers travel as SafeHandles, so a handle cannot be released during a call.
/// </remarks>
internal static partial class FftwNative
{
    internal const string Library = FftwLibrary.LibraryName;

    /// <summary><c>FFTW_MEASURE</c>: time several algorithms and keep the fastest (overwrites the planning arrays).</summary>
    internal const uint Measure = 0;

    /// <summary><c>FFTW_DESTROY_INPUT</c>: an out-of-place transform may overwrite its input.</summary>
    internal const uint DestroyInput = 1u << 0;

    /// <summary><c>FFTW_PRESERVE_INPUT</c>: never supported by multi-dimensional c2r (the planner returns NULL).</summary>
    internal const uint PreserveInput = 1u << 4;

    /// <summary><c>FFTW_PATIENT</c>.</summary>
    internal const uint Patient = 1u << 5;

    /// <summary><c>FFTW_ESTIMATE</c>: pick an algorithm by heuristics, without touching the planning arrays.</summary>
    internal const uint Estimate = 1u << 6;

    /// <summary><c>FFTW_WISDOM_ONLY</c>: plan only from wisdom of at least the given rigor, else return NULL (nothing measured).</summary>
    internal const uint WisdomOnly = 1u << 21;

    // fftw_plan fftw_plan_dft_r2c_1d(int n, double *in, fftw_complex *out, unsigned flags);
    [LibraryImport(Library, EntryPoint = "fftw_plan_dft_r2c_1d")]
    internal static partial FftwPlanHandle PlanDftR2C1D(int n, FftwMemoryHandle input, FftwMemoryHandle output, uint flags);

    // fftw_plan fftw_plan_dft_r2c_2d(int n0, int n1, double *in, fftw_complex *out, unsigned flags);
    [LibraryImport(Library, EntryPoint = "fftw_plan_dft_r2c_2d")]
    internal static partial FftwPlanHandle PlanDftR2C2D(
        int n0, int n1, FftwMemoryHandle input, FftwMemoryHandle output, uint flags);

    // fftw_plan fftw_plan_dft_c2r_1d(int n, fftw_complex *in, double *out, unsigned flags);
    [LibraryImport(Library, EntryPoint = "fftw_plan_dft_c2r_1d")]
    internal static partial FftwPlanHandle PlanDftC2R1D(int n, FftwMemoryHandle input, FftwMemoryHandle output, uint flags);

    // fftw_plan fftw_plan_dft_c2r_2d(int n0, int n1, fftw_complex *in, double *out, unsigned flags);
    [LibraryImport(Library, EntryPoint = "fftw_plan_dft_c2r_2d")]
    internal static partial FftwPlanHandle PlanDftC2R2D(
        int n0, int n1, FftwMemoryHandle input, FftwMemoryHandle output, uint flags);

    // void fftw_execute_dft_r2c(const fftw_plan p, double *in, fftw_complex *out);
    [LibraryImport(Library, EntryPoint = "fftw_execute_dft_r2c")]
    internal static partial void ExecuteDftR2C(FftwPlanHandle plan, FftwMemoryHandle input, FftwMemoryHandle output);

    // void fftw_execute_dft_c2r(const fftw_plan p, fftw_complex *in, double *out);
    [LibraryImport(Library, EntryPoint = "fftw_execute_dft_c2r")]
    internal static partial void ExecuteDftC2R(FftwPlanHandle plan, FftwMemoryHandle input, FftwMemoryHandle output);

    // void fftw_destroy_plan(fftw_plan p);
    [LibraryImport(Library, EntryPoint = "fftw_destroy_plan")]
    internal static partial void DestroyPlan(nint plan);

    // int fftw_export_wisdom_to_filename(const char *filename);  nonzero on success.
    [LibraryImport(Library, EntryPoint = "fftw_export_wisdom_to_filename", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int ExportWisdomToFilename(string filename);

    // int fftw_import_wisdom_from_filename(const char *filename);  nonzero on success.
    [LibraryImport(Library, EntryPoint = "fftw_import_wisdom_from_filename", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int ImportWisdomFromFilename(string filename);

    // void fftw_forget_wisdom(void);
    [LibraryImport(Library, EntryPoint = "fftw_forget_wisdom")]
    internal static partial void ForgetWisdom();

    // int fftw_alignment_of(double *p);  (0 for every buffer HpcGB allocates)
    [LibraryImport(Library, EntryPoint = "fftw_alignment_of")]
    internal static partial int AlignmentOf(FftwMemoryHandle pointer);
}
