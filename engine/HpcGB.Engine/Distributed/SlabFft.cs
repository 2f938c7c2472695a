using System.Diagnostics;
using System.Numerics;
using System.Runtime.InteropServices;
using HpcGB.Interop.Fftw;

namespace HpcGB.Engine.Distributed;

/// <summary>
/// The particle mesh's convolution with the influence function when the mesh is cut into slabs along x1: this
/// rank's rows of the real mesh go in (<see cref="Real"/>), a distributed forward FFT, the multiplication by G in
/// whatever layout that leaves, the inverse FFT, and the same rows come out as the potential (unnormalised, like
/// <see cref="RealFft"/>). No rank holds the whole mesh: local FFTs with FFTW, transposes over the communicator.
/// </summary>
internal abstract class SlabFft : IDisposable
{
    /// <summary>This rank's part of the real mesh: its rows, row-major (2D), or its points (1D).</summary>
    public abstract Span<double> Real { get; }

    /// <summary>Seconds in local FFTs and the multiplication of the last <see cref="Convolve"/> (transposes excluded).</summary>
    public double ComputeSeconds { get; protected set; }

    /// <summary>Real ← F⁻¹(G · F(Real)).</summary>
    public abstract void Convolve();

    public abstract void Dispose();

    /// <summary>The 2D or 1D transform for <paramref name="layout"/>.</summary>
    /// <param name="influence">G at frequency index (k1, k2): k1 ∈ [0, M), k2 ∈ [0, M/2] in 2D; k2 = 0 and k1 ∈ [0, M/2] in 1D
    /// (G is even, so the 1D transform asks only for the half spectrum).</param>
    public static SlabFft Create(int dimension, int mesh, SlabLayout layout, Communicator communicator, int threads, Func<int, int, double> influence) =>
        dimension == 2
            ? new SlabFft2D(mesh, layout, communicator, threads, influence)
            : new SlabFft1D(mesh, layout, communicator, threads, influence);

    /// <summary>
    /// The block length P of the 1D four-step transform for a mesh of M = P·Q points: the largest divisor of M not above
    /// √M. The slabs of a 1D run are whole blocks.
    /// </summary>
    public static int Granularity(int dimension, int mesh)
    {
        if (dimension == 2)
        {
            return 1;
        }
        int p = (int)Math.Floor(Math.Sqrt(mesh));
        while (mesh % p != 0)
        {
            p--;
        }
        return p;
    }

    protected static Span<double> Doubles(FftwBuffer<Complex> buffer) => MemoryMarshal.Cast<Complex, double>(buffer.Span);
}

/// <summary>
/// 2D: r2c along x2 on this rank's rows, a transpose so that each rank holds whole columns k2 of the half spectrum
/// (even shares of the M/2 + 1 columns), c2c along x1 on them, G, and back the same way.
/// </summary>
internal sealed class SlabFft2D : SlabFft
{
    private readonly BatchedFft _rowFft;
    private readonly BatchedFft _columnFft;
    private readonly Transposer _transposer;
    private readonly FftwBuffer<double> _real;
    private readonly FftwBuffer<Complex> _rowSpectrum;
    private readonly FftwBuffer<Complex> _columns;
    private readonly FftwBuffer<Complex> _spectrum;
    private readonly double[] _influence; // [column][k1]

    public SlabFft2D(int mesh, SlabLayout layout, Communicator communicator, int threads, Func<int, int, double> influence)
    {
        int me = communicator.Rank, rows = layout.Rows(me), half = mesh / 2 + 1;
        _transposer = new Transposer(communicator, 2, [.. layout.Boundaries], Transposer.EvenStarts(half, communicator.Size));
        int columns = _transposer.MyColumns;
        _rowFft = new BatchedFft(BatchedFftKind.RealRows, mesh, rows, threads);
        _columnFft = new BatchedFft(BatchedFftKind.ComplexVectors, mesh, columns, threads);
        _real = new FftwBuffer<double>(rows * mesh);
        _rowSpectrum = new FftwBuffer<Complex>(rows * half);
        _columns = new FftwBuffer<Complex>(columns * mesh);
        _spectrum = new FftwBuffer<Complex>(columns * mesh);
        _influence = new double[columns * mesh];
        for (int c = 0; c < columns; c++)
        {
            for (int k1 = 0; k1 < mesh; k1++)
            {
                _influence[c * mesh + k1] = influence(k1, _transposer.FirstColumn + c);
            }
        }
    }

    public override Span<double> Real => _real.Span;

    public override void Convolve()
    {
        long start = Stopwatch.GetTimestamp();
        _rowFft.Forward(_real, _rowSpectrum);
        long transposing = Stopwatch.GetTimestamp();
        _transposer.ToColumns(Doubles(_rowSpectrum), Doubles(_columns));
        long computing = Stopwatch.GetTimestamp();
        _columnFft.Transform(_columns, _spectrum, forward: true);
        var spectrum = _spectrum.Span;
        for (int k = 0; k < spectrum.Length; k++)
        {
            spectrum[k] *= _influence[k];
        }
        _columnFft.Transform(_spectrum, _columns, forward: false);
        long transposingBack = Stopwatch.GetTimestamp();
        _transposer.ToRows(Doubles(_columns), Doubles(_rowSpectrum));
        long end = Stopwatch.GetTimestamp();
        _rowFft.InverseDestroyingInput(_rowSpectrum, _real);
        ComputeSeconds = (Stopwatch.GetElapsedTime(start, transposing) + Stopwatch.GetElapsedTime(computing, transposingBack)
            + Stopwatch.GetElapsedTime(end)).TotalSeconds;
    }

