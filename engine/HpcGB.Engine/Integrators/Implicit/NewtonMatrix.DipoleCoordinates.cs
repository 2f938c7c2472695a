namespace HpcGB.Engine.Integrators.Implicit;

/// <summary>Matched stiff pairs in centre/difference coordinates: the matching, products with TᵀMT and the change of coordinates.</summary>
internal sealed partial class NewtonMatrix
{
    /// <summary>Pairs at least this stiff (trace of γK) are solved as dipoles.</summary>
    private const double MatchStiffness = 1.0;

    /// <summary>Greedy matching of stiff pairs (stiffest first) and the diagonal blocks without the matched pairs.</summary>
    private void Match()
    {
        Array.Fill(_partner, -1);
        MatchedPairs = 0;
        if (Halo.Distributed)
        {
            MatchAcrossRanks();
        }
        else
        {
            MatchGreedily();
        }
        var identity = Components == 1 ? new Sym2(1, 0, 1) : Sym2.Identity;
        for (int i = 0; i < _n; i++)
        {
            _diagonal[i] = identity + _external[i];
        }
        // The unmatched pairs (the links of the product) and the matched ones, each in a compact list.
        int pairs = _pairs.Count;
        if (_linkFirst.Length < pairs)
        {
            _linkFirst = new int[_rawBlock.Length];
            _linkSecond = new int[_rawBlock.Length];
            _linkBlock = new Sym2[_rawBlock.Length];
            _linkWeight = new double[_rawBlock.Length];
        }
        int links = 0;
        for (int p = 0; p < pairs; p++)
        {
            int i = _pairs.First(p), j = _pairs.Second(p);
            if (_partner[i] != j)
            {
                var k = _pairBlock[p];
                _diagonal[i] += k;
                _diagonal[j] += k;
                _linkFirst[links] = i;
                _linkSecond[links] = j;
                _linkBlock[links] = k;
                _linkWeight[links++] = k.A;
            }
        }
        _links = links;
        _dipoles.Clear();
        for (int i = 0; i < _n; i++)
        {
            if (_partner[i] > i)
            {
                _dipoles.Add((i, _partner[i], _pairBlock[_partnerPair[i]]));
            }
        }
        Halo.Refresh(_diagonal);
        PrepareSolve();
    }

    private int[] _linkFirst = [], _linkSecond = [];
    private Sym2[] _linkBlock = [];
    private double[] _linkWeight = []; // the link's A alone (one component)
    private int _links;
    private readonly List<(int First, int Second, Sym2 Block)> _dipoles = []; // matched pairs, first < second

    /// <summary>
    /// The serial matching: stiff pairs stiffest first (equal stiffness: in pair order), each taken when both
    /// particles are free. A stiff pair that shares no particle with another is taken whatever the order, so only
    /// the contested ones are sorted (the free gas's tight dipoles are nearly all alone; sorting them all was a
    /// tenth of an assembly with ~1500 of them).
    /// </summary>
    private void MatchGreedily()
    {
        int pairs = _pairs.Count;
        int stiff = 0;
        for (int p = 0; p < pairs; p++)
        {
            double trace = _pairBlock[p].Trace;
            if (trace >= MatchStiffness)
            {
                if (stiff == _stiff.Length)
                {
                    Array.Resize(ref _stiff, Math.Max(64, 2 * stiff));
                }
                _stiff[stiff++] = (-trace, p);
            }
        }
        if (_stiffAt.Length < _n)
        {
            _stiffAt = new int[_n];
        }
        Array.Clear(_stiffAt, 0, _n);
        foreach (var (_, p) in _stiff.AsSpan(0, stiff))
        {
            _stiffAt[_pairs.First(p)]++;
            _stiffAt[_pairs.Second(p)]++;
        }
        int contested = 0;
        foreach (var pair in _stiff.AsSpan(0, stiff))
        {
            if (_stiffAt[_pairs.First(pair.Pair)] == 1 && _stiffAt[_pairs.Second(pair.Pair)] == 1)
            {
                Take(pair.Pair);
            }
            else
            {
                _stiff[contested++] = pair;
            }
        }
        _stiff.AsSpan(0, contested).Sort();
        foreach (var (_, p) in _stiff.AsSpan(0, contested))
        {
            if (_partner[_pairs.First(p)] < 0 && _partner[_pairs.Second(p)] < 0)
            {
                Take(p);
            }
        }
    }

