using System.Numerics;

namespace HpcGB.Interop.Fftw;

/// <summary>Which transform a <see cref="BatchedFft"/> makes.</summary>
public enum BatchedFftKind
{
    /// <summary>Real rows of length L to half spectra of L/2 + 1 (r2c); inverse c2r.</summary>
    RealRows,

    /// <summary>Complex vectors of length L to their spectra (c2c), forward e^(−2πi jk/L) and backward e^(+2πi jk/L).</summary>
    ComplexVectors,
}

/// <summary>
/// <see cref="Count"/> one-dimensional transforms of one <see cref="Length"/> on contiguous vectors, one after the
/// other in one buffer: the row and column passes of a distributed FFT (HpcGB.Engine.Distributed), whose transposes
/// travel between ranks in between. Unnormalised like <see cref="RealFft"/>. Planned with <c>FFTW_ESTIMATE</c>, so
/// planning is instant and the same plan (and the same rounding) comes out every run. The plans belong to the
/// instance; execution is thread-safe on distinct buffers.
/// </summary>
public sealed unsafe class BatchedFft : IDisposable
{
    private readonly FftwPlanHandle? _forward;
    private readonly FftwPlanHandle? _backward;

    /// <param name="kind">Real rows (r2c / c2r) or complex vectors (c2c both ways).</param>
    /// <param name="length">L ≥ 1.</param>
    /// <param name="count">How many vectors (0 makes a transform that does nothing).</param>
    /// <param name="threads">FFTW threads per execution (1 without the OpenMP library).</param>
    /// <exception cref="FftwUnavailableException"><c>libfftw3.so.3</c> is missing.</exception>
    /// <exception cref="FftwException">FFTW could not plan it.</exception>
    public BatchedFft(BatchedFftKind kind, int length, int count, int threads = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        FftwLibrary.EnsureAvailable();
        Kind = kind;
        Length = length;
        Count = count;
        SpectrumLength = kind == BatchedFftKind.RealRows ? length / 2 + 1 : length;
        if (count == 0)
        {
            return;
        }
        int n = length;
        using var real = new FftwBuffer<double>(kind == BatchedFftKind.RealRows ? RealValues : 0);
        using var first = new FftwBuffer<Complex>(SpectrumValues);
        using var second = new FftwBuffer<Complex>(kind == BatchedFftKind.ComplexVectors ? SpectrumValues : 0);
        lock (FftwLibrary.PlannerLock)
        {
            FftwLibrary.SetPlannerThreadsUnderLock(FftwLibrary.EffectiveThreads(Math.Max(1, threads)));
            if (kind == BatchedFftKind.RealRows)
            {
                _forward = FftwManyNative.PlanManyR2C(1, &n, count, real.Memory, null, 1, length, first.Memory, null, 1, SpectrumLength, FftwNative.Estimate);
                _backward = FftwManyNative.PlanManyC2R(1, &n, count, first.Memory, null, 1, SpectrumLength, real.Memory, null, 1, length,
                    FftwNative.Estimate | FftwNative.DestroyInput);
            }
            else
            {
                _forward = FftwManyNative.PlanManyC2C(1, &n, count, first.Memory, null, 1, length, second.Memory, null, 1, length,
                    FftwManyNative.Forward, FftwNative.Estimate);
                _backward = FftwManyNative.PlanManyC2C(1, &n, count, first.Memory, null, 1, length, second.Memory, null, 1, length,
                    FftwManyNative.Backward, FftwNative.Estimate);
            }
        }
        if (_forward.IsInvalid || _backward.IsInvalid)
        {
            Dispose();
            throw new FftwException($"fftw_plan_many_dft{(kind == BatchedFftKind.RealRows ? "_r2c/_c2r" : "")} returned NULL for {count} × {length}.");
        }
    }

    public BatchedFftKind Kind { get; }

    /// <summary>L, the length of each transform.</summary>
    public int Length { get; }

    /// <summary>How many vectors one execution transforms.</summary>
    public int Count { get; }

    /// <summary>Values per spectrum: L/2 + 1 for real rows, L for complex vectors.</summary>
    public int SpectrumLength { get; }

    /// <summary>The real buffer's length, Count·L (real rows).</summary>
    public int RealValues => Count * Length;

    /// <summary>The spectrum buffer's length, Count·SpectrumLength.</summary>
    public int SpectrumValues => Count * SpectrumLength;

    /// <summary>r2c of every row: <paramref name="real"/> (kept) to <paramref name="spectrum"/>.</summary>
    public void Forward(FftwBuffer<double> real, FftwBuffer<Complex> spectrum)
    {
        Check(BatchedFftKind.RealRows, real.Length, RealValues, spectrum.Length);
        if (_forward is not null)
        {
            FftwNative.ExecuteDftR2C(_forward, real.Memory, spectrum.Memory);
        }
    }

    /// <summary>c2r of every row; FFTW uses <paramref name="spectrum"/> as workspace (undefined afterwards).</summary>
    public void InverseDestroyingInput(FftwBuffer<Complex> spectrum, FftwBuffer<double> real)
    {
        Check(BatchedFftKind.RealRows, real.Length, RealValues, spectrum.Length);
        if (_backward is not null)
        {
            FftwNative.ExecuteDftC2R(_backward, spectrum.Memory, real.Memory);
        }
    }

    /// <summary>c2c of every vector, forward or backward, <paramref name="input"/> to <paramref name="output"/> (distinct buffers).</summary>
    public void Transform(FftwBuffer<Complex> input, FftwBuffer<Complex> output, bool forward)
    {
        Check(BatchedFftKind.ComplexVectors, input.Length, SpectrumValues, output.Length);
        if (ReferenceEquals(input, output))
        {
            throw new ArgumentException("the c2c plans are out of place: use two buffers", nameof(output));
        }
        var plan = forward ? _forward : _backward;
        if (plan is not null)
        {
            FftwManyNative.ExecuteDft(plan, input.Memory, output.Memory);
        }
    }

    public void Dispose()
    {
        _forward?.Dispose();
        _backward?.Dispose();
    }

    private void Check(BatchedFftKind kind, int first, int firstExpected, int spectrum)
    {
        if (kind != Kind)
        {
            throw new InvalidOperationException($"this transform is {Kind}, not {kind}");
        }
        if (first != firstExpected || spectrum != SpectrumValues)
        {
            throw new ArgumentException($"buffers of {firstExpected} and {SpectrumValues} values expected, got {first} and {spectrum}");
        }
    }
}
