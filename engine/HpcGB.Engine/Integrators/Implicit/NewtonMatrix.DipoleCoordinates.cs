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
        for (int p = 0; p < _pairs.Count; p++)
        {
            int i = _pairs.First(p), j = _pairs.Second(p);
            if (_partner[i] != j)
            {
                _diagonal[i] += _pairBlock[p];
                _diagonal[j] += _pairBlock[p];
            }
        }
        Halo.Refresh(_diagonal);
    }

    /// <summary>The serial matching: stiff pairs stiffest first, each taken when both particles are free.</summary>
    private void MatchGreedily()
    {
        int pairs = _pairs.Count;
        var order = new List<int>();
        for (int p = 0; p < pairs; p++)
        {
            if (_pairBlock[p].Trace >= MatchStiffness)
            {
                order.Add(p);
            }
        }
        order.Sort((p, q) => _pairBlock[q].Trace.CompareTo(_pairBlock[p].Trace));
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
    }

    /// <summary>ŷ = TᵀMT x̂ (vectors in the transformed coordinates; second components ignored when one).</summary>
    public void Apply(double[] c1, double[] c2, double[] out1, double[] out2)
    {
        Halo.ProductDone();
        ToPhysical(c1, c2, _x1, _x2);
        // Across ranks the ghosts' x from their holders (x = T x̂ needs a ghost's partner, which may be beyond the
        // halo), and their y after the pairs (y at a ghost lacks the pairs it has beyond the halo).
        Halo.Refresh(_x1, product: true);
        if (Components == 2)
        {
            Halo.Refresh(_x2, product: true);
        }
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
        Halo.Refresh(_y1, product: true);
        if (Components == 2)
        {
            Halo.Refresh(_y2, product: true);
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
