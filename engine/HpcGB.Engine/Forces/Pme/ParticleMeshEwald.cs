using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using HpcGB.Engine.Forces.NearField;
using HpcGB.Interop.Fftw;

namespace HpcGB.Engine.Forces.Pme;

/// <summary>
/// Smooth particle-mesh Ewald for a long-range periodic pair function L(x) = Σ_{k≠0} L̂_k e^{2πik·x}
/// on an M (1D) or M×M (2D) mesh with B-splines of order p (Essmann et al. 1995):
/// spread Q(m) = Σ_j b_j W(u_j − m), one real-to-complex FFT, multiply by the influence function
/// G(k) = L̂_k |b(k)|² (B-spline moduli), one inverse FFT to the mesh potential φ, and gather with
/// analytically differentiated B-splines. Results:
/// g_i = Σ_j b_i b_j ∇L(x_i − x_j) and, on request, Σ_{i,j} b_i b_j L(x_i − x_j) = Σ_m Q(m) φ(m).
/// Spreading writes the mesh in row bands of alternating parity: deterministic for any thread count. The stencil
/// loops run at the SIMD width of <see cref="Path"/>, chosen once (<see cref="SimdPaths"/>). Each stage runs on
/// several threads only where its work pays for the fork: the particle stages (sort, spread, gather) from
/// <see cref="ThreadedParticles"/> particles, the mesh stages (FFT, convolution) from <see cref="ThreadedMeshPoints"/>
/// points; the results are the same either way. In 2D the mesh may keep only the first C columns of the half spectrum
/// (<see cref="BandColumns"/>, chosen from the tolerance by <see cref="Ewald.EwaldParameterChooser.BandColumns"/>):
/// the FFT then transforms the columns only there (<see cref="BandLimitedFft"/>) and the influence function is zero
/// beyond.
/// </summary>
public sealed class ParticleMeshEwald : IDisposable
{
    private readonly int _d;
    private readonly int _mesh;
    private readonly int _order;
    private readonly int _width; // mesh points per row: M in 2D, 1 in 1D
    private readonly int _threads;
    private readonly int _meshThreads; // threads of the FFT and the convolution
    private readonly int _points;
    private readonly double[] _influence; // over the half spectrum, row-major
    private readonly RealFft? _fft; // the whole spectrum (null: _band)
    private readonly BandLimitedFft? _band;
    private readonly Action<int>? _forwardRows, _convolveColumns, _inverseRows; // the band's three passes per part, made once
    private readonly int _bandRows;
    private readonly int _bands;
    private readonly BSplineStencil _stencil;
    private readonly SimdPath _path;
    private readonly MeshRowOrder _byRow;
    private LayoutBands? _layoutBands; // the bands of the last cluster layout spread in its own order
    private double[] _slots1 = [], _slots2 = []; // g gathered at that layout's slots
    private readonly FftwBuffer<double> _charge;
    private readonly FftwBuffer<double> _potential;
    private readonly FftwBuffer<Complex> _spectrum;

    /// <summary>Spreading bands (an even number, so band 0 and the last band, which it wraps into, differ in parity).</summary>
    private const int MaxBands = 32;

    /// <summary>
    /// Mesh points from which the FFT and the convolution run on several threads (below, threaded FFTW is slower on
    /// 2 threads than on 1, and a fork costs more than the convolution of a whole mesh).
    /// </summary>
    public const int ThreadedMeshPoints = 1 << 18;

    /// <summary>Particles from which sorting, spreading and gathering run on several threads (as the near field's binning).</summary>
    public const int DefaultThreadedParticles = CellList.ParallelThreshold;

