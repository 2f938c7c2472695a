using System.Runtime.CompilerServices;
using HpcGB.Engine.Forces.NearField;
using HpcGB.Engine.Forces.Pme;
using HpcGB.Engine.Model;

namespace HpcGB.Engine.Forces.Ewald;

/// <summary>
/// The fast path: V_δ = short (near field on cell lists, within r_c) + long (smooth PME) + C.
/// Velocities ẋ_i = −(1/n)(g_near + g_long)_i; the energy assembles the pair sums as
///   Σ_{i≠j} b_i b_j V_δ(x_ij) + [self] = 2Σ_{i&lt;j} short + Σ_{i,j} long + C (Σb)² + n·short(0)
/// with the self term V_δ(0), or, for the unregularised kernel (self excluded),
///   2Σ_{i&lt;j} short + Σ_{i,j} long − n·long(0) + C((Σb)² − n).
/// On several threads with a mesh of at most <see cref="MaxOverlappedMeshPoints"/> (n ≤ ~10⁵: stage-by-stage forks and
/// FFTW's OpenMP workers cost more than they save there) the two halves overlap: the whole mesh on a helper thread while the calling
/// thread runs the near field, cut into <see cref="NearPartsPerThread"/> parts per thread (<see cref="HelperScheduler"/>:
/// no more threads than given); the helper that finishes the mesh takes the near-field parts not yet started. The
/// forces do not depend on which thread ran what (the near field's stripes and parts fix every sum's order).
/// Where the mesh is larger (<see cref="MeshInLayout"/>) it runs after the near field, on the particles in the near
/// field's cluster layout (one sort for both).
/// Within a step attempt the mesh's per-particle gradients of the newest full evaluation are kept for
/// <see cref="EvaluateKeepingFarField"/>, which then computes the near field alone (on every thread).
/// </summary>
public sealed class EwaldEvaluator : IForceEvaluator, IDisposable
{
    private readonly EwaldSplit _split;
    private readonly ParticleMeshEwald _pme;
    private readonly NearFieldEvaluator? _near;
    private readonly double _longAtZero;
    private readonly double _shortSelf;
    private readonly int _threads;
    private readonly HelperScheduler? _overlap;
    private readonly bool _meshInLayout;
    private Scratch? _scratch;
    private readonly AttemptScope _attempt;
    private IDisposable? _nearAttempt;
    private bool _inAttempt; // within BeginAttempt's scope
    private bool _meshKept; // and the scratch's G1, G2 hold the mesh of a full evaluation in it

    /// <summary>Near-field parts per thread when the mesh overlaps the near field (parts small enough to balance the two).</summary>
    public const int NearPartsPerThread = 2;

    public EwaldEvaluator(SystemModel model, EwaldParameters parameters, SimdPath simd, int threads)
        : this(model, parameters, simd, threads, Overlaps(model, parameters, threads))
    {
    }

    /// <param name="overlap">Run the mesh beside the near field (tests force either way; see the class summary).</param>
    /// <param name="inLayout">Otherwise run it in the near field's layout (null: <see cref="MeshInLayout"/> decides; tests force either way).</param>
    internal EwaldEvaluator(SystemModel model, EwaldParameters parameters, SimdPath simd, int threads, bool overlap, bool? inLayout = null)
    {
        Model = model;
        Settings = parameters;
        _threads = threads;
        _split = parameters.MeshOnly ? EwaldSplit.MeshOnly(model) : EwaldSplit.Create(model, parameters.Sigma);
        // One SIMD path for the near field and the mesh.
        Path = SimdPaths.Resolve(simd);
        overlap &= threads > 1 && _split.ShortRange is not null;
        _pme = new ParticleMeshEwald(model.Dimension, parameters.Mesh, parameters.Order, _split.Multiplier, overlap ? 1 : threads, Path,
            parameters.BandColumns);
        if (overlap)
        {
            _overlap = new HelperScheduler(threads - 1);
        }
        if (_split.ShortRange is { } shortRange)
        {
            _near = new NearFieldEvaluator(model.Dimension, shortRange.Kind, parameters.Sigma, model.Delta, parameters.Cutoff, Path,
                overlap ? NearPartsPerThread * threads : threads);
            // The self term n·short(0), from the operator's finite value at 0.
            _shortSelf = _split.SelfIncluded ? _near.Operator.Potential(0, 0, 0) : 0;
            _meshInLayout = !overlap && _near.UsesClusters && (inLayout ?? MeshInLayout(model, parameters));
        }
        _longAtZero = _split.SelfIncluded ? 0 : _split.LongAtZero();
        _attempt = new AttemptScope(this);
    }