    /// <summary>The particle matched with local particle <paramref name="i"/> in the last assembly (−1: none).</summary>
    public int PartnerOf(int i) => _partner[i];

    private (double NegativeTrace, int Pair)[] _stiff = [];
    private int[] _stiffAt = []; // stiff pairs per particle

    private void Take(int p)
    {
        int i = _pairs.First(p), j = _pairs.Second(p);
        _partner[i] = j;
        _partner[j] = i;
        _partnerPair[i] = _partnerPair[j] = p;
        MatchedPairs++;
    }

    /// <summary>ŷ = TᵀMT x̂ (vectors in the transformed coordinates; second components ignored when one).</summary>
    public void Apply(double[] c1, double[] c2, double[] out1, double[] out2)
    {
        Halo.ProductDone();
        bool two = Components == 2;
        ToPhysical(c1, c2, _x1, _x2);
        // Across ranks the ghosts' x from their holders (x = T x̂ needs a ghost's partner, which may be beyond the
        // halo), and their y after the pairs (y at a ghost lacks the pairs it has beyond the halo).
        Halo.Refresh(_x1, product: true);
        // y = M x into the output, then Tᵀ in place (each matched pair reads and writes its own two entries).
        if (two)
        {
            Halo.Refresh(_x2, product: true);
            MultiplySelf(_x1, _x2, out1, out2);
            for (int k = 0; k < _links; k++)
            {
                int i = _linkFirst[k], j = _linkSecond[k];
                var (f1, f2) = _linkBlock[k].Times(_x1[i] - _x1[j], _x2[i] - _x2[j]);
                out1[i] += f1;
                out2[i] += f2;
                out1[j] -= f1;
                out2[j] -= f2;
            }
        }
        else
        {
            double[] x = _x1, y = out1;
            MultiplySelf(x, _x2, y, out2);
            for (int k = 0; k < _links; k++)
            {
                int i = _linkFirst[k], j = _linkSecond[k];
                double f = _linkWeight[k] * (x[i] - x[j]);
                y[i] += f;
                y[j] -= f;
            }
        }
        Halo.Refresh(out1, product: true);
        if (two)
        {
            Halo.Refresh(out2, product: true);
        }
        ToTransformed(out1, out2, out1, out2);
        // The matched pairs' own term TᵀKT acts on w alone: (0, K w).
        foreach (var (_, j, k) in _dipoles)
        {
            if (two)
            {
                var (f1, f2) = k.Times(c1[j], c2[j]);
                out1[j] += f1;
                out2[j] += f2;
            }
            else
            {
                out1[j] += k.A * c1[j];
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

    /// <summary>x = T x̂: x_i = c + w/2, x_j = c − w/2 for a matched pair (c stored at i &lt; j, w at j); the second
    /// components only with two.</summary>
    public void ToPhysical(double[] c1, double[] c2, double[] x1, double[] x2)
    {
        bool two = Components == 2;
        Array.Copy(c1, x1, _n);
        if (two)
        {
            Array.Copy(c2, x2, _n);
        }
        foreach (var (i, j, _) in _dipoles)
        {
            double m1 = c1[i], w1 = c1[j];
            x1[i] = m1 + 0.5 * w1;
            x1[j] = m1 - 0.5 * w1;
            if (two)
            {
                double m2 = c2[i], w2 = c2[j];
                x2[i] = m2 + 0.5 * w2;
                x2[j] = m2 - 0.5 * w2;
            }
        }
    }

    /// <summary>ŷ = Tᵀ y: (y_i + y_j, (y_i − y_j)/2) for a matched pair; the second components only with two (in place
    /// where ŷ is y).</summary>
    public void ToTransformed(double[] y1, double[] y2, double[] c1, double[] c2)
    {
        bool two = Components == 2;
        if (y1 != c1)
        {
            Array.Copy(y1, c1, _n);
        }
        if (two && y2 != c2)
        {
            Array.Copy(y2, c2, _n);
        }
        foreach (var (i, j, _) in _dipoles)
        {
            double a1 = y1[i], b1 = y1[j];
            c1[i] = a1 + b1;
            c1[j] = 0.5 * (a1 - b1);
            if (two)
            {
                double a2 = y2[i], b2 = y2[j];
                c2[i] = a2 + b2;
                c2[j] = 0.5 * (a2 - b2);
            }
        }
    }
}
