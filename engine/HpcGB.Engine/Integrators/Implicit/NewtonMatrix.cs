using System.Runtime.Intrinsics;
using HpcGB.Engine.Forces;
using HpcGB.Engine.Model;

namespace HpcGB.Engine.Integrators.Implicit;

/// <summary>
/// The Newton matrix M = I + γ·n∇²E_near of one implicit stage x − x̃ − γẋ(x) = 0, sparse and positive definite:
/// for every pair closer than the pair radius the block K_p = γ b_i b_j ∇²V_δ(x_i − x_j)/n (the pair Hessian)
/// couples i and j as [[K, −K], [−K, K]], and the external field adds γ b_i∇²U(x_i) to particle i; negative
/// curvature stronger than a small floor is flipped in sign (<see cref="Sym2.Flip"/>), weaker is kept. Pairs
/// beyond the radius (the far field) are left out: Newton then converges linearly at the rate
/// ~γ·|far-field curvature|, and the line search on the exact merit function keeps it safe.
/// <para>
/// Stiff pairs (tight dipoles, trace K ≥ 1) are matched greedily, stiffest first, and every matched pair is
/// handled in centre/difference coordinates c = (x_i + x_j)/2, w = x_i − x_j: there K enters only as K·w, so a
/// stiffness of 1/(nδ²) ~ 10²⁴ never multiplies a difference of two rounded positions, and the
/// preconditioner solves each matched pair's block exactly. CG runs on TᵀMT (T: (c, w) → (x_i, x_j)).
/// </para>
/// </summary>
internal sealed partial class NewtonMatrix
{
    private readonly PairHessian _hessian;
    private readonly SystemModel _model;
    private readonly PassSplit _passes = new();
    private readonly NeighbourPairs _pairs;
    private readonly Action<int, int, int> _pairBlocks, _treatPairs, _unstableIn, _firstJump, _reach; // the pair passes' bodies, made once
    private int _n; // particles in the matrix: the held ones and their ghosts (IStageHalo)
    private Sym2[] _rawBlock = []; // γ b_i b_j ∇²V/n as computed
    private Sym2[] _pairBlock = []; // as used (negative curvature modified)
    private bool[] _flippedBlock = []; // the block as used has a larger least eigenvalue than the raw one (Modify; two components alone: FoldStep)
    private bool[] _stableAlong = []; // wᵀKw > 0 for the raw block
    private Sym2[] _rawExternal = [];
    private Sym2[] _external = [];
    private Sym2[] _diagonal = []; // I + external + Σ of unmatched-pair blocks touching the particle
    private int[] _partner = []; // matched partner, −1 if none
    private int[] _degree = []; // pairs per particle
    private double[] _negative = []; // Σ of the negative pair eigenvalues' sizes per particle
    private double[] _floor = []; // the negative curvature a pair at the particle may keep (Modify)
    private Sym2[] _blockSums = []; // Σ of the raw pair blocks per particle
    private readonly List<(int First, int Second, double Rate)> _unstable = [];
    private readonly HashSet<int> _taken = [];
    private int[] _partnerPair = []; // the matched pair's index
    private double[] _x1 = [], _x2 = [];
    private StageExtension _extension;

    public NewtonMatrix(SystemModel model, int count, int components, IStageHalo? halo = null)
    {
        _model = model;
        _hessian = PairHessian.ForNewton(model);
        _pairs = new NeighbourPairs(_passes);
        _pairBlocks = (_, start, end) => PairBlocks(start, end);
        _treatPairs = (c, start, end) => _chunkFlips[c] = TreatPairs(start, end);
        _unstableIn = (c, start, end) => _chunkMost[c] = UnstableIn(start, end, _chunkUnstable[c]);
        _reach = (c, start, end) => _chunkReach[c] = Reach(start, end);
        _firstJump = (c, start, end) => _chunkJump[c] = SlipPlaneCrossing.FirstJump(_pairs, _jumpEnd!, _jumpStart!, start, end);
        Halo = halo ?? new LocalHalo(count);
        Components = components;
        var identity = Enumerable.Range(0, count).ToArray();
        _extension = new StageExtension(ParticleState.Zeros(model.Dimension, new sbyte[count]), identity, identity, identity);
        Resize(count);
    }