    public string Name => "pme";

    /// <summary>
    /// The largest mesh that runs whole on one helper thread beside the near field (2D: 1024²). Up to n ≈ 10⁵ the mesh
    /// on one thread takes less than the near field (edge glide n = 10⁵, M = 864, one thread: mesh ≈ 25 of 60 ms), so
    /// the helper finishes it and then shares the near field; threading the mesh stages instead forks at every stage
    /// and leaves FFTW's OpenMP workers spinning beside the near field (measured on the loaded 2-core VM, n = 10⁵ with
    /// energy, 2 threads: 94–104 ms CPU per evaluation staged, 66–67 ms overlapped; wall 204–223 vs 138–148 ms).
    /// At n = 10⁶ (M ≥ 2304) the threaded stages stay.
    /// </summary>
    public const int MaxOverlappedMeshPoints = 1 << 20;

    /// <summary>
    /// Whether the mesh, where it does not overlap the near field, runs on the near field's cluster layout (2D): a mesh
    /// of more than <see cref="MaxOverlappedMeshPoints"/>, on any number of threads (so that the sums do not depend on
    /// it). At n = 10⁶ this saves the mesh's own sort by mesh row.
    /// </summary>
    internal static bool MeshInLayout(SystemModel model, EwaldParameters parameters) =>
        model.Dimension == 2 && !parameters.MeshOnly && (long)parameters.Mesh * parameters.Mesh > MaxOverlappedMeshPoints;

    /// <summary>Whether the mesh overlaps the near field: several threads and a mesh of at most <see cref="MaxOverlappedMeshPoints"/>.</summary>
    internal static bool Overlaps(SystemModel model, EwaldParameters parameters, int threads) =>
        threads > 1 && !parameters.MeshOnly && Math.Pow(parameters.Mesh, model.Dimension) <= MaxOverlappedMeshPoints;

    public SystemModel Model { get; }

    /// <summary>The chosen σ, r_c, M, p.</summary>
    public EwaldParameters Settings { get; }

    /// <summary>The SIMD path of the near field and the mesh (never <see cref="SimdPath.Auto"/>).</summary>
    public SimdPath Path { get; }

    /// <summary><see cref="Path"/> in the spec's spelling.</summary>
    public string SimdPathName => Path.ToString().ToLowerInvariant();

    public IReadOnlyDictionary<string, object> Parameters =>
        Settings.Describe(Name, ("device", "cpu"), ("simd", SimdPathName), ("threads", _threads));

    public ParticleMeshEwald Mesh => _pme;

    /// <summary>True where the mesh runs whole on one helper thread beside the near field (<see cref="Overlaps"/>).</summary>
    public bool OverlapsMesh => _overlap is not null;

    public NearFieldEvaluator? NearField => _near;

    /// <summary>The helper that runs the mesh, lent between evaluations (where the mesh overlaps the near field).</summary>
    public IHelperThreads? HelperThreads => _overlap;

    public double Evaluate(ParticleState state, double[][] velocity, bool withEnergy) => Evaluate(state, velocity, withEnergy, mesh: true);