    /// <param name="multiplier">L̂ at the signed frequency (f1, f2); f2 = 0 in 1D. Never called at (0, 0).</param>
    /// <param name="path">SIMD width of the stencil loops; <see cref="SimdPath.Auto"/> picks the widest accelerated one.</param>
    /// <param name="bandColumns">2D: the columns 0 … C − 1 of the half spectrum to keep (a multiple of
    /// <see cref="BandLimitedFft.ColumnBlock"/> below M/2 + 1); null keeps the whole spectrum.</param>
    /// <exception cref="NotSupportedException">A forced <paramref name="path"/> this machine does not support.</exception>
    public ParticleMeshEwald(int dimension, int mesh, int order, Func<int, int, double> multiplier, int threads,
        SimdPath path = SimdPath.Auto, int? bandColumns = null)
    {
        if (order is < BSpline.MinOrder or > BSpline.MaxOrder)
        {
            throw new ArgumentOutOfRangeException(nameof(order), order, $"B-spline order must be {BSpline.MinOrder} … {BSpline.MaxOrder}");
        }
        if (mesh < order)
        {
            throw new ArgumentOutOfRangeException(nameof(mesh), mesh, "the mesh needs at least as many points as the B-spline order");
        }
        _path = SimdPaths.Resolve(path);
        _d = dimension;
        _mesh = mesh;
        _order = order;
        _width = dimension == 2 ? mesh : 1;
        _threads = Math.Max(1, threads);
        _points = dimension == 2 ? mesh * mesh : mesh;
        // Never FFTW_MEASURE here: it picks its algorithm by timing it, so two identical runs could round differently
        // (issue 18: 28 vs 38 steps, final positions 3.5e-4 apart), and it costs 0.3–2.5 s a plan. Measured plans
        // come only from stored wisdom (MeshWisdom), else FFTW's estimate: the same plan in every run either way.
        MeshWisdom.EnsureLoaded();
        _meshThreads = MeshThreads(dimension, mesh, _threads);
        if (bandColumns is { } columns && dimension == 2)
        {
            // One part per mesh thread, each on one FFTW thread (the C measurement: two halves on their own threads
            // beat FFTW's 2-thread 2D plan, docs/performance.md).
            _band = new BandLimitedFft(mesh, columns, _meshThreads, FftwPlannerFlags.Wisdom);
            _forwardRows = ForwardRows;
            _convolveColumns = ConvolveColumns;
            _inverseRows = InverseRows;
        }
        else
        {
            _fft = new RealFft(dimension == 2 ? [mesh, mesh] : [mesh], FftwPlannerFlags.Wisdom, _meshThreads);
        }
        _influence = Influence(dimension, mesh, order, multiplier);
        _bandRows = Math.Max(order, (mesh + MaxBands - 1) / MaxBands);
        _bands = mesh / _bandRows >= 2 ? mesh / _bandRows / 2 * 2 : 1;
        _byRow = new MeshRowOrder(dimension, mesh);
        _stencil = new BSplineStencil(order);
        _charge = new FftwBuffer<double>(_points);
        _potential = new FftwBuffer<double>(_points);
        _spectrum = new FftwBuffer<Complex>(_influence.Length);
    }

    public int Mesh => _mesh;

    /// <summary>True when all FFT plans came from stored wisdom (<see cref="MeshWisdom"/>), false for FFTW's estimate.</summary>
    public bool PlannedFromWisdom => _band?.FromWisdom ?? _fft!.FromWisdom;

    /// <summary>C, the half spectrum's columns the mesh keeps, or null for all of them.</summary>
    public int? BandColumns => _band?.Columns;

    /// <summary>Threads of the FFT and the convolution of an M (1D) or M×M (2D) mesh on <paramref name="threads"/> threads.</summary>
    public static int MeshThreads(int dimension, int mesh, int threads) =>
        (dimension == 2 ? (long)mesh * mesh : mesh) >= ThreadedMeshPoints ? Math.Max(1, threads) : 1;

    /// <summary>Threads of the stages that are worth forking (1: every stage inline on the caller's thread).</summary>
    public int Threads => _threads;

    /// <summary>Particles from which the particle stages fork (tests lower it to exercise the threaded paths on small systems).</summary>
    internal int ThreadedParticles { get; init; } = DefaultThreadedParticles;

