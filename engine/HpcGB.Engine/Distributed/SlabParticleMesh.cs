using System.Diagnostics;
using HpcGB.Engine.Forces.NearField;
using HpcGB.Engine.Forces.Pme;

namespace HpcGB.Engine.Distributed;

/// <summary>
/// Smooth PME (<see cref="ParticleMeshEwald"/>, the same B-splines, moduli and influence function) for the particles
/// of one slab: they are spread onto the slab's rows plus the p − 1 rows below it, which belong to the left neighbour
/// and are sent to it and summed there (<see cref="CommunicationPhase.MeshOverlap"/>); the distributed FFT
/// (<see cref="SlabFft"/>) convolves the slabs; the p − 1 rows of potential below the slab come back from the left
/// neighbour; each particle gathers its gradient from rows of this rank alone. No rank holds the whole mesh.
/// Mesh rows follow x1 (2D: M rows of M points; 1D: M points, a "row" being one point).
/// </summary>
internal sealed class SlabParticleMesh : IDisposable
{
    private readonly int _d;
    private readonly int _mesh;
    private readonly int _order;
    private readonly int _width;
    private readonly int _threads;
    private readonly SimdPath _path;
    private readonly BSplineStencil _stencil;
    private readonly Communicator _communicator;
    private readonly Func<int, int, double> _influence;
    private SlabLayout? _layout;
    private SlabFft? _fft;
    private int _first;
    private int _rows;
    private double[] _charge = [];
    private double[] _potential = [];
    private readonly MeshRowOrder _byRow;

    /// <summary>Spreading bands (as <see cref="ParticleMeshEwald"/>: alternating parity, at least p rows each).</summary>
    private const int MaxBands = 32;

    public SlabParticleMesh(int dimension, int mesh, int order, Func<int, int, double> multiplier, Communicator communicator,
        int threads, SimdPath path)
    {
        _d = dimension;
        _mesh = mesh;
        _order = order;
        _width = dimension == 2 ? mesh : 1;
        _threads = Math.Max(1, threads);
        _path = path;
        _stencil = new BSplineStencil(order);
        _communicator = communicator;
        _byRow = new MeshRowOrder(dimension, mesh);
        var moduli = BSpline.SquaredModuli(mesh, order);
        // G = L̂ |b|² as ParticleMeshEwald builds it, with G(0) = 0.
        _influence = dimension == 2
            ? (k1, k2) => k1 == 0 && k2 == 0 ? 0 : multiplier(k1 <= mesh / 2 ? k1 : k1 - mesh, k2) * moduli[k1] * moduli[k2]
            : (k, _) => k == 0 ? 0 : multiplier(k, 0) * moduli[k];
    }

    /// <summary>Slab boundaries must be multiples of this many rows (the 1D FFT's blocks; 1 in 2D).</summary>
    public int Granularity => SlabFft.Granularity(_d, _mesh);

    /// <summary>Seconds of the last <see cref="Compute"/>'s stages on this rank (communication included).</summary>
    public PmeTimings LastTimings { get; private set; }

    /// <summary>Seconds of local FFT work in the last <see cref="Compute"/> (the transposes excluded).</summary>
    public double FftComputeSeconds => _fft?.ComputeSeconds ?? 0;

    /// <summary>Uses <paramref name="layout"/> from now on (a new FFT when the slabs moved).</summary>
    public void Configure(SlabLayout layout)
    {
        if (ReferenceEquals(layout, _layout))
        {
            return;
        }
        if (layout.Mesh != _mesh || layout.Granularity != Granularity || layout.Ranks != _communicator.Size)
        {
            throw new ArgumentException($"{layout} does not fit a {_mesh}-point mesh on {_communicator.Size} ranks", nameof(layout));
        }
        if (layout.Boundaries.Select((b, r) => r == 0 ? int.MaxValue : b - layout.Boundaries[r - 1]).Min() < _order - 1)
        {
            throw new ArgumentException($"{layout}: a slab has fewer than p − 1 = {_order - 1} rows", nameof(layout));
        }
        _fft?.Dispose();
        _layout = layout;
        int me = _communicator.Rank;
        _first = layout.Start(me);
        _rows = layout.Rows(me);
        _fft = SlabFft.Create(_d, _mesh, layout, _communicator, _threads, _influence);
        _charge = new double[(_rows + _order - 1) * _width];
        _potential = new double[_charge.Length];
    }