    /// <summary>
    /// The near field afresh and the mesh's gradients of the attempt's newest full evaluation, where there is one of
    /// the same n (and a near field: a mesh-only split has nothing smooth to keep); else a full evaluation.
    /// </summary>
    public bool EvaluateKeepingFarField(ParticleState state, double[][] velocity)
    {
        bool keep = _meshKept && _scratch!.X1.Length == state.Count;
        Evaluate(state, velocity, withEnergy: false, mesh: !keep);
        return keep;
    }

    /// <summary>The evaluation, its mesh computed or (<paramref name="mesh"/> false) taken from the scratch.</summary>
    private double Evaluate(ParticleState state, double[][] velocity, bool withEnergy, bool mesh)
    {
        int n = state.Count;
        bool twoD = state.Dimension == 2;
        var buffers = Buffers(n, state.Dimension);
        // The per-particle passes run in ranges on the evaluation's threads at large n (serial, they were ~5 % of
        // the wall time at n = 10^6); each element is computed alone, so the bits do not depend on the ranges.
        int parts = n >= CellList.ParallelThreshold ? _threads : 1;
        CellList.ForEachPart(parts, k =>
        {
            var (begin, end) = Range(n, k, parts);
            Wrap(state.Positions[0], buffers.X1, begin, end);
            if (twoD)
            {
                Wrap(state.Positions[1], buffers.X2, begin, end);
            }
        });
        double[] g1 = buffers.G1, g2 = buffers.G2;
        double longSum = 0, shortSum = 0;
        // A full evaluation that throws (a collision) may have left its mesh half written.
        _meshKept &= !mesh;
        if (_overlap is not null && _near is not null)
        {
            (longSum, shortSum) = Overlapped(_overlap, _near, buffers, state.Signs, withEnergy, mesh);
        }
        else if (_meshInLayout)
        {
            shortSum = _near!.Compute(buffers.X1, buffers.X2, state.Signs, buffers.H1, buffers.H2, withEnergy);
            if (mesh)
            {
                longSum = _pme.Compute(_near.Layout!, g1, g2, withEnergy);
            }
        }
        else
        {
            if (mesh)
            {
                longSum = _pme.Compute(buffers.X1, buffers.X2, state.Signs, g1, g2, withEnergy);
            }
            if (_near is not null)
            {
                shortSum = _near.Compute(buffers.X1, buffers.X2, state.Signs, buffers.H1, buffers.H2, withEnergy);
            }
        }
        CellList.ForEachPart(parts, k =>
        {
            var (begin, end) = Range(n, k, parts);
            Velocity(g1, _near is null ? null : buffers.H1, velocity[0], n, begin, end);
            if (twoD)
            {
                Velocity(g2, _near is null ? null : buffers.H2, velocity[1], n, begin, end);
            }
        });
        _meshKept |= mesh && _inAttempt && _near is not null;
        double energy = withEnergy ? InteractionEnergy(_split, _shortSelf, _longAtZero, shortSum, longSum, state.Signs) : double.NaN;
        return ExternalField.Apply(Model, state, velocity, energy);
    }

    /// <summary>
    /// The near field keeps its pair lists through the attempt (<see cref="NearFieldEvaluator.BeginAttempt"/>), and
    /// the mesh's gradients from the attempt's first full evaluation on (none kept from before it).
    /// </summary>
    public IDisposable? BeginAttempt()
    {
        _nearAttempt = _near?.BeginAttempt();
        _inAttempt = true;
        _meshKept = false;
        return _attempt;
    }

    private sealed class AttemptScope(EwaldEvaluator owner) : IDisposable
    {
        public void Dispose()
        {
            owner._inAttempt = owner._meshKept = false;
            owner._nearAttempt?.Dispose();
            owner._nearAttempt = null;
        }
    }

    public void Dispose() => _pme.Dispose();

