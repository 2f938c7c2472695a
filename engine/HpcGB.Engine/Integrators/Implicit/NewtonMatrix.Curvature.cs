namespace HpcGB.Engine.Integrators.Implicit;

/// <summary>The treatment of negative curvature: the blocks as used, made from the raw blocks of the last assembly.</summary>
internal sealed partial class NewtonMatrix
{
    /// <summary>Negative external curvature kept down to this (see <see cref="Modify"/>).</summary>
    private const double ExternalFloor = 0.25;

    /// <summary>Negative pair curvature (sum of eigenvalue sizes) kept per particle (see <see cref="Modify"/>).</summary>
    private const double PairBudget = 0.25;

    /// <summary>
    /// Makes the matrix from the blocks of the last <see cref="Assemble"/>, with negative curvature treated as
    /// <paramref name="treatment"/> says (<see cref="Curvature"/>); with <paramref name="only"/>, the pairs not in it
    /// (keys of <see cref="CollectStablePairs"/>) are left out.
    /// </summary>
    public void Modify(Curvature treatment, PairKeys? only = null)
    {
        int pairs = _pairs.Count, chunks = PairChunks;
        if (_chunkFlips.Length < chunks)
        {
            _chunkFlips = new int[chunks];
        }
        var flips = _chunkFlips;
        _treatment = treatment;
        ForPairs(_treatPairs);
        int flipped = 0;
        for (int c = 0; c < chunks; c++)
        {
            flipped += flips[c];
        }
        if (only is not null)
        {
            for (int p = 0; p < pairs; p++)
            {
                if (!only.Contains(Key(_pairs.First(p), _pairs.Second(p))))
                {
                    _pairBlock[p] = default;
                    _flippedBlock[p] = Least(_rawBlock[p]) < 0;
                }
            }
        }
        int externalFlips = 0;
        for (int i = 0; i < _n; i++)
        {
            var e = _rawExternal[i];
            double least = Least(e);
            var used = treatment switch
            {
                Curvature.Newton => least >= -ExternalFloor ? e : Treat(e, ExternalFloor),
                Curvature.Absolute => least >= 0 ? e : Treat(e, 0.0),
                _ => Components == 1 ? new Sym2(Math.Max(e.A, 0), 0, 0) : least >= 0 ? e : e.Positive(),
            };
            _external[i] = used;
            externalFlips += least < -ExternalFloor && Held(i) && Least(used) > least ? 1 : 0;
        }
        Flipped = 0;
        if (treatment == Curvature.Newton)
        {
            flipped += externalFlips;
            // Whether any block was flipped steers Newton's convergence test: every rank must see it.
            Flipped = (int)Halo.Sum(flipped);
        }
        Match();
    }

    private int[] _chunkFlips = [];
    private Curvature _treatment; // of the pass under way

    /// <summary>The blocks as used of pairs [<paramref name="start"/>, <paramref name="end"/>); returns how many were flipped.</summary>
    private int TreatPairs(int start, int end)
    {
        var treatment = _treatment;
        int flipped = 0;
        if (Components == 1)
        {
            // One component: the blocks are their A alone, and a block is flipped where A < −floor.
            for (int p = start; p < end; p++)
            {
                double a = _rawBlock[p].A, used = a;
                if (a < 0)
                {
                    double floor = treatment switch
                    {
                        Curvature.Newton => Math.Min(Floor(_pairs.First(p)), Floor(_pairs.Second(p))),
                        Curvature.Absolute => 0.0,
                        _ => double.NaN,
                    };
                    used = double.IsNaN(floor) ? 0.0 : a >= -floor ? a : -a;
                    flipped += used > a ? 1 : 0;
                }
                _pairBlock[p] = new Sym2(used, 0, 0); // no _flippedBlock: FoldStep is for two components
            }
            return flipped;
        }
        for (int p = start; p < end; p++)
        {
            var raw = _rawBlock[p];
            double least = _least[p];
            double floor = treatment switch
            {
                Curvature.Newton => Math.Min(Floor(_pairs.First(p)), Floor(_pairs.Second(p))),
                Curvature.Absolute => 0.0,
                _ => double.NaN,
            };
            // A block whose least eigenvalue is within the floor is used as it is (Flip and Positive return it).
            if (least >= -floor || (double.IsNaN(floor) && least >= 0))
            {
                _pairBlock[p] = raw;
                _flippedBlock[p] = false;
                continue;
            }
            var used = double.IsNaN(floor) ? raw.Positive() : raw.Flip(floor);
            _pairBlock[p] = used;
            _flippedBlock[p] = Least(used) > least;
            flipped += _flippedBlock[p] ? 1 : 0;
        }
        return flipped;
    }

    private double Least(Sym2 k) => Components == 1 ? k.A : k.SmallerEigenvalue;

    /// <summary>Keeps eigenvalues down to −floor and flips stronger negative ones (one component: A alone).</summary>
    private Sym2 Treat(Sym2 k, double floor) =>
        Components == 1 ? new Sym2(k.A >= -floor ? k.A : -k.A, 0, 0) : k.Flip(floor);

    /// <summary>The negative curvature a pair at particle i may keep (see <see cref="Modify"/>).</summary>
    private double Floor(int i) => _floor[i];
}
