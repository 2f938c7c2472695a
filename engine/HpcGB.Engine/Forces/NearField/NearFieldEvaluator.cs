using System.Diagnostics;
using System.Runtime.CompilerServices;
using HpcGB.Engine.Cases;

namespace HpcGB.Engine.Forces.NearField;

/// <summary>
/// The short-range (near-field) sum of the Ewald split (docs/numerics.md §4), hand-vectorised:
/// <c>E = Σ_{i&lt;j} b_i b_j s(x_i − x_j)</c> and <c>g_i = Σ_{j≠i} b_i b_j ∇s(x_i − x_j)</c> over the pairs closer
/// than r_c (minimum image; r_c ≤ ½), for one <see cref="ShortRangeKind"/>. The caller scales: velocity
/// ẋ_i = −(1/n)(g_near + g_far)_i, energy contributions (1/n)·E etc.
/// <para>
/// Cost O(n) per evaluation for a fixed number of neighbours, in three stages, each on <see cref="Threads"/>
/// threads: a stable counting sort into the layout; the pair loop; the forces scattered back to the caller's order.
/// Two layouts (<see cref="UsesClusters"/>): in 2D on the whole torus, cluster pairs (<see cref="ClusterGrid"/>,
/// <see cref="ClusterPairLoop{TOp}"/>: clusters of 8 with bounding boxes and pair lists, whole vectors of partners, no
/// packing or scattered writes; a few per cent less CPU than the cell list at n = 10⁶, up to half at n ≤ 10⁴), its pair
/// loop in two phases of column stripes into one force buffer (<see cref="ClusterStripes"/>), each stripe clearing
/// the slots it writes first and scattering those it finished, so the result depends only on the input, on any number
/// of threads; in 1D, for a requested grid and for slabs, cells of side ≥ r_c (<see cref="CellList"/>,
/// <see cref="PairLoop{TOp}"/>: candidates filtered and packed, the operator on the packed pairs), the pair loop split
/// into <see cref="Threads"/> contiguous parts of about equal work, each with its own force buffer, reduced in a fixed
/// order: two evaluations with the same thread count are bit-identical (different thread counts agree to rounding).
/// </para>
/// <para>
/// Memory: with random particle order the binning scatter and the final scatter are cache misses (about a
/// quarter of the time at n = 10⁶); callers that keep particles roughly in cell order make them cheap.
/// </para>
/// <para>Not thread-safe: one evaluation at a time per instance (buffers are reused).</para>
/// </summary>
public sealed class NearFieldEvaluator
{
    private readonly BoundPairLoop _loop;
    private readonly CellList _cells = new();
    private readonly ClusterGrid _clusters = new();
    private readonly int _requestedCellsPerAxis;
    private readonly int _maxCellsPerAxis;
    private double[][] _buffers1 = [];
    private double[][] _buffers2 = [];
    private double[] _stripeForce1 = []; // the cluster layout's one force buffer (sorted order)
    private double[] _stripeForce2 = [];
    private PairScratch[] _scratch = [];
    private readonly AttemptScope _attempt;
    private bool _keepLists; // within an attempt (BeginAttempt)
    private bool _listsKept; // and its lists built

    /// <summary>Creates an evaluator.</summary>
    /// <param name="dimension">1 or 2 (1D for <see cref="ShortRangeKind.Log"/> and the 1D kinds).</param>
    /// <param name="kind">The short-range function.</param>
    /// <param name="sigma">Ewald split width σ &gt; 0.</param>
    /// <param name="delta">Core width δ &gt; 0 of the regularised kinds (σ &gt; δ for <see cref="ShortRangeKind.GaussianEdge"/>); ignored otherwise.</param>
    /// <param name="cutoff">Cut-off 0 &lt; r_c ≤ ½.</param>
    /// <param name="path">SIMD path; <see cref="SimdPath.Auto"/> picks the widest accelerated one.</param>
    /// <param name="threads">Parts (and at most as many threads) of the pair loop; 0 = <see cref="Environment.ProcessorCount"/>.</param>
    /// <param name="cellsPerAxis">
    /// Cells per axis m, 1 ≤ m ≤ ⌊1/r_c⌋; 0 = automatic: ⌊1/r_c⌋, capped so that cells hold about two particles
    /// or more on average.
    /// </param>
    /// <exception cref="NotSupportedException">A forced <paramref name="path"/> this machine does not support.</exception>
    public NearFieldEvaluator(int dimension, ShortRangeKind kind, double sigma, double delta, double cutoff,
        SimdPath path = SimdPath.Auto, int threads = 0, int cellsPerAxis = 0)
        : this(dimension, kind, sigma, delta, cutoff, SimdPaths.Resolve(path), threads, cellsPerAxis, resolved: true)
    {
    }

