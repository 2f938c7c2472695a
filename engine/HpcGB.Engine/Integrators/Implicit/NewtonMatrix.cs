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
    /// <summary>Pairs at least this stiff (trace of γK) are solved as dipoles.</summary>
    private const double MatchStiffness = 1.0;

    /// <summary>Negative external curvature kept down to this (see <see cref="Modify"/>).</summary>
    private const double ExternalFloor = 0.25;

    /// <summary>Negative pair curvature (sum of eigenvalue sizes) kept per particle (see <see cref="Modify"/>).</summary>
    private const double PairBudget = 0.25;

    private readonly PairHessian _hessian;
    private readonly SystemModel _model;
    private readonly NeighbourPairs _pairs = new();
    private readonly int _n;
    private Sym2[] _rawBlock = []; // γ b_i b_j ∇²V/n as computed
    private Sym2[] _pairBlock = []; // as used (negative curvature modified)
    private bool[] _stableAlong = []; // wᵀKw > 0 for the raw block
    private readonly Sym2[] _rawExternal;
    private readonly Sym2[] _external;
    private readonly Sym2[] _diagonal; // I + external + Σ of unmatched-pair blocks touching the particle
    private readonly int[] _partner; // matched partner, −1 if none
    private readonly int[] _degree; // pairs per particle
    private readonly double[] _negative; // Σ of the negative pair eigenvalues' sizes per particle
    private readonly Sym2[] _blockSums; // Σ of the raw pair blocks per particle
    private readonly List<(int First, int Second, double Rate)> _unstable = [];
    private readonly HashSet<int> _taken = [];
    private readonly int[] _partnerPair; // the matched pair's index
    private readonly double[] _x1, _x2, _y1, _y2;

    public NewtonMatrix(SystemModel model, int count, int components)
    {
        _model = model;
        _hessian = PairHessian.ForNewton(model);
        _n = count;
        Components = components;
        _external = new Sym2[count];
        _rawExternal = new Sym2[count];
        _diagonal = new Sym2[count];
        _partner = new int[count];
        _degree = new int[count];
        _negative = new double[count];
        _blockSums = new Sym2[count];
        _partnerPair = new int[count];
        _x1 = new double[count];
        _x2 = new double[count];
        _y1 = new double[count];
        _y2 = new double[count];
    }

    /// <summary>Moving components per particle: 1 (1D, glide) or 2.</summary>
    public int Components { get; }

    /// <summary>Pairs in the last assembly.</summary>
    public int PairCount => _pairs.Count;

    /// <summary>Blocks (pairs and external) whose negative curvature the last <see cref="Modify"/> flipped in sign.</summary>
    public int Flipped { get; private set; }

    /// <summary>Pairs solved exactly as dipoles in the last assembly.</summary>
    public int MatchedPairs { get; private set; }

    /// <summary>
    /// The attracting pair of the last assembly along whose approach Φ curves down the most (−1, −1 when none
    /// does), and its rate (see <see cref="FindUnstablePair"/>): Φ is concave along the approach when it is &gt; 1.
    /// </summary>
    public (int First, int Second, double Rate) UnstablePair { get; private set; }

    /// <summary>Every attracting pair of the last assembly with rate &gt; 1, disjoint (greedy, most unstable first).</summary>
    public IReadOnlyList<(int First, int Second, double Rate)> UnstablePairs => _unstable;

    /// <summary>The stiffest pair of the last assembly (−1, −1 when there is none) and its stiffness γ·trace K.</summary>
    public (int First, int Second, double Stiffness) StiffestPair { get; private set; }

    /// <summary>
    /// Builds the pair list within <paramref name="radius"/> at <paramref name="state"/>, the curvature blocks for
    /// γ, and the Newton matrix from them (<see cref="Modify"/> with <see cref="Curvature.Newton"/>).
    /// </summary>
    public void Assemble(ParticleState state, double gamma, double radius)
    {
        _pairs.Build(state, radius);
        int pairs = _pairs.Count;
        if (_rawBlock.Length < pairs)
        {
            _rawBlock = new Sym2[Math.Max(pairs, 2 * _rawBlock.Length)];
            _pairBlock = new Sym2[_rawBlock.Length];
            _stableAlong = new bool[_rawBlock.Length];
        }
        double[] x1 = state.Positions[0];
        double[] x2 = state.Dimension == 2 ? state.Positions[1] : x1;
        sbyte[] b = state.Signs;
        bool one = Components == 1;
        double scale = gamma / _n;
        var raw = _rawBlock;
        Array.Clear(_degree);
        for (int p = 0; p < pairs; p++)
        {
            _degree[_pairs.First(p)]++;
            _degree[_pairs.Second(p)]++;
        }
        // Serial: ~40 ns a pair, cheaper than the scheduling of a parallel loop on a loaded machine.
        for (int p = 0; p < pairs; p++)
        {
            int i = _pairs.First(p), j = _pairs.Second(p);
            double dy = state.Dimension == 2 ? x2[i] - x2[j] : 0.0;
            double bb = scale * b[i] * b[j];
            if (one)
            {
                raw[p] = new Sym2(bb * _hessian.Second11(x1[i] - x1[j], dy), 0, 0);
            }
            else
            {
                _hessian.Second(x1[i] - x1[j], dy, out double h11, out double h12, out double h22);
                raw[p] = new Sym2(bb * h11, bb * h12, bb * h22);
            }
        }
        AssembleExternal(state, gamma);
        FindUnstablePair(state);
        Modify(Curvature.Newton);
    }

    /// <summary>
    /// Sets <see cref="UnstablePair"/>: for every attracting pair (wᵀKw &lt; 0, w = x_i − x_j on the moving axes),
    /// the curvature of Φ along moving the two towards each other, d = (−w/2, w/2), with every raw block:
    /// q = |w|²/2 + wᵀKw + ¼wᵀ(S_i + S_j − 2K + X_i + X_j)w (S the sum of a particle's pair blocks, X its external
    /// block); rate = 1 − 2q/|w|², which is −2wᵀKw/|w|² for a pair without neighbours, and &gt; 1 where Φ curves down.
    /// </summary>
    private void FindUnstablePair(ParticleState state)
    {
        int pairs = _pairs.Count;
        Array.Clear(_blockSums);
        _unstable.Clear();
        for (int p = 0; p < pairs; p++)
        {
            _blockSums[_pairs.First(p)] += _rawBlock[p];
            _blockSums[_pairs.Second(p)] += _rawBlock[p];
        }
        double[] x1 = state.Positions[0];
        double[]? x2 = Components == 2 ? state.Positions[1] : null;
        var unstable = (First: -1, Second: -1, Rate: 0.0);
        for (int p = 0; p < pairs; p++)
        {
            int i = _pairs.First(p), j = _pairs.Second(p);
            double w1 = Torus.Nearest(x1[i] - x1[j]), w2 = x2 is null ? 0.0 : Torus.Nearest(x2[i] - x2[j]);
            var k = _rawBlock[p];
            double own = k.Quadratic(w1, w2), size = w1 * w1 + w2 * w2;
            _stableAlong[p] = own > 0;
            if (!(own < 0 && size > 0))
            {
                continue;
            }
            var rest = _blockSums[i] + _blockSums[j] - 2.0 * k + _rawExternal[i] + _rawExternal[j];
            double q = 0.5 * size + own + 0.25 * rest.Quadratic(w1, w2);
            double rate = 1 - 2 * q / size;
            if (rate > unstable.Rate)
            {
                unstable = (i, j, rate);
            }
            if (rate > 1)
            {
                _unstable.Add((i, j, rate));
            }
        }
        UnstablePair = unstable;
        // Disjoint, most unstable first: each particle moves with one partner in an escape.
        _unstable.Sort((a, b) => b.Rate.CompareTo(a.Rate));
        int kept = 0;
        for (int k = 0; k < _unstable.Count; k++)
        {
            var pair = _unstable[k];
            if (!_taken.Contains(pair.First) && !_taken.Contains(pair.Second))
            {
                _taken.Add(pair.First);
                _taken.Add(pair.Second);
                _unstable[kept++] = pair;
            }
        }
        _unstable.RemoveRange(kept, _unstable.Count - kept);
        _taken.Clear();
    }

    /// <summary>
    /// Adds to <paramref name="pairs"/> the key i·n + j (i &lt; j) of every pair of the last assembly whose curvature
    /// along its separation w is positive (wᵀKw &gt; 0: the pair is held, not pulled in).
    /// </summary>
    public void CollectStablePairs(HashSet<long> pairs)
    {
        for (int p = 0; p < _pairs.Count; p++)
        {
            if (_stableAlong[p])
            {
                pairs.Add(Key(_pairs.First(p), _pairs.Second(p)));
            }
        }
    }

    private long Key(int i, int j) => (long)i * _n + j;

    /// <summary>
    /// Makes the matrix from the blocks of the last <see cref="Assemble"/>, with negative curvature treated as
    /// <paramref name="treatment"/> says (<see cref="Curvature"/>); with <paramref name="only"/>, the pairs not in it
    /// (keys of <see cref="CollectStablePairs"/>) are left out.
    /// </summary>
    public void Modify(Curvature treatment, IReadOnlySet<long>? only = null)
    {
        int pairs = _pairs.Count;
        if (treatment == Curvature.Newton)
        {
            Array.Clear(_negative);
            for (int p = 0; p < pairs; p++)
            {
                double least = Least(_rawBlock[p]);
                if (least < 0)
                {
                    _negative[_pairs.First(p)] -= least;
                    _negative[_pairs.Second(p)] -= least;
                }
            }
        }
        for (int p = 0; p < pairs; p++)
        {
            _pairBlock[p] = treatment switch
            {
                Curvature.Newton => Treat(_rawBlock[p], Math.Min(Floor(_pairs.First(p)), Floor(_pairs.Second(p)))),
                Curvature.Absolute => Treat(_rawBlock[p], 0.0),
                _ => Components == 1 ? new Sym2(Math.Max(_rawBlock[p].A, 0), 0, 0) : _rawBlock[p].Positive(),
            };
        }
        if (only is not null)
        {
            for (int p = 0; p < pairs; p++)
            {
                if (!only.Contains(Key(_pairs.First(p), _pairs.Second(p))))
                {
                    _pairBlock[p] = default;
                }
            }
        }
        for (int i = 0; i < _n; i++)
        {
            var e = _rawExternal[i];
            _external[i] = treatment switch
            {
                Curvature.Newton => Treat(e, ExternalFloor),
                Curvature.Absolute => Treat(e, 0.0),
                _ => Components == 1 ? new Sym2(Math.Max(e.A, 0), 0, 0) : e.Positive(),
            };
        }
        Flipped = 0;
        if (treatment == Curvature.Newton)
        {
            for (int p = 0; p < pairs; p++)
            {
                Flipped += Least(_pairBlock[p]) > Least(_rawBlock[p]) ? 1 : 0;
            }
            for (int i = 0; i < _n; i++)
            {
                Flipped += Least(_external[i]) > Least(_rawExternal[i]) ? 1 : 0;
            }
        }
        Match();
    }

    private double Least(Sym2 k) => Components == 1 ? k.A : k.SmallerEigenvalue;

    /// <summary>Keeps eigenvalues down to −floor and flips stronger negative ones (one component: A alone).</summary>
    private Sym2 Treat(Sym2 k, double floor) =>
        Components == 1 ? new Sym2(k.A >= -floor ? k.A : -k.A, 0, 0) : k.Flip(floor);

    /// <summary>The negative curvature a pair at particle i may keep (see <see cref="Modify"/>).</summary>
    private double Floor(int i) => _negative[i] <= PairBudget ? double.PositiveInfinity : PairBudget / _degree[i];

    /// <summary>γ b_i ∇²U(x_i), ∇²U = −(2π)² Σ_modes k kᵀ (c cos φ + s sin φ).</summary>
    private void AssembleExternal(ParticleState state, double gamma)
    {
        var modes = _model.External.Modes;
        int d = state.Dimension;
        for (int i = 0; i < _n; i++)
        {
            double a = 0, bOff = 0, c = 0;
            foreach (var mode in modes)
            {
                double phase = 0;
                for (int ax = 0; ax < d; ax++)
                {
                    phase += mode.K[ax] * state.Positions[ax][i];
                }
                phase *= 2 * Math.PI;
                double w = -4 * Math.PI * Math.PI * (mode.Cos * Math.Cos(phase) + mode.Sin * Math.Sin(phase));
                double k1 = mode.K[0], k2 = d == 2 ? mode.K[1] : 0;
                a += w * k1 * k1;
                bOff += w * k1 * k2;
                c += w * k2 * k2;
            }
            double s = gamma * state.Signs[i];
            _rawExternal[i] = Components == 1 ? new Sym2(s * a, 0, 0) : new Sym2(s * a, s * bOff, s * c);
        }
    }

    /// <summary>Greedy matching of stiff pairs (stiffest first) and the diagonal blocks without the matched pairs.</summary>
    private void Match()
    {
        int pairs = _pairs.Count;
        Array.Fill(_partner, -1);
        var order = new List<int>();
        var stiffest = (First: -1, Second: -1, Stiffness: 0.0);
        for (int p = 0; p < pairs; p++)
        {
            double stiffness = _pairBlock[p].Trace;
            if (stiffness > stiffest.Stiffness)
            {
                stiffest = (_pairs.First(p), _pairs.Second(p), stiffness);
            }
            if (stiffness >= MatchStiffness)
            {
                order.Add(p);
            }
        }
        StiffestPair = stiffest;
        order.Sort((p, q) => _pairBlock[q].Trace.CompareTo(_pairBlock[p].Trace));
        MatchedPairs = 0;
        foreach (int p in order)
        {
            int i = _pairs.First(p), j = _pairs.Second(p);
            if (_partner[i] < 0 && _partner[j] < 0)
            {
                _partner[i] = j;
                _partner[j] = i;
                _partnerPair[i] = _partnerPair[j] = p;
                MatchedPairs++;
            }
        }
        var identity = Components == 1 ? new Sym2(1, 0, 1) : Sym2.Identity;
        for (int i = 0; i < _n; i++)
        {
            _diagonal[i] = identity + _external[i];
        }
        for (int p = 0; p < pairs; p++)
        {
            int i = _pairs.First(p), j = _pairs.Second(p);
            if (_partner[i] != j)
            {
                _diagonal[i] += _pairBlock[p];
                _diagonal[j] += _pairBlock[p];
            }
        }
    }

    /// <summary>ŷ = TᵀMT x̂ (vectors in the transformed coordinates; second components ignored when one).</summary>
    public void Apply(double[] c1, double[] c2, double[] out1, double[] out2)
    {
        ToPhysical(c1, c2, _x1, _x2);
        var identity = Components == 1 ? new Sym2(1, 0, 0) : Sym2.Identity;
        for (int i = 0; i < _n; i++)
        {
            (_y1[i], _y2[i]) = (identity + _external[i]).Times(_x1[i], _x2[i]);
        }
        for (int p = 0; p < _pairs.Count; p++)
        {
            int i = _pairs.First(p), j = _pairs.Second(p);
            if (_partner[i] == j)
            {
                continue;
            }
            var (f1, f2) = _pairBlock[p].Times(_x1[i] - _x1[j], _x2[i] - _x2[j]);
            _y1[i] += f1;
            _y2[i] += f2;
            _y1[j] -= f1;
            _y2[j] -= f2;
        }
        ToTransformed(_y1, _y2, out1, out2);
        // The matched pairs' own term TᵀKT acts on w alone: (0, K w).
        for (int i = 0; i < _n; i++)
        {
            int j = _partner[i];
            if (j > i)
            {
                var (f1, f2) = _pairBlock[_partnerPair[i]].Times(c1[j], c2[j]);
                out1[j] += f1;
                out2[j] += f2;
            }
        }
    }

    /// <summary>
    /// y = M x in plain physical coordinates, every pair as K(x_i − x_j): the reference the transformed solve is
    /// tested against (it loses the centre of a dipole whose K is ~1/ε).
    /// </summary>
    public void MultiplyPhysical(double[][] x, double[][] y)
    {
        bool two = Components == 2;
        double[] x2 = two ? x[1] : new double[_n];
        var identity = Components == 1 ? new Sym2(1, 0, 0) : Sym2.Identity;
        var out2 = new double[_n];
        for (int i = 0; i < _n; i++)
        {
            (y[0][i], out2[i]) = (identity + _external[i]).Times(x[0][i], x2[i]);
        }
        for (int p = 0; p < _pairs.Count; p++)
        {
            int i = _pairs.First(p), j = _pairs.Second(p);
            var (f1, f2) = _pairBlock[p].Times(x[0][i] - x[0][j], x2[i] - x2[j]);
            y[0][i] += f1;
            out2[i] += f2;
            y[0][j] -= f1;
            out2[j] -= f2;
        }
        if (two)
        {
            Array.Copy(out2, y[1], _n);
        }
    }

    /// <summary>x = T x̂: x_i = c + w/2, x_j = c − w/2 for a matched pair (c stored at i &lt; j, w at j).</summary>
    public void ToPhysical(double[] c1, double[] c2, double[] x1, double[] x2)
    {
        for (int i = 0; i < _n; i++)
        {
            int j = _partner[i];
            if (j < 0)
            {
                x1[i] = c1[i];
                x2[i] = c2[i];
            }
            else if (j > i)
            {
                double m1 = c1[i], m2 = c2[i], w1 = c1[j], w2 = c2[j];
                x1[i] = m1 + 0.5 * w1;
                x2[i] = m2 + 0.5 * w2;
                x1[j] = m1 - 0.5 * w1;
                x2[j] = m2 - 0.5 * w2;
            }
        }
    }

    /// <summary>ŷ = Tᵀ y: (y_i + y_j, (y_i − y_j)/2) for a matched pair.</summary>
    public void ToTransformed(double[] y1, double[] y2, double[] c1, double[] c2)
    {
        for (int i = 0; i < _n; i++)
        {
            int j = _partner[i];
            if (j < 0)
            {
                c1[i] = y1[i];
                c2[i] = y2[i];
            }
            else if (j > i)
            {
                double a1 = y1[i], a2 = y2[i], b1 = y1[j], b2 = y2[j];
                c1[i] = a1 + b1;
                c2[i] = a2 + b2;
                c1[j] = 0.5 * (a1 - b1);
                c2[j] = 0.5 * (a2 - b2);
            }
        }
    }
}
