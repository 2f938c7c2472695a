namespace HpcGB.Interop.Fftw;

/// <summary>
/// One FFTW plan for a real transform of a fixed shape, direction, planner rigor and thread count, made by
/// <see cref="FftwPlanCache"/> and shared by every <see cref="RealFft"/> of that kind. It executes on any pair of
/// <see cref="FftwBuffer{T}"/>s of the right lengths (FFTW's new-array execute), from several threads at once
/// when they use different buffers.
/// </summary>
public sealed class FftwPlan
{
    private readonly FftwShape _shape;

    private FftwPlan(FftwShape shape, FftwDirection direction, FftwPlannerFlags flags, int threads, FftwPlanHandle handle,
        bool fromWisdom)
    {
        FromWisdom = fromWisdom;
        _shape = shape;
        Direction = direction;
        Flags = flags;
        Threads = threads;
        Handle = handle;
    }

    /// <summary>The extents, [M] or [M1, M2].</summary>
    public IReadOnlyList<int> Shape => _shape.ToArray();

    /// <summary>Forward (r2c) or inverse (c2r).</summary>
    public FftwDirection Direction { get; }

    /// <summary>The planner rigor the plan was made with.</summary>
    public FftwPlannerFlags Flags { get; }

    /// <summary>The threads FFTW uses to execute it (1 without the OpenMP library).</summary>
    public int Threads { get; }

    /// <summary>The real mesh's length, M or M1·M2.</summary>
    public int RealLength => _shape.RealLength;

    /// <summary>The half spectrum's length, M/2+1 or M1·(M2/2+1).</summary>
    public int SpectrumLength => _shape.SpectrumLength;

    /// <summary>True when a <see cref="FftwPlannerFlags.Wisdom"/> plan came from the loaded wisdom (false: Estimate, or another rigor).</summary>
    public bool FromWisdom { get; }

    internal FftwPlanHandle Handle { get; }

    /// <summary>
    /// Plans the transform on scratch arrays of the right size (Measure overwrites them), under the planner lock.
    /// </summary>
    /// <param name="extraNativeFlags">FFTW flag bits OR-ed in; tests use it to make the planner fail.</param>
    /// <exception cref="FftwException">FFTW returned a NULL plan; the message names the function and the shape.</exception>
    internal static FftwPlan Create(
        FftwShape shape, FftwDirection direction, FftwPlannerFlags flags, int threads, uint extraNativeFlags = 0)
    {
        FftwLibrary.EnsureAvailable();
        uint nativeFlags = ToNative(flags) | extraNativeFlags;
        string function = (direction, shape.Rank) switch
        {
            (FftwDirection.RealToComplex, 1) => "fftw_plan_dft_r2c_1d",
            (FftwDirection.RealToComplex, _) => "fftw_plan_dft_r2c_2d",
            (FftwDirection.ComplexToReal, 1) => "fftw_plan_dft_c2r_1d",
            _ => "fftw_plan_dft_c2r_2d",
        };

        using var realArray = new FftwBuffer<double>(shape.RealLength);
        using var complexArray = new FftwBuffer<System.Numerics.Complex>(shape.SpectrumLength);
        FftwPlanHandle handle;
        bool fromWisdom = false;
        lock (FftwLibrary.PlannerLock)
        {
            FftwLibrary.SetPlannerThreadsUnderLock(threads);
            FftwPlanHandle Plan(uint native) => (direction, shape.Rank) switch
            {
                (FftwDirection.RealToComplex, 1) =>
                    FftwNative.PlanDftR2C1D(shape.N0, realArray.Memory, complexArray.Memory, native),
                (FftwDirection.RealToComplex, _) =>
                    FftwNative.PlanDftR2C2D(shape.N0, shape.N1, realArray.Memory, complexArray.Memory, native),
                (FftwDirection.ComplexToReal, 1) =>
                    FftwNative.PlanDftC2R1D(shape.N0, complexArray.Memory, realArray.Memory, native),
                _ =>
                    FftwNative.PlanDftC2R2D(shape.N0, shape.N1, complexArray.Memory, realArray.Memory, native),
            };
            if (flags == FftwPlannerFlags.Wisdom)
            {
                handle = Plan(FftwNative.Measure | FftwNative.WisdomOnly | extraNativeFlags);
                fromWisdom = !handle.IsInvalid;
                if (!fromWisdom)
                {
                    handle.Dispose();
                    handle = Plan(nativeFlags);
                }
            }
            else
            {
                handle = Plan(nativeFlags);
            }
        }

        if (handle.IsInvalid)
        {
            handle.Dispose();
            throw new FftwException(
                $"{function} returned NULL for shape {shape} ({flags}, {threads} thread(s), flags 0x{nativeFlags:x}).");
        }
        return new FftwPlan(shape, direction, flags, threads, handle, fromWisdom);
    }

    /// <summary>Runs the forward plan: <paramref name="real"/> (kept) to <paramref name="spectrum"/>.</summary>
    internal void ExecuteRealToComplex(FftwBuffer<double> real, FftwBuffer<System.Numerics.Complex> spectrum)
    {
        CheckLengths(FftwDirection.RealToComplex, real, spectrum);
        FftwNative.ExecuteDftR2C(Handle, real.Memory, spectrum.Memory);
    }

    /// <summary>Runs the inverse plan: <paramref name="spectrum"/> (overwritten by FFTW) to <paramref name="real"/>.</summary>
    internal void ExecuteComplexToRealDestroyingInput(
        FftwBuffer<System.Numerics.Complex> spectrum, FftwBuffer<double> real)
    {
        CheckLengths(FftwDirection.ComplexToReal, real, spectrum);
        FftwNative.ExecuteDftC2R(Handle, spectrum.Memory, real.Memory);
    }

    private void CheckLengths(
        FftwDirection direction, FftwBuffer<double> real, FftwBuffer<System.Numerics.Complex> spectrum)
    {
        if (direction != Direction)
        {
            throw new InvalidOperationException($"This plan is {Direction}, not {direction}.");
        }
        if (real.Length != RealLength)
        {
            throw new ArgumentException(
                $"The real mesh has {real.Length} values; shape {_shape} needs {RealLength}.", nameof(real));
        }
        if (spectrum.Length != SpectrumLength)
        {
            throw new ArgumentException(
                $"The spectrum has {spectrum.Length} values; shape {_shape} needs {SpectrumLength} (half spectrum).",
                nameof(spectrum));
        }
    }

    /// <summary>The FFTW flag bits of a planner rigor (Wisdom: its Estimate fallback).</summary>
    internal static uint ToNative(FftwPlannerFlags flags) => flags switch
    {
        FftwPlannerFlags.Estimate => FftwNative.Estimate,
        FftwPlannerFlags.Measure => FftwNative.Measure,
        FftwPlannerFlags.Patient => FftwNative.Patient,
        FftwPlannerFlags.Wisdom => FftwNative.Estimate, // the fallback; the wisdom attempt is made in Create
        _ => throw new ArgumentOutOfRangeException(nameof(flags), flags, "Unknown planner flags."),
    };

    /// <inheritdoc/>
    public override string ToString() => $"{Direction} {_shape} ({Flags}, {Threads} thread(s))";
}