    /// <summary>
    /// g_i = Σ_j b_i b_j ∇L(x_i − x_j) over all ranks' particles for this rank's particles (wrapped positions whose
    /// rows are in this rank's slab), written into g1/g2; returns this rank's share of Σ_{i,j} b_i b_j L(x_i − x_j)
    /// (Σ over its rows of Q·φ) when <paramref name="withEnergy"/>, NaN otherwise. Every rank must call it.
    /// </summary>
    public double Compute(ReadOnlySpan<double> x1, ReadOnlySpan<double> x2, ReadOnlySpan<sbyte> signs, Span<double> g1, Span<double> g2, bool withEnergy)
    {
        var fft = _fft ?? throw new InvalidOperationException("configure a layout first");
        long t0 = Stopwatch.GetTimestamp();
        int outside = _byRow.Sort(x1, x2, signs, _first, _rows);
        if (outside >= 0)
        {
            throw new InvalidOperationException($"rank {_communicator.Rank}: a particle at x1 = {x1[outside]:R} is outside its slab ({_layout})");
        }
        Spread();
        int overlap = (_order - 1) * _width;
        // The rows below the slab to the left neighbour; the right neighbour's rows below its slab are this slab's top rows.
        var below = _communicator.SendReceive(CommunicationPhase.MeshOverlap, _charge[..overlap], _communicator.Left, _communicator.Right);
        for (int k = 0; k < overlap; k++)
        {
            _charge[_rows * _width + k] += below[k];
        }
        _charge.AsSpan(overlap).CopyTo(fft.Real);
        long t1 = Stopwatch.GetTimestamp();
        fft.Convolve();
        long t2 = Stopwatch.GetTimestamp();
        // The potential: this slab's rows, and the left neighbour's top p − 1 rows below them.
        var potential = fft.Real;
        potential.CopyTo(_potential.AsSpan(overlap));
        var top = potential[(potential.Length - overlap)..].ToArray();
        var under = _communicator.SendReceive(CommunicationPhase.MeshOverlap, top, _communicator.Right, _communicator.Left);
        under.CopyTo(_potential, 0);
        Gather();
        _byRow.Unsort(g1, g2, 0, x1.Length);
        double energy = double.NaN;
        if (withEnergy)
        {
            energy = 0;
            for (int k = overlap; k < _charge.Length; k++)
            {
                energy += _charge[k] * _potential[k];
            }
        }
        long t3 = Stopwatch.GetTimestamp();
        LastTimings = new PmeTimings(Seconds(t0, t1), Seconds(t1, t2), 0, Seconds(t2, t3));
        return energy;
    }

    public void Dispose() => _fft?.Dispose();

    private static double Seconds(long from, long to) => Stopwatch.GetElapsedTime(from, to).TotalSeconds;

    /// <summary>
    /// Q(m) = Σ_j b_j Π_a M_p(u_ja − m_a) into the slab's buffer (buffer row b is mesh row first − p + 1 + b, so a
    /// particle in local row l writes buffer rows l … l + p − 1), in bands of alternating parity as
    /// <see cref="ParticleMeshEwald"/> does: the same charge for any thread count.
    /// </summary>
    private void Spread()
    {
        Array.Clear(_charge);
        int bandRows = Math.Max(_order, (_rows + MaxBands - 1) / MaxBands);
        int bands = Math.Max(1, _rows / bandRows);
        int BandStart(int band) => band == bands ? _rows : band * bandRows;
        var options = new ParallelOptions { MaxDegreeOfParallelism = _threads };
        for (int parity = 0; parity < Math.Min(2, bands); parity++)
        {
            int first = parity;
            Parallel.For(0, (bands - parity + 1) / 2, options, k =>
            {
                int band = first + 2 * k;
                int begin = _byRow.RowStart[BandStart(band)], end = _byRow.RowStart[BandStart(band + 1)];
                switch (_path)
                {
                    case SimdPath.Avx512:
                        SpreadRange<Stencil512>(begin, end);
                        break;
                    case SimdPath.Avx2:
                        SpreadRange<Stencil256>(begin, end);
                        break;
                    default:
                        SpreadRange<ScalarStencil>(begin, end);
                        break;
                }
            });
        }
    }