    public int Order => _order;

    /// <summary>The SIMD path of the stencil loops (never <see cref="SimdPath.Auto"/>).</summary>
    public SimdPath Path => _path;

    /// <summary>Wall time of the last call's stages, for benchmarks and reports.</summary>
    public PmeTimings LastTimings { get; private set; }

    /// <summary>
    /// Writes g_i = Σ_j b_i b_j ∇L(x_i − x_j) into <paramref name="g1"/>, <paramref name="g2"/> (overwriting) and
    /// returns Σ_{i,j} b_i b_j L(x_i − x_j) when <paramref name="withEnergy"/> (else NaN). Positions wrapped to [0,1).
    /// </summary>
    public double Compute(double[] x1, double[] x2, sbyte[] signs, double[] g1, double[] g2, bool withEnergy)
    {
        long t0 = System.Diagnostics.Stopwatch.GetTimestamp();
        int threads = x1.Length >= ThreadedParticles ? _threads : 1;
        _byRow.Sort(x1, x2, signs, 0, _mesh, threads);
        Spread(new RowBands(this), _byRow.X1, _byRow.X2, _byRow.Signs, threads);
        var (t1, t2, t3, t4) = Transform();
        Gather(new RowBands(this), _byRow.X1, _byRow.X2, _byRow.Signs, _byRow.Gathered1, _byRow.Gathered2, threads);
        Chunked(threads, x1.Length, (start, end) => _byRow.Unsort(g1, g2, start, end));
        return Finish(withEnergy, t0, t1, t2, t3, t4);
    }

    /// <summary>
    /// <see cref="Compute(double[], double[], sbyte[], double[], double[], bool)"/> on the particles of the near field's
    /// cluster layout (2D, as its last evaluation sorted them), in its order: the mesh sorts nothing, spreading runs the
    /// layout's stripes of columns as its bands (<see cref="LayoutBands"/>), gathering its slots, which the layout's
    /// <see cref="ClusterGrid.Order"/> then scatters into <paramref name="g1"/>, <paramref name="g2"/> (the caller's order).
    /// </summary>
    internal double Compute(ClusterGrid layout, double[] g1, double[] g2, bool withEnergy)
    {
        long t0 = System.Diagnostics.Stopwatch.GetTimestamp();
        int threads = layout.Count >= ThreadedParticles ? _threads : 1;
        if (_layoutBands is null || !_layoutBands.Fits(layout))
        {
            _layoutBands = new LayoutBands(layout, _mesh, _order);
        }
        if (_slots1.Length < layout.PaddedCount)
        {
            _slots1 = new double[layout.X1.Length];
            _slots2 = new double[layout.X1.Length];
        }
        Spread(_layoutBands, layout.X1, layout.X2, layout.Sign, threads);
        var (t1, t2, t3, t4) = Transform();
        Gather(_layoutBands, layout.X1, layout.X2, layout.Sign, _slots1, _slots2, threads);
        Chunked(threads, layout.PaddedCount, (start, end) => Unsort(layout.Order, g1, g2, start, end));
        return Finish(withEnergy, t0, t1, t2, t3, t4);
    }

    /// <summary>g[order[p]] = the gathered slot p, for the slots in [start, end) that hold a particle.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Unsort(int[] order, double[] g1, double[] g2, int start, int end)
    {
        double[] slots1 = _slots1, slots2 = _slots2;
        for (int p = start; p < end; p++)
        {
            int i = order[p];
            if (i >= 0)
            {
                g1[i] = slots1[p];
                g2[i] = slots2[p];
            }
        }
    }

