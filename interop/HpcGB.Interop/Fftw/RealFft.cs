using System.Numerics;

namespace HpcGB.Interop.Fftw;

/// <summary>
/// Forward (real to half-spectrum) and inverse (half-spectrum to real) FFTs of one shape, [M] or [M1, M2], through
/// FFTW plans shared by the <see cref="FftwPlanCache"/>.
/// </summary>
/// <remarks>
/// <para>Layout: the real mesh is row-major, M1·M2 values with the M2 index contiguous. The half spectrum keeps
/// the non-negative frequencies of the last axis only: M/2+1 values in 1D, M1·(M2/2+1) row-major in 2D; the other
/// half follows from X[−k] = conj X[k].</para>
/// <para>Scaling: like FFTW, both directions are unnormalised, X[k] = Σⱼ x[j] e^(−2πi jk/N) forward and e^(+2πi jk/N)
/// inverse, so <c>Inverse(Forward(x)) = N·x</c> with N = M or M1·M2.</para>
/// <para>Inputs: <see cref="Forward(FftwBuffer{double}, FftwBuffer{Complex})"/> keeps its input. FFTW's c2r
/// overwrites its input, so every <c>Inverse</c> overload first copies the spectrum into a scratch buffer and leaves
/// the caller's spectrum intact; <see cref="InverseDestroyingInput"/> skips that copy.</para>
/// <para>Threads: an instance owns scratch buffers and is not thread-safe; use one instance per thread (they share the
/// cached plans). The buffer-to-buffer <see cref="Forward(FftwBuffer{double}, FftwBuffer{Complex})"/> and
/// <see cref="InverseDestroyingInput"/> use no scratch and may run concurrently on different buffers.</para>
/// </remarks>
public sealed class RealFft : IDisposable
{
    private readonly FftwShape _shape;
    private FftwBuffer<double>? _scratchReal;
    private FftwBuffer<Complex>? _scratchSpectrum;
    private bool _disposed;

    /// <summary>Gets (or plans, once per process) the forward and inverse plans for <paramref name="shape"/>.</summary>
    /// <param name="shape">[M] or [M1, M2], each at least 1.</param>
    /// <param name="flags">Planner rigor; Measure plans slowly once and executes fastest, but its plan (and rounding)
    /// can differ from run to run (<see cref="FftwPlannerFlags.Measure"/>).</param>
    /// <param name="threads">FFTW threads per transform; 1 when <c>libfftw3_omp.so.3</c> is missing.</param>
    /// <exception cref="ArgumentException">The shape is not [M] or [M1, M2] with extents of at least 1.</exception>
    /// <exception cref="FftwUnavailableException"><c>libfftw3.so.3</c> is missing.</exception>
    /// <exception cref="FftwException">FFTW could not plan the transform.</exception>
    public RealFft(ReadOnlySpan<int> shape, FftwPlannerFlags flags = FftwPlannerFlags.Estimate, int threads = 1)
    {
        _shape = FftwShape.From(shape);
        ForwardPlan = FftwPlanCache.GetOrCreate(shape, FftwDirection.RealToComplex, flags, threads);
        InversePlan = FftwPlanCache.GetOrCreate(shape, FftwDirection.ComplexToReal, flags, threads);
    }

    /// <summary>The extents, [M] or [M1, M2].</summary>
    public IReadOnlyList<int> Shape => _shape.ToArray();

    /// <summary>N: the real mesh's length, M or M1·M2, and the factor of <c>Inverse(Forward(x))</c>.</summary>
    public int RealLength => _shape.RealLength;

    /// <summary>The half spectrum's length, M/2+1 or M1·(M2/2+1).</summary>
    public int SpectrumLength => _shape.SpectrumLength;

    /// <summary>The planner rigor of both plans.</summary>
    public FftwPlannerFlags Flags => ForwardPlan.Flags;

    /// <summary>The threads FFTW really uses per transform.</summary>
    public int Threads => ForwardPlan.Threads;

    /// <summary>The shared r2c plan.</summary>
    public FftwPlan ForwardPlan { get; }

    /// <summary>True when both plans came from the loaded wisdom (<see cref="FftwPlannerFlags.Wisdom"/>).</summary>
    public bool FromWisdom => ForwardPlan.FromWisdom && InversePlan.FromWisdom;