    /// <summary>The ranks' share of the system (serially: none; see <see cref="IStageHalo"/>).</summary>
    public IStageHalo Halo { get; }

    /// <summary>Moving components per particle: 1 (1D, glide) or 2.</summary>
    public int Components { get; }

    /// <summary>Pairs in the last assembly.</summary>
    public int PairCount => _pairs.Count;

    /// <summary>The pairs of the last assembly.</summary>
    public NeighbourPairs Pairs => _pairs;

    /// <summary>Blocks (pairs and external) whose negative curvature the last <see cref="Modify"/> flipped in sign.</summary>
    public int Flipped { get; private set; }

    /// <summary>Pairs solved exactly as dipoles in the last assembly.</summary>
    public int MatchedPairs { get; private set; }

    /// <summary>
    /// The attracting pair of the last assembly along whose approach Φ curves down the most (−1, −1 when none
    /// does), and its rate (see <see cref="FindUnstablePair"/>): Φ is concave along the approach when it is &gt; 1.
    /// Found on first use after an assembly (the saddle test asks at the solution only, not at Newton's iterates);
    /// across ranks every rank must ask at the same assembly.
    /// </summary>
    public (int First, int Second, double Rate) UnstablePair
    {
        get
        {
            FindUnstablePairOnce();
            return _unstablePair;
        }
    }

    /// <summary>Every attracting pair of the last assembly with rate &gt; 1, disjoint (greedy, most unstable first).</summary>
    public IReadOnlyList<(int First, int Second, double Rate)> UnstablePairs
    {
        get
        {
            FindUnstablePairOnce();
            return _unstable;
        }
    }

    /// <summary>The stiffest pair of the last assembly (−1, −1 when there is none) and its stiffness γ·trace|K|
    /// (found on first use after an assembly: failure messages and the stiffness estimate ask).</summary>
    public (int First, int Second, double Stiffness) StiffestPair => _stiffest ??= FindStiffestPair();

    private (int First, int Second, double Stiffness)? _stiffest;

    /// <summary>Searches for the unstable pairs of the last assembly so far (<see cref="UnstablePair"/>).</summary>
    public long UnstableSearches { get; private set; }

    /// <summary>
    /// Builds the pair list within <paramref name="radius"/> at <paramref name="state"/>, the curvature blocks for
    /// γ, and the Newton matrix from them (<see cref="Modify"/> with <see cref="Curvature.Newton"/>).
    /// </summary>
    public void Assemble(ParticleState state, double gamma, double radius)
    {
        _extension = Halo.Extend(state, radius);
        state = _extension.Local;
        Resize(state.Count);
        _pairs.Build(state, radius, _extension.HasGhosts ? _extension.HeldIndex : null);
        int pairs = _pairs.Count;
        if (_rawBlock.Length < pairs)
        {
            _rawBlock = new Sym2[Math.Max(pairs, 2 * _rawBlock.Length)];
            _pairBlock = new Sym2[_rawBlock.Length];
            _flippedBlock = new bool[_rawBlock.Length];
            _stableAlong = new bool[_rawBlock.Length];
            _least = new double[_rawBlock.Length];
            _w1 = new double[_rawBlock.Length];
            _w2 = new double[_rawBlock.Length];
        }
        _scale = gamma / Halo.Total;
        ForPairs(_pairBlocks);
        _stiffest = null;
        _unstableKnown = false;
        SumAtParticles();
        AssembleExternal(state, gamma);
        Modify(Curvature.Newton);
    }

    private (int First, int Second, double Stiffness) FindStiffestPair()
    {
        bool one = Components == 1;
        var stiffest = (First: -1, Second: -1, Stiffness: 0.0);
        for (int p = 0; p < _pairs.Count; p++)
        {
            // |K| is K itself when K ≥ 0 (Flip returns it unchanged).
            var k = _rawBlock[p];
            double stiffness = one ? Math.Abs(k.A) : _least[p] >= 0 ? k.Trace : k.Abs().Trace;
            if (stiffness > stiffest.Stiffness)
            {
                stiffest = (Id(_pairs.First(p)), Id(_pairs.Second(p)), stiffness);
            }
        }
        return Halo.Distributed ? StiffestAcrossRanks(stiffest) : stiffest;
    }

