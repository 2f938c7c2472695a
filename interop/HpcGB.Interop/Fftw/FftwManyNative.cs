using System.Runtime.InteropServices;

namespace HpcGB.Interop.Fftw;

/// <summary>FFTW's advanced interface: many 1D transforms of one length in one plan (<see cref="BatchedFft"/>).</summary>
internal static unsafe partial class FftwManyNative
{
    /// <summary><c>FFTW_FORWARD</c>: e^(−2πi jk/N).</summary>
    internal const int Forward = -1;

    /// <summary><c>FFTW_BACKWARD</c>: e^(+2πi jk/N).</summary>
    internal const int Backward = 1;

    // fftw_plan fftw_plan_many_dft_r2c(int rank, const int *n, int howmany, double *in, const int *inembed, int istride,
    //     int idist, fftw_complex *out, const int *onembed, int ostride, int odist, unsigned flags);
    [LibraryImport(FftwNative.Library, EntryPoint = "fftw_plan_many_dft_r2c")]
    internal static partial FftwPlanHandle PlanManyR2C(int rank, int* n, int howMany, FftwMemoryHandle input, int* inEmbed,
        int inStride, int inDistance, FftwMemoryHandle output, int* outEmbed, int outStride, int outDistance, uint flags);

    // fftw_plan fftw_plan_many_dft_c2r(… the same with fftw_complex *in, double *out …);
    [LibraryImport(FftwNative.Library, EntryPoint = "fftw_plan_many_dft_c2r")]
    internal static partial FftwPlanHandle PlanManyC2R(int rank, int* n, int howMany, FftwMemoryHandle input, int* inEmbed,
        int inStride, int inDistance, FftwMemoryHandle output, int* outEmbed, int outStride, int outDistance, uint flags);

    // fftw_plan fftw_plan_many_dft(int rank, const int *n, int howmany, fftw_complex *in, const int *inembed, int istride,
    //     int idist, fftw_complex *out, const int *onembed, int ostride, int odist, int sign, unsigned flags);
    [LibraryImport(FftwNative.Library, EntryPoint = "fftw_plan_many_dft")]
    internal static partial FftwPlanHandle PlanManyC2C(int rank, int* n, int howMany, FftwMemoryHandle input, int* inEmbed,
        int inStride, int inDistance, FftwMemoryHandle output, int* outEmbed, int outStride, int outDistance, int sign, uint flags);

    // void fftw_execute_dft(const fftw_plan p, fftw_complex *in, fftw_complex *out);
    [LibraryImport(FftwNative.Library, EntryPoint = "fftw_execute_dft")]
    internal static partial void ExecuteDft(FftwPlanHandle plan, FftwMemoryHandle input, FftwMemoryHandle output);

    // The same new-array executions on addresses inside a buffer (the part plans of BandLimitedFft).
    [LibraryImport(FftwNative.Library, EntryPoint = "fftw_execute_dft_r2c")]
    internal static partial void ExecuteDftR2CAt(FftwPlanHandle plan, double* input, void* output);

    [LibraryImport(FftwNative.Library, EntryPoint = "fftw_execute_dft_c2r")]
    internal static partial void ExecuteDftC2RAt(FftwPlanHandle plan, void* input, double* output);

    [LibraryImport(FftwNative.Library, EntryPoint = "fftw_execute_dft")]
    internal static partial void ExecuteDftAt(FftwPlanHandle plan, void* input, void* output);

    // The planners on addresses inside a buffer.
    [LibraryImport(FftwNative.Library, EntryPoint = "fftw_plan_many_dft_r2c")]
    internal static partial FftwPlanHandle PlanManyR2CAt(int rank, int* n, int howMany, double* input, int* inEmbed,
        int inStride, int inDistance, void* output, int* outEmbed, int outStride, int outDistance, uint flags);

    [LibraryImport(FftwNative.Library, EntryPoint = "fftw_plan_many_dft_c2r")]
    internal static partial FftwPlanHandle PlanManyC2RAt(int rank, int* n, int howMany, void* input, int* inEmbed,
        int inStride, int inDistance, double* output, int* outEmbed, int outStride, int outDistance, uint flags);

    [LibraryImport(FftwNative.Library, EntryPoint = "fftw_plan_many_dft")]
    internal static partial FftwPlanHandle PlanManyC2CAt(int rank, int* n, int howMany, void* input, int* inEmbed,
        int inStride, int inDistance, void* output, int* outEmbed, int outStride, int outDistance, int sign, uint flags);
}