    /// <summary>
    /// For tests only: runs <paramref name="path"/> even where it is not hardware-accelerated (the vector types'
    /// software fallback: correct, slow), so that every path's code runs on every machine.
    /// </summary>
    internal static NearFieldEvaluator CreateUnchecked(int dimension, ShortRangeKind kind, double sigma, double delta,
        double cutoff, SimdPath path, int threads = 0, int cellsPerAxis = 0) =>
        new(dimension, kind, sigma, delta, cutoff, path == SimdPath.Auto ? SimdPaths.Best : path, threads, cellsPerAxis, resolved: true);

    private NearFieldEvaluator(int dimension, ShortRangeKind kind, double sigma, double delta, double cutoff,
        SimdPath resolvedPath, int threads, int cellsPerAxis, bool resolved)
    {
        Debug.Assert(resolved && resolvedPath != SimdPath.Auto);
        var kase = CaseOf(dimension, kind);
        if (kase.IsRegularised)
        {
            OperatorArguments.RequirePositive(delta, nameof(delta));
        }
        OperatorArguments.RequirePositive(cutoff, nameof(cutoff));
        if (cutoff > 0.5)
        {
            throw new ArgumentOutOfRangeException(nameof(cutoff), cutoff, "the near field needs r_c ≤ ½ (one image per pair)");
        }
        if (threads < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(threads), threads, "threads must be ≥ 0 (0 = all cores)");
        }
        _maxCellsPerAxis = MaxCellsPerAxis(cutoff);
        if (cellsPerAxis < 0 || cellsPerAxis > _maxCellsPerAxis)
        {
            throw new ArgumentOutOfRangeException(nameof(cellsPerAxis), cellsPerAxis,
                $"cells per axis must be 0 (automatic) or 1 … {_maxCellsPerAxis} (cells of side ≥ r_c = {cutoff:R})");
        }
        _loop = kase.Split!.ShortRange.Bind(sigma, delta, cutoff);
        _requestedCellsPerAxis = cellsPerAxis;
        Dimension = dimension;
        Kind = kind;
        Sigma = sigma;
        Delta = kase.IsRegularised ? delta : 0.0;
        Cutoff = cutoff;
        Path = resolvedPath;
        Threads = threads == 0 ? Environment.ProcessorCount : threads;
        _attempt = new AttemptScope(this);
    }

    /// <summary>
    /// The skin of the lists kept within a step attempt, as a fraction of r_c: lists for r_c(1 + this), valid while no
    /// particle has moved farther than half the skin since their build (docs/performance.md, "Eighth pass: the near field").
    /// </summary>
    public const double SkinFraction = 0.05;

    /// <summary>The skin of the lists kept within an attempt (<see cref="SkinFraction"/> · r_c).</summary>
    public double Skin => SkinFraction * Cutoff;

    /// <summary>Pair-list builds so far (cluster layout): every evaluation outside an attempt, within one the first and
    /// each after a particle moved farther than half the <see cref="Skin"/>.</summary>
    public long ListBuilds { get; private set; }

    /// <summary>
    /// Opens a step attempt (<see cref="IForceEvaluator.BeginAttempt"/>): until the scope is disposed, the cluster
    /// layout is built at the first evaluation with the <see cref="Skin"/> and kept through the rest, built again
    /// whenever a particle has moved farther than half the skin since. The positions decide every build, and each
    /// attempt starts with one, so a run resumed between attempts sums in the straight run's order. Outside a scope
    /// every evaluation builds its lists for r_c alone.
    /// </summary>
    public IDisposable BeginAttempt()
    {
        _keepLists = true;
        _listsKept = false;
        return _attempt;
    }

    private sealed class AttemptScope(NearFieldEvaluator owner) : IDisposable
    {
        public void Dispose() => owner._keepLists = owner._listsKept = false;
    }

    public int Dimension { get; }

    public ShortRangeKind Kind { get; }

    public double Sigma { get; }

    /// <summary>δ for the regularised kinds, 0 otherwise.</summary>
    public double Delta { get; }

    public double Cutoff { get; }

    /// <summary>The SIMD path in use (never <see cref="SimdPath.Auto"/>).</summary>
    public SimdPath Path { get; }

    /// <summary>Threads of the stages; for the cell lists also the parts of the pair loop (their determinism unit).</summary>
    public int Threads { get; }

    /// <summary>The short-range operator (for direct scalar or vector evaluation).</summary>
    public IShortRangeOperator Operator => _loop.Operator;

    /// <summary>Cells per axis used by the last evaluation.</summary>
    public int CellsPerAxis => _cells.CellsPerAxis;

    /// <summary>Pairs examined by the last evaluation (same-or-neighbouring-cell pairs, before the cut-off test).</summary>
    public long CandidatePairs { get; private set; }

    /// <summary>Pairs within the cut-off in the last evaluation (the ones the operator evaluated).</summary>
    public long PairsInRange { get; private set; }

    /// <summary>Wall time of the stages of the last evaluation.</summary>
    public NearFieldTimings LastTimings { get; private set; }

    /// <summary>
    /// Evaluates the near field. Positions may be in any periodic image. Returns Σ_{i&lt;j} b_i b_j s(x_i − x_j)
    /// when <paramref name="withEnergy"/> (NaN otherwise) and overwrites g1/g2 (original particle order) with
    /// g_i = Σ_j b_i b_j ∇s(x_i − x_j).
    /// </summary>
    /// <param name="x1">First coordinates, length n.</param>
    /// <param name="x2">Second coordinates, length n in 2D; empty in 1D.</param>
    /// <param name="signs">b_i, length n.</param>
    /// <param name="g1">Output, length n.</param>
    /// <param name="g2">Output, length n in 2D; empty in 1D.</param>
    /// <param name="withEnergy">Also sum the energy (slower: the E1 evaluations).</param>
    /// <exception cref="CollisionException">Unregularised kinds: two particles closer than <see cref="CollisionException.Distance"/>.</exception>
    public double Compute(ReadOnlySpan<double> x1, ReadOnlySpan<double> x2, ReadOnlySpan<sbyte> signs,
        Span<double> g1, Span<double> g2, bool withEnergy)
    {
        int n = x1.Length;
        CheckLengths(x1, x2, signs, g1, g2);
        long t0 = Stopwatch.GetTimestamp();
        if (UsesClusters)
        {
            return RunClusters(x1, x2, signs, g1, g2, withEnergy, t0);
        }
        _cells.Configure(Dimension, ChooseCellsPerAxis(n));
        return Run(x1, x2, signs, g1, g2, withEnergy, t0);
    }

    /// <summary>
    /// The cluster layout the last <see cref="Compute"/> sorted the particles into (null where it used the cell list), for the
    /// mesh to take them in the same order (<see cref="Pme.ParticleMeshEwald"/>); valid until the next evaluation.
    /// </summary>
    internal ClusterGrid? Layout => UsesClusters && _clusters.Stripes is not null ? _clusters : null;

    /// <summary>
    /// Whether <see cref="Compute"/> runs on cluster-pair lists (<see cref="ClusterGrid"/>: 2D with the automatic grid)
    /// rather than on the cell list (1D, a requested grid, and slabs).
    /// </summary>
    public bool UsesClusters => Dimension == 2 && _requestedCellsPerAxis == 0;

    /// <summary>
    /// The near field of one slab of a distributed run: the pairs among the first <paramref name="haloStart"/>
    /// particles (the slab's own, x1 within [<paramref name="origin"/>, origin + <paramref name="width"/>) up to rounding)
    /// and between them and the rest (the halo: the right neighbour's particles with x1 − (origin + width) &lt; r_c),
    /// never two halo particles (<see cref="CellList.ConfigureSlab"/>). Each pair once, with the minimum image; g of
    /// the halo particles is their share of these pairs, to be returned to their owner. Returns the energy of these
    /// pairs when <paramref name="withEnergy"/> (NaN otherwise). A width below 2 r_c needs a neighbour on each side that
    /// is not this rank's other neighbour (three ranks or more).
    /// </summary>
    public double ComputeSlab(ReadOnlySpan<double> x1, ReadOnlySpan<double> x2, ReadOnlySpan<sbyte> signs, int haloStart,
        double origin, double width, Span<double> g1, Span<double> g2, bool withEnergy)
    {
        int n = x1.Length;
        CheckLengths(x1, x2, signs, g1, g2);
        if ((uint)haloStart > (uint)n)
        {
            throw new ArgumentOutOfRangeException(nameof(haloStart), haloStart, $"must be in 0 … {n}");
        }
        // Columns of width ≥ r_c (with the margin of the torus grid), x2 rows as on the torus, both capped so that a
        // cell holds about two particles or more.
        int maxColumns = (int)Math.Floor((1.0 - 1e-12) * width / Cutoff);
        if (maxColumns < 1 || width > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(width), width, $"a slab needs r_c = {Cutoff:R} ≤ width ≤ 1");
        }
        long t0 = Stopwatch.GetTimestamp();
        int columns = maxColumns, rows = Dimension == 2 ? _maxCellsPerAxis : 1;
        double side = Dimension == 2 ? Math.Sqrt(2 * width / Math.Max(haloStart, 1)) : 2 * width / Math.Max(haloStart, 1);
        columns = (int)Math.Clamp(Math.Floor(width / side), 1, columns);
        rows = Dimension == 2 ? (int)Math.Clamp(Math.Floor(1 / side), 1, rows) : 1;
        _cells.ConfigureSlab(Dimension, columns, rows, origin, width, haloStart);
        return Run(x1, x2, signs, g1, g2, withEnergy, t0);
    }

    private void CheckLengths(ReadOnlySpan<double> x1, ReadOnlySpan<double> x2, ReadOnlySpan<sbyte> signs, Span<double> g1, Span<double> g2)
    {
        int n = x1.Length;
        int n2 = Dimension == 2 ? n : 0;
        if (x2.Length != n2 || signs.Length != n || g1.Length != n || g2.Length != n2)
        {
            throw new ArgumentException(
                $"lengths must be x1 = signs = g1 = n and x2 = g2 = {(Dimension == 2 ? "n" : "0")} in {Dimension}D " +
                $"(got x1 {n}, x2 {x2.Length}, signs {signs.Length}, g1 {g1.Length}, g2 {g2.Length})");
        }
    }

    /// <summary>Bins into the configured grid, runs the pair loop and reduces into g1/g2 (original order).</summary>
    private double Run(ReadOnlySpan<double> x1, ReadOnlySpan<double> x2, ReadOnlySpan<sbyte> signs,
        Span<double> g1, Span<double> g2, bool withEnergy, long t0)
    {
        int n = x1.Length;

        // Bin and sort into cell order.
        int parts = Threads;
        _cells.Bin(x1, x2, signs, parts);
        int[] boundaries = _cells.Partition(parts);
        EnsureBuffers(parts, n + CellList.Padding);
        long t1 = Stopwatch.GetTimestamp();

        // The pair loop, one part per task, each into its own zeroed buffer.
        var results = new PairLoopResult[parts];
        CellList.ForEachPart(parts, k => results[k] = RunPart(k, boundaries, withEnergy));
        long t2 = Stopwatch.GetTimestamp();

        // Reduce the buffers in part order and scatter back to the original order.
        Reduce(parts, n, _cells.Order, g1, g2);
        return Finish(results, withEnergy, _cells.Order, t0, t1, t2);
    }

    /// <summary>
    /// Sorts into clusters, builds the pair lists and runs the cluster-pair loop stripe by stripe into one force buffer
    /// (<see cref="ClusterStripes"/>: the even stripes, then the odd ones, each taken in turn by the threads), each
    /// stripe scattering the slots it finished into g1/g2 (original order).
    /// </summary>
    private unsafe double RunClusters(ReadOnlySpan<double> x1, ReadOnlySpan<double> x2, ReadOnlySpan<sbyte> signs,
        Span<double> g1, Span<double> g2, bool withEnergy, long t0)
    {
        int parts = Threads;
        if (!(_listsKept && _clusters.Refresh(x1, x2, parts)))
        {
            _clusters.Build(x1, x2, signs, Cutoff, parts, _keepLists ? 0.5 * Skin : 0.0);
            _listsKept = _keepLists;
            ListBuilds++;
        }
        var stripes = _clusters.Stripes!;
        if (_stripeForce1.Length < _clusters.PaddedCount)
        {
            _stripeForce1 = new double[_clusters.PaddedCount];
            _stripeForce2 = new double[_clusters.PaddedCount];
        }
        long t1 = Stopwatch.GetTimestamp();

        var results = new PairLoopResult[stripes.Count];
        fixed (double* out1 = g1, out2 = g2)
        {
            double* o1 = out1, o2 = out2;
            for (int phase = 0; phase < stripes.Phases; phase++)
            {
                int next = phase - 2;
                CellList.ForEachPart(Math.Min(parts, (stripes.Count - phase + 1) / 2), _ =>
                {
                    int stripe;
                    while ((stripe = Interlocked.Add(ref next, 2)) < stripes.Count)
                    {
                        results[stripe] = RunStripe(stripe, withEnergy, o1, o2);
                    }
                });
            }
        }
        long t2 = Stopwatch.GetTimestamp();
        return Finish(results, withEnergy, _clusters.Order, t0, t1, t2);
    }

    /// <summary>One stripe: clears what it must (even stripes), runs its rows, scatters what it finished.</summary>
    private unsafe PairLoopResult RunStripe(int stripe, bool withEnergy, double* out1, double* out2)
    {
        var stripes = _clusters.Stripes!;
        double[] f1 = _stripeForce1, f2 = _stripeForce2;
        if (stripe % 2 == 0)
        {
            var (first, second) = stripes.Cleared(stripe);
            Clear(first);
            Clear(second);
        }
        var result = _loop.RunClusters(Path, withEnergy, _clusters, stripe, stripe + 1, f1, f2);
        var (scatterFirst, scatterSecond) = stripes.Scattered(stripe);
        Scatter(scatterFirst);
        Scatter(scatterSecond);
        return result;

        void Clear((int Begin, int End) columns)
        {
            int begin = _clusters.ColumnStart(columns.Begin), end = _clusters.ColumnStart(columns.End);
            Array.Clear(f1, begin, end - begin);
            Array.Clear(f2, begin, end - begin);
        }

        void Scatter((int Begin, int End) columns) =>
            ScatterSlots(_clusters.Order, f1, f2, _clusters.ColumnStart(columns.Begin), _clusters.ColumnStart(columns.End), out1, out2);
    }

    /// <summary>g[order[p]] = f[p] for the sorted positions p in [begin, end) that hold a particle.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void ScatterSlots(int[] order, double[] f1, double[] f2, int begin, int end, double* g1, double* g2)
    {
        for (int p = begin; p < end; p++)
        {
            int i = order[p];
            if (i >= 0)
            {
                g1[i] = f1[p];
                g2[i] = f2[p];
            }
        }
    }

    /// <summary>Sums the parts' counts and energies, records the timings and reports the first collision.</summary>
    private double Finish(PairLoopResult[] results, bool withEnergy, int[] order, long t0, long t1, long t2)
    {
        double energy = 0;
        long candidates = 0, inRange = 0;
        foreach (var r in results)
        {
            energy += r.Energy;
            candidates += r.CandidatePairs;
            inRange += r.PairsInRange;
        }
        CandidatePairs = candidates;
        PairsInRange = inRange;
        LastTimings = new NearFieldTimings(
            Stopwatch.GetElapsedTime(t0, t1), Stopwatch.GetElapsedTime(t1, t2), Stopwatch.GetElapsedTime(t2));
        foreach (var r in results)
        {
            if (r.CollisionFirst >= 0)
            {
                int a = order[r.CollisionFirst], b = order[r.CollisionSecond];
                throw new CollisionException(Math.Min(a, b), Math.Max(a, b), r.CollisionSeparation);
            }
        }
        return withEnergy ? energy : double.NaN;
    }

    /// <summary>The case whose near field <paramref name="kind"/> is in <paramref name="dimension"/> (the regularised
    /// ones need δ).</summary>
    private static KernelCase CaseOf(int dimension, ShortRangeKind kind)
    {
        if (dimension is not (1 or 2))
        {
            throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "dimension must be 1 or 2");
        }
        var cases = KernelCases.WithShortRange(kind).ToArray();
        return cases.FirstOrDefault(c => c.Dimension == dimension) ?? throw new ArgumentException(
            $"the {kind} short-range function exists only in {string.Join(" and ", cases.Select(c => $"{c.Dimension}D").Distinct())}",
            nameof(kind));
    }

    private int ChooseCellsPerAxis(int n) =>
        _requestedCellsPerAxis > 0 ? _requestedCellsPerAxis : AutomaticCellsPerAxis(Dimension, n, _maxCellsPerAxis);

    /// <summary>
    /// The automatic grid (also the OpenCL path's): ⌊1/r_c⌋ cells per axis (<paramref name="maxCellsPerAxis"/>), capped
    /// so that cells hold about two particles or more on average (finer grids only add empty-cell overhead).
    /// </summary>
    internal static int AutomaticCellsPerAxis(int dimension, int n, int maxCellsPerAxis)
    {
        long cap = dimension == 2 ? (long)Math.Sqrt(n / 2.0) : n / 2;
        return (int)Math.Max(1, Math.Min(maxCellsPerAxis, cap));
    }

    /// <summary>⌊1/r_c⌋ with a margin, so that rounding in the binning can never put a pair within r_c two cells apart.</summary>
    internal static int MaxCellsPerAxis(double cutoff) => Math.Max(1, (int)Math.Floor((1.0 - 1e-12) / cutoff));

    private PairLoopResult RunPart(int part, int[] boundaries, bool withEnergy)
    {
        double[] f1 = _buffers1[part], f2 = _buffers2[part];
        Array.Clear(f1);
        Array.Clear(f2);
        return _loop.Run(Path, withEnergy, _cells, boundaries[part], boundaries[part + 1], f1, f2, _scratch[part]);
    }

    private void EnsureBuffers(int parts, int length)
    {
        if (_scratch.Length != parts)
        {
            _scratch = new PairScratch[parts];
            for (int k = 0; k < parts; k++)
            {
                _scratch[k] = new PairScratch();
            }
        }
        if (_buffers1.Length != parts || _buffers1[0].Length < length)
        {
            _buffers1 = new double[parts][];
            _buffers2 = new double[parts][];
            for (int k = 0; k < parts; k++)
            {
                _buffers1[k] = new double[length];
                _buffers2[k] = new double[length];
            }
        }
    }

    /// <summary>
    /// g[order[p]] = Σ_parts buffer[p] for the sorted positions p &lt; <paramref name="n"/> that hold a particle
    /// (order ≥ 0), in part order (deterministic), over ranges of p on the threads.
    /// </summary>
    private unsafe void Reduce(int parts, int n, int[] order, Span<double> g1, Span<double> g2)
    {
        double[][] buffers1 = _buffers1, buffers2 = _buffers2;
        int ranges = n < CellList.ParallelThreshold ? 1 : parts;
        fixed (double* out1 = g1, out2 = g2)
        {
            double* o1 = out1, o2 = Dimension == 2 ? out2 : null;
            CellList.ForEachPart(ranges, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (range) =>
            {
                int begin = (int)((long)n * range / ranges), end = (int)((long)n * (range + 1) / ranges);
                for (int p = begin; p < end; p++)
                {
                    if (order[p] < 0)
                    {
                        continue;
                    }
                    double s1 = 0, s2 = 0;
                    for (int k = 0; k < parts; k++)
                    {
                        s1 += buffers1[k][p];
                        s2 += buffers2[k][p];
                    }
                    o1[order[p]] = s1;
                    if (o2 != null)
                    {
                        o2[order[p]] = s2;
                    }
                }
            });
        }
    }
}

/// <summary>Wall time of the stages of one near-field evaluation.</summary>
/// <param name="Binning">Wrapping, binning, the counting sort and the work partition.</param>
/// <param name="Pairs">The pair loop (all parts).</param>
/// <param name="Reduction">Summing the per-part buffers and scattering to the original order (cell lists; the cluster
/// layout scatters within its pair loop, 0 here).</param>
public readonly record struct NearFieldTimings(TimeSpan Binning, TimeSpan Pairs, TimeSpan Reduction);