    /// <summary>
    /// <paramref name="body"/>(chunk, start, end) over the pairs of the last assembly in <see cref="PairChunks"/>
    /// contiguous chunks at once (<see cref="PassSplit"/>); each chunk's result depends on its pairs alone, so the
    /// results are those of one thread. A body made once and one chunk allocate nothing.
    /// </summary>
    private void ForPairs(Action<int, int, int> body) => _passes.Run(_pairs.Count, body);

    /// <summary>The chunks <see cref="ForPairs"/> splits the pairs of the last assembly into.</summary>
    private int PairChunks => _passes.Chunks(_pairs.Count);

    /// <summary>
    /// One pass over the pairs for the sums at each particle (pairs, sizes of negative least eigenvalues) and from
    /// them each particle's floor of negative curvature (<see cref="Modify"/> with <see cref="Curvature.Newton"/>):
    /// a pair at a particle whose pairs' negative curvature sums to more than <see cref="PairBudget"/> keeps down to
    /// budget/degree. The raw blocks' sums only the saddle test reads (<see cref="SumBlocksAtParticles"/>).
    /// </summary>
    private void SumAtParticles()
    {
        Array.Clear(_degree);
        Array.Clear(_negative);
        for (int p = 0; p < _pairs.Count; p++)
        {
            int i = _pairs.First(p), j = _pairs.Second(p);
            _degree[i]++;
            _degree[j]++;
            double least = Components == 1 ? _rawBlock[p].A : _least[p];
            if (least < 0)
            {
                _negative[i] -= least;
                _negative[j] -= least;
            }
        }
        Halo.Refresh(_degree);
        Halo.Refresh(_negative);
        for (int i = 0; i < _n; i++)
        {
            _floor[i] = _negative[i] <= PairBudget ? double.PositiveInfinity : PairBudget / _degree[i];
        }
    }

    /// <summary>Threads for the passes over the pairs (results independent of it).</summary>
    public int Threads
    {
        get => _passes.Threads;
        set => _passes.Threads = value;
    }

    /// <summary>The forces' helper threads, lent to the passes over the pairs (results independent of it).</summary>
    public IHelperThreads? Helpers
    {
        get => _passes.Helpers;
        set => _passes.Helpers = value;
    }

    private double _scale; // γ/n of the last assembly

    /// <summary>
    /// The raw blocks γ b_i b_j ∇²V/n of pairs [<paramref name="start"/>, <paramref name="end"/>) at the local
    /// positions, with what the serial passes after need of each block alone: its least eigenvalue and the separation
    /// w on the moving axes (the stiffness trace|K| and the curvature wᵀKw only where asked:
    /// <see cref="StiffestPair"/>, <see cref="UnstablePair"/>).
    /// </summary>
    private void PairBlocks(int start, int end)
    {
        var state = _extension.Local;
        double scale = _scale;
        double[] x1 = state.Positions[0];
        double[] x2 = state.Dimension == 2 ? state.Positions[1] : x1;
        sbyte[] b = state.Signs;
        var raw = _rawBlock;
        bool one = Components == 1;
        for (int p = start; p < end; p++)
        {
            int i = _pairs.First(p), j = _pairs.Second(p);
            double dy = state.Dimension == 2 ? x2[i] - x2[j] : 0.0;
            double bb = scale * b[i] * b[j];
            double w1 = Torus.Nearest(x1[i] - x1[j]);
            _w1[p] = w1;
            if (one)
            {
                // One component: the rest is A itself (least A, stiffness |A|, curvature along w Aw1²); the fixed
                // axis's separation for the pair's distance (IsLocal).
                raw[p] = new Sym2(bb * _hessian.Second11(x1[i] - x1[j], dy), 0, 0);
                _w2[p] = Torus.Nearest(dy);
                continue;
            }
            _hessian.Second(x1[i] - x1[j], dy, out double h11, out double h12, out double h22);
            var k = new Sym2(bb * h11, bb * h12, bb * h22);
            raw[p] = k;
            _least[p] = k.SmallerEigenvalue;
            _w2[p] = Torus.Nearest(dy);
        }
    }