    public override void Dispose()
    {
        _rowFft.Dispose();
        _columnFft.Dispose();
        _real.Dispose();
        _rowSpectrum.Dispose();
        _columns.Dispose();
        _spectrum.Dispose();
    }
}

/// <summary>
/// 1D, M = P·Q points, point j = j1 + P·j2 (this rank holds whole rows j2 of P points): the four-step FFT. A transpose
/// to columns j1, length-Q FFTs over j2, the twiddle e^(−2πi j1 k2/M), a transpose to columns k2, length-P FFTs over
/// j1 giving X[k2 + Q·k1], G, and back through the same steps (conjugate twiddle, inverse FFTs).
/// </summary>
internal sealed class SlabFft1D : SlabFft
{
    private readonly Transposer _points;   // Q × P reals: rows j2 → columns j1
    private readonly Transposer _twiddled; // P × Q complex: rows j1 → columns k2
    private readonly BatchedFft _fftQ;
    private readonly BatchedFft _fftP;
    private readonly FftwBuffer<double> _real;
    private readonly double[] _byColumn;
    private readonly FftwBuffer<Complex> _a, _b, _c, _d;
    private readonly Complex[] _twiddle;   // [j1 local][k2]
    private readonly double[] _influence;  // [k2 local][k1]

    public SlabFft1D(int mesh, SlabLayout layout, Communicator communicator, int threads, Func<int, int, double> influence)
    {
        int p = layout.Granularity, q = mesh / p, ranks = communicator.Size;
        if (p != Granularity(1, mesh))
        {
            throw new ArgumentException($"a 1D slab layout of {mesh} points must have granularity {Granularity(1, mesh)}, got {p}", nameof(layout));
        }
        _points = new Transposer(communicator, 1, layout.Boundaries.Select(b => b / p).ToArray(), Transposer.EvenStarts(p, ranks));
        _twiddled = new Transposer(communicator, 2, Transposer.EvenStarts(p, ranks), Transposer.EvenStarts(q, ranks));
        int myJ1 = _points.MyColumns, myK2 = _twiddled.MyColumns;
        _fftQ = new BatchedFft(BatchedFftKind.ComplexVectors, q, myJ1, threads);
        _fftP = new BatchedFft(BatchedFftKind.ComplexVectors, p, myK2, threads);
        _real = new FftwBuffer<double>(layout.Rows(communicator.Rank));
        _byColumn = new double[myJ1 * q];
        _a = new FftwBuffer<Complex>(myJ1 * q);
        _b = new FftwBuffer<Complex>(myJ1 * q);
        _c = new FftwBuffer<Complex>(myK2 * p);
        _d = new FftwBuffer<Complex>(myK2 * p);
        _twiddle = new Complex[myJ1 * q];
        for (int j = 0; j < myJ1; j++)
        {
            long j1 = _points.FirstColumn + j;
            for (int k2 = 0; k2 < q; k2++)
            {
                var (sin, cos) = Math.SinCos(-2 * Math.PI * (j1 * k2 % mesh) / mesh);
                _twiddle[j * q + k2] = new Complex(cos, sin);
            }
        }
        _influence = new double[myK2 * p];
        for (int k = 0; k < myK2; k++)
        {
            int k2 = _twiddled.FirstColumn + k;
            for (int k1 = 0; k1 < p; k1++)
            {
                int index = k2 + q * k1;
                _influence[k * p + k1] = influence(Math.Min(index, mesh - index), 0);
            }
        }
    }

    public override Span<double> Real => _real.Span;

    public override void Convolve()
    {
        double compute = 0;
        _points.ToColumns(_real.Span, _byColumn);
        long computing = Stopwatch.GetTimestamp();
        var a = _a.Span;
        for (int k = 0; k < a.Length; k++)
        {
            a[k] = new Complex(_byColumn[k], 0);
        }
        _fftQ.Transform(_a, _b, forward: true);
        var b = _b.Span;
        for (int k = 0; k < b.Length; k++)
        {
            b[k] *= _twiddle[k];
        }
        compute += Stopwatch.GetElapsedTime(computing).TotalSeconds;
        _twiddled.ToColumns(Doubles(_b), Doubles(_c));
        computing = Stopwatch.GetTimestamp();
        _fftP.Transform(_c, _d, forward: true);
        var d = _d.Span;
        for (int k = 0; k < d.Length; k++)
        {
            d[k] *= _influence[k];
        }
        _fftP.Transform(_d, _c, forward: false);
        compute += Stopwatch.GetElapsedTime(computing).TotalSeconds;
        _twiddled.ToRows(Doubles(_c), Doubles(_b));
        computing = Stopwatch.GetTimestamp();
        for (int k = 0; k < b.Length; k++)
        {
            b[k] *= Complex.Conjugate(_twiddle[k]);
        }
        _fftQ.Transform(_b, _a, forward: false);
        for (int k = 0; k < a.Length; k++)
        {
            _byColumn[k] = a[k].Real;
        }
        compute += Stopwatch.GetElapsedTime(computing).TotalSeconds;
        _points.ToRows(_byColumn, _real.Span);
        ComputeSeconds = compute;
    }

    public override void Dispose()
    {
        _fftQ.Dispose();
        _fftP.Dispose();
        _real.Dispose();
        _a.Dispose();
        _b.Dispose();
        _c.Dispose();
        _d.Dispose();
    }
}
