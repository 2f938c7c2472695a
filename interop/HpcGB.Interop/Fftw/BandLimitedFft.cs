using System.Numerics;

namespace HpcGB.Interop.Fftw;

/// <summary>
/// The 2D real FFT of an M×M mesh whose spectrum is needed only on the first <see cref="Columns"/> C of the
/// M/2 + 1 columns of the r2c half spectrum (last-axis frequencies 0 … C − 1): forward, r2c of every row, then c2c of
/// the first C columns only; inverse, c2c of those columns, then c2r of every row with the columns from C on zeroed.
/// The column transforms are most of the work that is saved: (M/2 + 1 − C)·M·log M of the 2D transform's.
/// </summary>
/// <remarks>
/// <para>Layout and scaling as <see cref="RealFft"/> (row-major, M/2 + 1 complex values per spectrum row,
/// unnormalised). The work is cut into <see cref="Parts"/> parts that the caller runs on threads of its own, each on
/// one FFTW thread: rows [<see cref="RowRange"/>) and blocks of <see cref="ColumnBlock"/> columns
/// [<see cref="ColumnRange"/>). Every column block runs the same plan, so one plan per direction serves every C.</para>
/// <para>Plans: FFTW's estimate, or with <see cref="FftwPlannerFlags.Wisdom"/> the loaded wisdom's measured plans
/// where it holds them (never timed here: the same plans, so the same rounding, in every run). The plans belong to
/// the instance and execute on any buffers of the right lengths (64-byte aligned, so every part and block keeps the
/// alignment it was planned with).</para>
/// </remarks>
public sealed unsafe class BandLimitedFft : IDisposable
{
    /// <summary>Columns per column plan: 16 complex values are 256 bytes, a multiple of the buffers' 64-byte alignment.</summary>
    public const int ColumnBlock = 16;

    private readonly int _half;
    private readonly FftwPlanHandle[] _rowsForward;
    private readonly FftwPlanHandle[] _rowsInverse;
    private readonly FftwPlanHandle _columnsForward;
    private readonly FftwPlanHandle _columnsBackward;