    // Per pair (two components; one component: w1 and w2 alone): the raw block's least eigenvalue and the
    // separation w = x_i − x_j (nearest image).
    private double[] _least = [], _w1 = [], _w2 = [];

    /// <summary>The global id of the particle at local index <paramref name="i"/>.</summary>
    private int Id(int i) => _extension.Ids[i];

    /// <summary>Whether the particle at local index <paramref name="i"/> is held here (not a ghost).</summary>
    private bool Held(int i) => _extension.HeldIndex[i] >= 0;

    /// <summary>Per-particle arrays for <paramref name="count"/> particles (held and ghosts).</summary>
    private void Resize(int count)
    {
        _n = count;
        if (_partner.Length >= count && _partner.Length <= 2 * count + 64)
        {
            return;
        }
        _external = new Sym2[count];
        _rawExternal = new Sym2[count];
        _diagonal = new Sym2[count];
        _partner = new int[count];
        _degree = new int[count];
        _negative = new double[count];
        _floor = new double[count];
        _blockSums = new Sym2[count];
        _partnerPair = new int[count];
        _x1 = new double[count];
        _x2 = new double[count];
    }

    /// <summary>
    /// γ b_i ∇²U(x_i), ∇²U = −(2π)² Σ_modes k kᵀ (c cos φ + s sin φ): mode after mode over all particles, each
    /// particle's sums in mode order, the phases' sines and cosines in vectors (<see cref="SinCos"/>; libm's cos was
    /// a tenth of the free gas's assembly).
    /// </summary>
    private void AssembleExternal(ParticleState state, double gamma)
    {
        var modes = _model.External.Modes;
        int d = state.Dimension;
        bool one = Components == 1;
        Array.Clear(_rawExternal, 0, _n);
        if (_phase.Length < _n)
        {
            _phase = new double[_n];
            _sin = new double[_n];
            _cos = new double[_n];
        }
        double[] x1 = state.Positions[0];
        double[]? x2 = d == 2 ? state.Positions[1] : null;
        for (int m = 0; m < modes.Count; m++)
        {
            var mode = modes[m];
            double k1 = mode.K[0], k2 = d == 2 ? mode.K[1] : 0, cos = mode.Cos, sin = mode.Sin;
            for (int i = 0; i < _n; i++)
            {
                _phase[i] = 2 * Math.PI * (x2 is null ? k1 * x1[i] : k1 * x1[i] + k2 * x2[i]);
            }
            SinCos(_phase.AsSpan(0, _n), _sin, _cos);
            for (int i = 0; i < _n; i++)
            {
                double w = -4 * Math.PI * Math.PI * (cos * _cos[i] + sin * _sin[i]);
                ref var e = ref _rawExternal[i];
                e = one ? new Sym2(e.A + w * k1 * k1, 0, 0) : new Sym2(e.A + w * k1 * k1, e.B + w * k1 * k2, e.C + w * k2 * k2);
            }
        }
        for (int i = 0; i < _n; i++)
        {
            double s = gamma * state.Signs[i];
            var e = _rawExternal[i];
            _rawExternal[i] = one ? new Sym2(s * e.A, 0, 0) : new Sym2(s * e.A, s * e.B, s * e.C);
        }
    }

    private double[] _phase = [], _sin = [], _cos = [];

    /// <summary>sin and cos of every phase in vectors of four (<see cref="Vector256.SinCos(Vector256{double})"/>), the
    /// last partial vector padded: a particle's bits do not depend on its index (across ranks it changes).</summary>
    private static void SinCos(ReadOnlySpan<double> phase, double[] sin, double[] cos)
    {
        int i = 0;
        for (; i <= phase.Length - 4; i += 4)
        {
            var (s, c) = Vector256.SinCos(Vector256.Create(phase.Slice(i, 4)));
            s.CopyTo(sin, i);
            c.CopyTo(cos, i);
        }
        if (i < phase.Length)
        {
            Span<double> lanes = stackalloc double[4];
            lanes.Clear();
            phase[i..].CopyTo(lanes);
            var (s, c) = Vector256.SinCos(Vector256.Create((ReadOnlySpan<double>)lanes));
            for (int k = 0; i + k < phase.Length; k++)
            {
                sin[i + k] = s.GetElement(k);
                cos[i + k] = c.GetElement(k);
            }
        }
    }
}