    private void SpreadRange<TLanes>(int begin, int end)
        where TLanes : struct, IStencilLanes
    {
        var charge = _charge.AsSpan();
        int rows = _rows + _order - 1;
        var (x1, x2, signs) = (_byRow.X1, _byRow.X2, _byRow.Signs);
        Span<double> w1 = stackalloc double[_order];
        Span<double> w2 = stackalloc double[_order];
        for (int k = begin; k < end; k++)
        {
            int row = Local(Point(x1[k], out double frac1));
            _stencil.Weights<TLanes>(frac1, w1);
            int c0 = 0;
            if (_d == 2)
            {
                c0 = Wrap(Point(x2[k], out double frac2) - _order + 1);
                _stencil.Weights<TLanes>(frac2, w2);
            }
            MeshStencil.Spread<TLanes>(charge, _width, rows, row, c0, signs[k], w1, w2);
        }
    }

    /// <summary>g_i = b_i ∇(Σ_m φ(m) W(u_i − m)) with the B-spline derivatives, in sorted order.</summary>
    private void Gather()
    {
        int n = _byRow.Sorted.Length;
        int chunks = n < 4096 ? 1 : _threads;
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = _threads }, t =>
        {
            int begin = (int)((long)n * t / chunks), end = (int)((long)n * (t + 1) / chunks);
            switch (_path)
            {
                case SimdPath.Avx512:
                    GatherRange<Stencil512>(begin, end);
                    break;
                case SimdPath.Avx2:
                    GatherRange<Stencil256>(begin, end);
                    break;
                default:
                    GatherRange<ScalarStencil>(begin, end);
                    break;
            }
        });
    }

    private void GatherRange<TLanes>(int begin, int end)
        where TLanes : struct, IStencilLanes
    {
        var scratch = new GatherScratch(stackalloc double[GatherScratch.Buffers * _order], _order);
        ReadOnlySpan<double> potential = _potential;
        int rows = _rows + _order - 1;
        var (x1, x2, signs, out1, out2) = (_byRow.X1, _byRow.X2, _byRow.Signs, _byRow.Gathered1, _byRow.Gathered2);
        for (int k = begin; k < end; k++)
        {
            int row = Local(Point(x1[k], out double frac1));
            _stencil.Weights<TLanes>(frac1, scratch.W1, scratch.D1);
            int c0 = 0;
            if (_d == 2)
            {
                c0 = Wrap(Point(x2[k], out double frac2) - _order + 1);
                _stencil.Weights<TLanes>(frac2, scratch.W2, scratch.D2);
            }
            var (sum1, sum2) = MeshStencil.Gather<TLanes>(potential, _width, rows, row, c0, scratch);
            double s = signs[k];
            out1[k] = s * _mesh * sum1;
            if (_d == 2)
            {
                out2[k] = s * _mesh * sum2;
            }
        }
    }

    /// <summary>The local row of mesh row <paramref name="row"/> (the first buffer row the particle writes).</summary>
    private int Local(int row)
    {
        int local = row - _first;
        return local < 0 ? local + _mesh : local;
    }

    private int Point(double x, out double frac) => MeshStencil.Point(x, _mesh, out frac);

    private int Wrap(int m) => MeshStencil.Wrap(m, _mesh);
}