    /// <param name="mesh">M ≥ 2, even.</param>
    /// <param name="columns">C: a multiple of <see cref="ColumnBlock"/> below M/2 + 1.</param>
    /// <param name="parts">How many parts the caller runs (on one thread each), 1 … M/2.</param>
    /// <param name="flags">Estimate, or Wisdom; Measure and Patient time the plans (for storing wisdom only).</param>
    /// <exception cref="FftwUnavailableException"><c>libfftw3.so.3</c> is missing.</exception>
    /// <exception cref="FftwException">FFTW could not plan a transform.</exception>
    public BandLimitedFft(int mesh, int columns, int parts, FftwPlannerFlags flags = FftwPlannerFlags.Estimate)
    {
        if (mesh < 2 || mesh % 2 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(mesh), mesh, "the mesh must be even and at least 2");
        }
        _half = mesh / 2 + 1;
        if (columns < ColumnBlock || columns % ColumnBlock != 0 || columns >= _half)
        {
            throw new ArgumentOutOfRangeException(nameof(columns), columns, $"columns must be a multiple of {ColumnBlock} below {_half}");
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(parts, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(parts, mesh / 2);
        FftwLibrary.EnsureAvailable();
        Mesh = mesh;
        Columns = columns;
        Parts = parts;
        _rowsForward = new FftwPlanHandle[parts];
        _rowsInverse = new FftwPlanHandle[parts];
        using var real = new FftwBuffer<double>(RealLength);
        using var spectrum = new FftwBuffer<Complex>(SpectrumLength);
        double* r = (double*)real.Memory.Pointer;
        Complex* s = (Complex*)spectrum.Memory.Pointer;
        int* n = stackalloc int[] { mesh };
        bool fromWisdom = true;
        lock (FftwLibrary.PlannerLock)
        {
            FftwLibrary.SetPlannerThreadsUnderLock(1);
            FftwPlanHandle Plan(Func<uint, FftwPlanHandle> planner)
            {
                if (flags == FftwPlannerFlags.Wisdom)
                {
                    var wise = planner(FftwNative.Measure | FftwNative.WisdomOnly);
                    if (!wise.IsInvalid)
                    {
                        return wise;
                    }
                    wise.Dispose();
                    fromWisdom = false;
                }
                else
                {
                    fromWisdom = false;
                }
                var plan = planner(FftwPlan.ToNative(flags));
                return plan.IsInvalid ? throw new FftwException($"FFTW could not plan a band-limited {mesh}² transform ({columns} columns)") : plan;
            }
            for (int t = 0; t < parts; t++)
            {
                var (start, end) = RowRange(t);
                double* rows = r + (long)start * mesh;
                Complex* spectra = s + (long)start * _half;
                _rowsForward[t] = Plan(f => FftwManyNative.PlanManyR2CAt(1, n, end - start, rows, null, 1, mesh, spectra, null, 1, _half, f));
                _rowsInverse[t] = Plan(f => FftwManyNative.PlanManyC2RAt(1, n, end - start, spectra, null, 1, _half, rows, null, 1, mesh,
                    f | FftwNative.DestroyInput));
            }
            _columnsForward = Plan(f => FftwManyNative.PlanManyC2CAt(1, n, ColumnBlock, s, null, _half, 1, s, null, _half, 1, FftwManyNative.Forward, f));
            _columnsBackward = Plan(f => FftwManyNative.PlanManyC2CAt(1, n, ColumnBlock, s, null, _half, 1, s, null, _half, 1, FftwManyNative.Backward, f));
        }
        FromWisdom = fromWisdom;
    }

    public int Mesh { get; }

    /// <summary>C: the columns 0 … C − 1 of the half spectrum that are transformed; the others are zero after the forward.</summary>
    public int Columns { get; }

    public int Parts { get; }

    /// <summary>True when every plan came from the loaded wisdom (<see cref="FftwPlannerFlags.Wisdom"/>).</summary>
    public bool FromWisdom { get; }

    /// <summary>M², the real mesh's length.</summary>
    public int RealLength => Mesh * Mesh;

    /// <summary>M·(M/2 + 1), the half spectrum's length (the same as <see cref="RealFft"/>'s).</summary>
    public int SpectrumLength => Mesh * _half;

    /// <summary>The rows [start, end) of part <paramref name="part"/>.</summary>
    public (int Start, int End) RowRange(int part) => (Mesh * part / Parts, Mesh * (part + 1) / Parts);

    /// <summary>The columns [start, end) of part <paramref name="part"/>: whole blocks of <see cref="ColumnBlock"/>.</summary>
    public (int Start, int End) ColumnRange(int part)
    {
        int blocks = Columns / ColumnBlock;
        return (blocks * part / Parts * ColumnBlock, blocks * (part + 1) / Parts * ColumnBlock);
    }

    /// <summary>
    /// Forward, first pass: r2c of part <paramref name="part"/>'s rows of <paramref name="real"/> (kept) into
    /// <paramref name="spectrum"/>, whose columns from <see cref="Columns"/> on are then zeroed in those rows.
    /// </summary>
    public void ForwardRows(int part, FftwBuffer<double> real, FftwBuffer<Complex> spectrum)
    {
        Check(real, spectrum);
        var (start, end) = RowRange(part);
        FftwManyNative.ExecuteDftR2CAt(_rowsForward[part], (double*)real.Memory.Pointer + (long)start * Mesh,
            (Complex*)spectrum.Memory.Pointer + (long)start * _half);
        var span = spectrum.Span;
        for (int row = start; row < end; row++)
        {
            span.Slice(row * _half + Columns, _half - Columns).Clear();
        }
    }

    /// <summary>
    /// Forward second pass or inverse first pass: c2c (e^(∓2πi jk/M)) in place of the columns
    /// [<paramref name="start"/>, <paramref name="end"/>), block by block (multiples of <see cref="ColumnBlock"/>
    /// within <see cref="Columns"/>, e.g. a part's <see cref="ColumnRange"/> or one block of it).
    /// </summary>
    public void TransformColumns(int start, int end, FftwBuffer<Complex> spectrum, bool forward)
    {
        if (start % ColumnBlock != 0 || end % ColumnBlock != 0 || start < 0 || end > Columns)
        {
            throw new ArgumentOutOfRangeException(nameof(end), $"columns [{start}, {end}) are not whole blocks of {ColumnBlock} below {Columns}");
        }
        Check(null, spectrum);
        var plan = forward ? _columnsForward : _columnsBackward;
        Complex* s = (Complex*)spectrum.Memory.Pointer;
        for (int column = start; column < end; column += ColumnBlock)
        {
            FftwManyNative.ExecuteDftAt(plan, s + column, s + column);
        }
    }

    /// <summary>Inverse, second pass: c2r of part <paramref name="part"/>'s rows; FFTW uses those spectrum rows as workspace.</summary>
    public void InverseRowsDestroyingInput(int part, FftwBuffer<Complex> spectrum, FftwBuffer<double> real)
    {
        Check(real, spectrum);
        var (start, end) = RowRange(part);
        FftwManyNative.ExecuteDftC2RAt(_rowsInverse[part], (Complex*)spectrum.Memory.Pointer + (long)start * _half,
            (double*)real.Memory.Pointer + (long)start * Mesh);
    }

    public void Dispose()
    {
        foreach (var plan in _rowsForward.Concat(_rowsInverse))
        {
            plan?.Dispose();
        }
        _columnsForward?.Dispose();
        _columnsBackward?.Dispose();
    }

    private void Check(FftwBuffer<double>? real, FftwBuffer<Complex> spectrum)
    {
        if ((real is not null && real.Length != RealLength) || spectrum.Length != SpectrumLength)
        {
            throw new ArgumentException($"buffers of {RealLength} real and {SpectrumLength} complex values expected, got {real?.Length} and {spectrum.Length}");
        }
    }
}