    /// <summary>The spread charge to the mesh potential φ (FFT, convolution, inverse FFT); the times after each pass.</summary>
    private (long T1, long T2, long T3, long T4) Transform()
    {
        long t1 = System.Diagnostics.Stopwatch.GetTimestamp();
        long t2, t3;
        if (_band is { } band)
        {
            // Rows, then each part's kept columns with the convolution between their two transforms, then rows: the
            // convolution's time is in the FFT's.
            CellList.ForEachPart(band.Parts, _forwardRows!);
            CellList.ForEachPart(band.Parts, _convolveColumns!);
            t2 = t3 = System.Diagnostics.Stopwatch.GetTimestamp();
            CellList.ForEachPart(band.Parts, _inverseRows!);
        }
        else
        {
            _fft!.Forward(_charge, _spectrum);
            t2 = System.Diagnostics.Stopwatch.GetTimestamp();
            Chunked(_meshThreads, _spectrum.Span.Length, Convolve);
            t3 = System.Diagnostics.Stopwatch.GetTimestamp();
            _fft.InverseDestroyingInput(_spectrum, _potential);
        }
        return (t1, t2, t3, System.Diagnostics.Stopwatch.GetTimestamp());
    }

    /// <summary>The energy sum where asked for (else NaN), and the stages' timings.</summary>
    private double Finish(bool withEnergy, long t0, long t1, long t2, long t3, long t4)
    {
        // Σ_m Q_m φ_m in vectors (a serial sum waits on every addition: ~0.1 ms of 2 at M = 288).
        double energy = withEnergy ? TensorPrimitives.Dot<double>(_charge.Span[.._points], _potential.Span[.._points]) : double.NaN;
        long t5 = System.Diagnostics.Stopwatch.GetTimestamp();
        LastTimings = new PmeTimings(Seconds(t1 - t0), Seconds(t2 - t1 + t4 - t3), Seconds(t3 - t2), Seconds(t5 - t4));
        return energy;
    }

    public void Dispose()
    {
        _charge.Dispose();
        _potential.Dispose();
        _spectrum.Dispose();
        _fft?.Dispose();
        _band?.Dispose();
    }

    private static double Seconds(long ticks) => ticks / (double)System.Diagnostics.Stopwatch.Frequency;

    /// <summary>
    /// G = L̂ |b1|² |b2|² over the r2c half spectrum (last axis 0 … M/2), with G(0) = 0 (also the OpenCL path's).
    /// </summary>
    internal static double[] Influence(int dimension, int mesh, int order, Func<int, int, double> multiplier)
    {
        var moduli = BSpline.SquaredModuli(mesh, order);
        int half = mesh / 2 + 1;
        int Frequency(int k) => k <= mesh / 2 ? k : k - mesh;
        if (dimension == 1)
        {
            var g = new double[half];
            for (int k = 1; k < half; k++)
            {
                g[k] = multiplier(k, 0) * moduli[k];
            }
            return g;
        }
        var g2 = new double[mesh * half];
        for (int k1 = 0; k1 < mesh; k1++)
        {
            for (int k2 = 0; k2 < half; k2++)
            {
                if (k1 == 0 && k2 == 0)
                {
                    continue;
                }
                g2[k1 * half + k2] = multiplier(Frequency(k1), k2) * moduli[k1] * moduli[k2];
            }
        }
        return g2;
    }

    /// <summary>
    /// Spreads the charges b_j onto the mesh: Q(m) = Σ_j b_j Π_a M_p(u_ja − m_a), straight into the FFT input, band by
    /// band (<see cref="ISpreadBands"/>: the mesh's own row bands, <see cref="RowBands"/>, or the near field's stripes,
    /// <see cref="LayoutBands"/>): all even bands in parallel, then all odd ones, without sharing a mesh point. Every
    /// mesh point thus receives its terms in one fixed order: the charge is identical for any thread count.
    /// </summary>
    private void Spread<TBands, TSign>(TBands bands, double[] p1, double[] p2, TSign[] s, int threads)
        where TBands : ISpreadBands
        where TSign : unmanaged, INumberBase<TSign>
    {
        switch (_path)
        {
            case SimdPath.Avx512:
                Spread<Stencil512, TBands, TSign>(bands, p1, p2, s, threads);
                break;
            case SimdPath.Avx2:
                Spread<Stencil256, TBands, TSign>(bands, p1, p2, s, threads);
                break;
            default:
                Spread<ScalarStencil, TBands, TSign>(bands, p1, p2, s, threads);
                break;
        }
    }