    /// <summary>
    /// The mesh queued on <paramref name="scheduler"/> (where <paramref name="withMesh"/>), the near field run inline as
    /// its task (so its part loop schedules the parts there too: <see cref="TaskScheduler.Current"/>, on the helper
    /// as well when no mesh holds it); waits for both before returning or throwing (a collision), so that no task
    /// still writes the buffers.
    /// </summary>
    private (double Long, double Short) Overlapped(TaskScheduler scheduler, NearFieldEvaluator near, Scratch buffers, sbyte[] signs, bool withEnergy, bool withMesh)
    {
        var mesh = withMesh ? new Task<double>(() => _pme.Compute(buffers.X1, buffers.X2, signs, buffers.G1, buffers.G2, withEnergy)) : Task.FromResult(0.0);
        if (withMesh)
        {
            mesh.Start(scheduler);
        }
        var pairs = new Task<double>(() => near.Compute(buffers.X1, buffers.X2, signs, buffers.H1, buffers.H2, withEnergy));
        pairs.RunSynchronously(scheduler);
        try
        {
            mesh.Wait();
        }
        catch (AggregateException)
        {
            // Rethrown unwrapped below, after the near field's.
        }
        double shortSum = pairs.GetAwaiter().GetResult();
        return (mesh.GetAwaiter().GetResult(), shortSum);
    }

    /// <summary>
    /// E_n from the pair sums (the class summary's formula; also the OpenCL path's): <paramref name="shortSum"/> =
    /// Σ_{i&lt;j} short, <paramref name="longSum"/> = Σ_{i,j} long, <paramref name="shortSelf"/> = short(0) (used only
    /// with the self term), <paramref name="longAtZero"/> = long(0) (used only without it).
    /// </summary>
    internal static double InteractionEnergy(EwaldSplit split, double shortSelf, double longAtZero, double shortSum, double longSum, ReadOnlySpan<sbyte> signs)
    {
        double charge = 0;
        foreach (sbyte b in signs)
        {
            charge += b;
        }
        return InteractionEnergy(split, shortSelf, longAtZero, shortSum, longSum, charge, signs.Length);
    }

    /// <summary>The same from the total charge Σ b and n (a distributed run passes its sums over all ranks).</summary>
    internal static double InteractionEnergy(EwaldSplit split, double shortSelf, double longAtZero, double shortSum, double longSum, double charge, long n)
    {
        double total = 2 * shortSum + longSum;
        total += split.SelfIncluded
            ? split.Constant * charge * charge + n * shortSelf
            : split.Constant * (charge * charge - n) - n * longAtZero;
        return total / (2.0 * n * n);
    }

    /// <summary>Per-evaluation arrays, kept between calls (they are n long: no allocation on the hot path).</summary>
    private Scratch Buffers(int n, int dimension)
    {
        if (_scratch is null || _scratch.X1.Length != n)
        {
            _scratch = new Scratch(n, dimension == 2 ? n : 0);
        }
        return _scratch;
    }

    private static (int Begin, int End) Range(int n, int part, int parts) =>
        ((int)((long)n * part / parts), (int)((long)n * (part + 1) / parts));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Wrap(double[] x, double[] wrapped, int begin, int end)
    {
        for (int i = begin; i < end; i++)
        {
            wrapped[i] = Torus.Wrap(x[i]);
        }
    }

    /// <summary>v_i = −(g_i + h_i)/n on [begin, end) (h null: mesh only).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Velocity(double[] g, double[]? h, double[] v, int n, int begin, int end)
    {
        for (int i = begin; i < end; i++)
        {
            v[i] = -(h is null ? g[i] : g[i] + h[i]) / n;
        }
    }

    /// <summary>Wrapped positions, mesh forces g and near-field forces h.</summary>
    private sealed class Scratch(int n, int n2)
    {
        public double[] X1 { get; } = new double[n];

        public double[] X2 { get; } = new double[n2];

        public double[] G1 { get; } = new double[n];

        public double[] G2 { get; } = new double[n2];

        public double[] H1 { get; } = new double[n];

        public double[] H2 { get; } = new double[n2];
    }
}