    /// <summary>The shared c2r plan.</summary>
    public FftwPlan InversePlan { get; }

    /// <summary>A new zeroed real mesh of <see cref="RealLength"/> values; the caller disposes it.</summary>
    public FftwBuffer<double> AllocateReal() => new(RealLength);

    /// <summary>A new zeroed half spectrum of <see cref="SpectrumLength"/> values; the caller disposes it.</summary>
    public FftwBuffer<Complex> AllocateSpectrum() => new(SpectrumLength);

    /// <summary>Forward transform, buffer to buffer, without copies; <paramref name="real"/> is kept.</summary>
    public void Forward(FftwBuffer<double> real, FftwBuffer<Complex> spectrum)
    {
        ThrowIfDisposed();
        ForwardPlan.ExecuteRealToComplex(real, spectrum);
    }

    /// <summary>Forward transform of any span: copied into an aligned scratch mesh first.</summary>
    public void Forward(ReadOnlySpan<double> real, FftwBuffer<Complex> spectrum)
    {
        ThrowIfDisposed();
        var scratch = ScratchReal();
        CopyChecked(real, scratch, nameof(real));
        ForwardPlan.ExecuteRealToComplex(scratch, spectrum);
    }

    /// <summary>Forward transform span to span, through scratch buffers.</summary>
    public void Forward(ReadOnlySpan<double> real, Span<Complex> spectrum)
    {
        ThrowIfDisposed();
        CheckLength(spectrum.Length, SpectrumLength, nameof(spectrum));
        var scratch = ScratchSpectrum();
        Forward(real, scratch);
        scratch.Span.CopyTo(spectrum);
    }

    /// <summary>Inverse transform (unnormalised); <paramref name="spectrum"/> is kept (copied to scratch first).</summary>
    public void Inverse(FftwBuffer<Complex> spectrum, FftwBuffer<double> real)
    {
        ArgumentNullException.ThrowIfNull(spectrum);
        Inverse((ReadOnlySpan<Complex>)spectrum.Span, real);
    }

    /// <summary>Inverse transform (unnormalised) of any span into a buffer; the span is not modified.</summary>
    public void Inverse(ReadOnlySpan<Complex> spectrum, FftwBuffer<double> real)
    {
        ThrowIfDisposed();
        var scratch = ScratchSpectrum();
        CopyChecked(spectrum, scratch, nameof(spectrum));
        InversePlan.ExecuteComplexToRealDestroyingInput(scratch, real);
    }

    /// <summary>Inverse transform (unnormalised) span to span, through scratch buffers.</summary>
    public void Inverse(ReadOnlySpan<Complex> spectrum, Span<double> real)
    {
        ThrowIfDisposed();
        CheckLength(real.Length, RealLength, nameof(real));
        var scratch = ScratchReal();
        Inverse(spectrum, scratch);
        scratch.Span.CopyTo(real);
    }

    /// <summary>
    /// Inverse transform (unnormalised) without the protective copy: FFTW's c2r uses <paramref name="spectrum"/> as
    /// workspace, so its contents are undefined afterwards.
    /// </summary>
    public void InverseDestroyingInput(FftwBuffer<Complex> spectrum, FftwBuffer<double> real)
    {
        ThrowIfDisposed();
        InversePlan.ExecuteComplexToRealDestroyingInput(spectrum, real);
    }

    /// <summary>Frees the scratch buffers; the plans stay in the cache for other instances.</summary>
    public void Dispose()
    {
        _disposed = true;
        _scratchReal?.Dispose();
        _scratchSpectrum?.Dispose();
    }

    private FftwBuffer<double> ScratchReal() => _scratchReal ??= AllocateReal();

    private FftwBuffer<Complex> ScratchSpectrum() => _scratchSpectrum ??= AllocateSpectrum();

    private static void CopyChecked<T>(ReadOnlySpan<T> source, FftwBuffer<T> destination, string name)
        where T : unmanaged
    {
        CheckLength(source.Length, destination.Length, name);
        source.CopyTo(destination.Span);
    }

    private static void CheckLength(int actual, int expected, string name)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"{name} has {actual} values; this transform needs {expected}.", name);
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