    private void Spread<TLanes, TBands, TSign>(TBands bands, double[] p1, double[] p2, TSign[] s, int threads)
        where TLanes : struct, IStencilLanes
        where TBands : ISpreadBands
        where TSign : unmanaged, INumberBase<TSign>
    {
        int count = bands.Count;
        if (threads == 1)
        {
            // The same bands in the same order as the threaded pass below: the same sums.
            _charge.Span.Slice(0, _mesh * _width).Clear();
            for (int b = 0; b < count; b += 2)
            {
                SpreadBand<TLanes, TBands, TSign>(bands, b, p1, p2, s);
            }
            for (int b = 1; b < count; b += 2)
            {
                SpreadBand<TLanes, TBands, TSign>(bands, b, p1, p2, s);
            }
            return;
        }
        // Each even band's task clears its rows and then spreads: no other task of its phase writes there, the sums
        // start from zero as after a separate clearing pass, and that pass's fork is saved.
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads };
        Parallel.For(0, (count + 1) / 2, options, k =>
        {
            ClearRows(bands.Cleared(2 * k));
            SpreadBand<TLanes, TBands, TSign>(bands, 2 * k, p1, p2, s);
        });
        if (count > 1)
        {
            Parallel.For(0, count / 2, options, k => SpreadBand<TLanes, TBands, TSign>(bands, 2 * k + 1, p1, p2, s));
        }
    }

    /// <summary>Clears the mesh rows [Begin, End) counted without wrapping (at most M of them).</summary>
    private void ClearRows((int Begin, int End) rows)
    {
        var (begin, end) = rows;
        if (begin < 0)
        {
            ClearRows((begin + _mesh, _mesh));
            begin = 0;
        }
        if (end > _mesh)
        {
            ClearRows((0, end - _mesh));
            end = _mesh;
        }
        _charge.Span.Slice(begin * _width, (end - begin) * _width).Clear();
    }

    private void SpreadBand<TLanes, TBands, TSign>(TBands bands, int band, double[] p1, double[] p2, TSign[] s)
        where TLanes : struct, IStencilLanes
        where TBands : ISpreadBands
        where TSign : unmanaged, INumberBase<TSign>
    {
        for (int range = 0; range < bands.Ranges(band); range++)
        {
            var (begin, end) = bands.Slots(band, range);
            SpreadSlots<TLanes, TSign>(p1, p2, s, begin, end);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void SpreadSlots<TLanes, TSign>(double[] p1, double[] p2, TSign[] s, int begin, int end)
        where TLanes : struct, IStencilLanes
        where TSign : unmanaged, INumberBase<TSign>
    {
        var charge = _charge.Span;
        int mesh = _mesh;
        bool order8 = _d == 2 && _order == 8;
        Span<double> w1 = stackalloc double[_order];
        Span<double> w2 = stackalloc double[_order];
        for (int k = begin; k < end; k++)
        {
            double sign = double.CreateTruncating(s[k]);
            int r0 = Corner(p1[k], out double f1);
            int c0 = 0;
            if (_d == 2)
            {
                c0 = Corner(p2[k], out double f2);
                if (order8 && c0 + 8 <= mesh)
                {
                    TLanes.Spread8(charge, new StencilPlacement(r0, c0, mesh), f1, f2, sign, _stencil);
                    continue;
                }
                _stencil.Weights<TLanes>(f2, w2);
            }
            _stencil.Weights<TLanes>(f1, w1);
            MeshStencil.Spread<TLanes>(charge, _width, mesh, r0, c0, sign, w1, w2);
        }
    }

    // Gather g_i = b_i ∇(Σ_m φ(m) W(u_i − m)) with the B-spline derivatives (∂W/∂x = M·M_p'), from and to the bands'
    // slots.
    private void Gather<TBands, TSign>(TBands bands, double[] p1, double[] p2, TSign[] s, double[] out1, double[] out2, int threads)
        where TBands : ISpreadBands
        where TSign : unmanaged, INumberBase<TSign>
    {
        switch (_path)
        {
            case SimdPath.Avx512:
                Gather<Stencil512, TBands, TSign>(bands, p1, p2, s, out1, out2, threads);
                break;
            case SimdPath.Avx2:
                Gather<Stencil256, TBands, TSign>(bands, p1, p2, s, out1, out2, threads);
                break;
            default:
                Gather<ScalarStencil, TBands, TSign>(bands, p1, p2, s, out1, out2, threads);
                break;
        }
    }

    private void Gather<TLanes, TBands, TSign>(TBands bands, double[] p1, double[] p2, TSign[] s, double[] out1, double[] out2, int threads)
        where TLanes : struct, IStencilLanes
        where TBands : ISpreadBands
        where TSign : unmanaged, INumberBase<TSign>
    {
        // Each thread the slots of an equal share of [0, p1.Length), which every band's ranges lie in.
        int slots = p1.Length;
        CellList.ForEachPart(threads, t =>
        {
            int lo = (int)((long)slots * t / threads), hi = (int)((long)slots * (t + 1) / threads);
            for (int band = 0; band < bands.Count; band++)
            {
                for (int range = 0; range < bands.Ranges(band); range++)
                {
                    var (begin, end) = bands.Slots(band, range);
                    GatherSlots<TLanes, TSign>(p1, p2, s, out1, out2, Math.Max(begin, lo), Math.Min(end, hi));
                }
            }
        });
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void GatherSlots<TLanes, TSign>(double[] p1, double[] p2, TSign[] s, double[] out1, double[] out2, int start, int end)
        where TLanes : struct, IStencilLanes
        where TSign : unmanaged, INumberBase<TSign>
    {
        int mesh = _mesh;
        bool order8 = _d == 2 && _order == 8;
        var scratch = new GatherScratch(stackalloc double[GatherScratch.Buffers * _order], _order);
        ReadOnlySpan<double> potential = _potential.Span;
        for (int k = start; k < end; k++)
        {
            int r0 = Corner(p1[k], out double f1);
            double scale = double.CreateTruncating(s[k]) * mesh;
            if (_d == 1)
            {
                _stencil.Weights<TLanes>(f1, scratch.W1, scratch.D1);
                out1[k] = scale * MeshStencil.Gather<TLanes>(potential, _width, mesh, r0, 0, scratch).Item1;
                continue;
            }
            int c0 = Corner(p2[k], out double f2);
            var (sum1, sum2) = order8 && c0 + 8 <= mesh
                ? TLanes.Gather8(potential, new StencilPlacement(r0, c0, mesh), f1, f2, _stencil)
                : GatherByRows<TLanes>(potential, r0, c0, f1, f2, scratch);
            out1[k] = scale * sum1;
            out2[k] = scale * sum2;
        }
    }

    /// <summary>A 2D particle's gather row by row (any order; the crossing rows copied out where the stencil wraps).</summary>
    private (double, double) GatherByRows<TLanes>(ReadOnlySpan<double> potential, int r0, int c0, double f1, double f2,
        scoped in GatherScratch scratch)
        where TLanes : struct, IStencilLanes
    {
        _stencil.Weights<TLanes>(f1, scratch.W1, scratch.D1);
        _stencil.Weights<TLanes>(f2, scratch.W2, scratch.D2);
        return MeshStencil.Gather<TLanes>(potential, _width, _mesh, r0, c0, scratch);
    }

    /// <summary>Multiplies the spectrum by the influence function on [start, end).</summary>
    private void Convolve(int start, int end) =>
        Scale(_spectrum.Span[start..end], _influence.AsSpan(start, end - start));

    /// <summary>
    /// z[k] *= g[k], as two real products: what Complex × double computes, which the JIT left a call per element
    /// (measured: the whole 2304² spectrum 4.0–4.2 → 2.2–2.6 ms on one thread).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Scale(Span<Complex> z, ReadOnlySpan<double> g)
    {
        var parts = System.Runtime.InteropServices.MemoryMarshal.Cast<Complex, double>(z);
        for (int k = 0; k < g.Length; k++)
        {
            parts[2 * k] *= g[k];
            parts[2 * k + 1] *= g[k];
        }
    }

    /// <summary>The band path's first pass for part <paramref name="part"/>: r2c of its rows.</summary>
    private void ForwardRows(int part) => _band!.ForwardRows(part, _charge, _spectrum);

    /// <summary>The band path's last pass for part <paramref name="part"/>: c2r of its rows.</summary>
    private void InverseRows(int part) => _band!.InverseRowsDestroyingInput(part, _spectrum, _potential);

    /// <summary>
    /// The band path's middle pass for part <paramref name="part"/>: the forward transform of its columns, the
    /// convolution on them (row segments) and their backward transform.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ConvolveColumns(int part)
    {
        var band = _band!;
        int half = _mesh / 2 + 1;
        var (start, end) = band.ColumnRange(part);
        band.TransformColumns(start, end, _spectrum, forward: true);
        var spectrum = _spectrum.Span;
        for (int row = 0; row < _mesh; row++)
        {
            int k = row * half + start;
            Scale(spectrum.Slice(k, end - start), _influence.AsSpan(k, end - start));
        }
        band.TransformColumns(start, end, _spectrum, forward: false);
    }

    /// <summary>Runs body over [0, count) in one contiguous chunk per thread (element-wise work: no ordering issue).</summary>
    private static void Chunked(int threads, int count, Action<int, int> body)
    {
        if (threads == 1)
        {
            body(0, count);
            return;
        }
        int chunk = (count + threads - 1) / threads;
        CellList.ForEachPart(threads, t => body(Math.Min(count, t * chunk), Math.Min(count, (t + 1) * chunk)));
    }

    /// <summary>First mesh row of band b (b = _bands gives M).</summary>
    private int BandStart(int band) => band == _bands ? _mesh : band * _bandRows;

    /// <summary>
    /// The mesh's own bands: its rows cut into an even number of bands of at least p rows, fixed by the mesh alone,
    /// each holding the particles of its rows (<see cref="MeshRowOrder"/>). A particle in row r writes rows
    /// r − p + 1 … r, i.e. its own band and the one below (the last band for band 0), which an even band clears.
    /// </summary>
    private readonly struct RowBands(ParticleMeshEwald pme) : ISpreadBands
    {
        public int Count => pme._bands;

        public (int Begin, int End) Cleared(int band) =>
            Count == 1 ? (0, pme._mesh) : (band == 0 ? pme.BandStart(Count - 1) - pme._mesh : pme.BandStart(band - 1), pme.BandStart(band + 1));

        public int Ranges(int band) => 1;

        public (int Begin, int End) Slots(int band, int range) =>
            (pme._byRow.RowStart[pme.BandStart(band)], pme._byRow.RowStart[pme.BandStart(band + 1)]);
    }

    /// <summary>
    /// The first mesh point m0 = (⌊M x⌋ − p + 1) mod M of coordinate x's stencil and the fractional part of M x, from
    /// which the weights follow in increasing mesh order (w[q] on mesh point (m0 + q) mod M, <see cref="BSplineStencil"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Corner(double x, out double frac) => Wrap(Point(x, out frac) - _order + 1);

    private int Point(double x, out double frac) => MeshStencil.Point(x, _mesh, out frac);

    private int Wrap(int m) => MeshStencil.Wrap(m, _mesh);
}

/// <summary>Seconds spent in each PME stage of one evaluation.</summary>
public readonly record struct PmeTimings(double Spread, double Fft, double Convolve, double Gather);
