using HpcGB.Engine.Model;

namespace HpcGB.Engine.Integrators.Implicit;

/// <summary>The pairs' stability along their separation: the unstable approaches (saddles of Φ) and the held pairs that filter the error estimate.</summary>
internal sealed partial class NewtonMatrix
{
    private (int First, int Second, double Rate) _unstablePair;
    private bool _unstableKnown; // _unstablePair, _unstable and _stableAlong are those of the last assembly

    private void FindUnstablePairOnce()
    {
        if (!_unstableKnown)
        {
            FindUnstablePair();
            _unstableKnown = true;
        }
    }

    /// <summary>
    /// Sets <see cref="UnstablePair"/>: for every attracting pair (wᵀKw &lt; 0, w = x_i − x_j on the moving axes),
    /// the curvature of Φ along moving the two towards each other, d = (−w/2, w/2), with every raw block:
    /// q = |w|²/2 + wᵀKw + ¼wᵀ(S_i + S_j − 2K + X_i + X_j)w (S the sum of a particle's pair blocks, X its external
    /// block); rate = 1 − 2q/|w|², which is −2wᵀKw/|w|² for a pair without neighbours, and &gt; 1 where Φ curves down.
    /// </summary>
    private void FindUnstablePair()
    {
        UnstableSearches++;
        SumBlocksAtParticles();
        int chunks = PairChunks;
        if (_chunkUnstable.Length < chunks)
        {
            _chunkUnstable = [.. _chunkUnstable, .. Enumerable.Range(0, chunks - _chunkUnstable.Length).Select(_ => new List<(int, int, double)>())];
            _chunkMost = new (int, int, double)[chunks];
        }
        ForPairs(_unstableIn);
        // The chunks in order, the first of equal rates kept: the serial loop's choice.
        var unstable = (First: -1, Second: -1, Rate: 0.0);
        _unstable.Clear();
        for (int c = 0; c < chunks; c++)
        {
            if (_chunkMost[c].Rate > unstable.Rate)
            {
                unstable = _chunkMost[c];
            }
            _unstable.AddRange(_chunkUnstable[c]);
        }
        // Every rank sees the largest rate (the saddle test is a decision); the pair is one of this rank's.
        double largest = Halo.Max(unstable.Rate);
        _unstablePair = unstable.Rate == largest && unstable.First >= 0 ? (Id(unstable.First), Id(unstable.Second), largest) : (-1, -1, largest);
        if (Halo.Distributed)
        {
            ChooseUnstableAcrossRanks();
            return;
        }
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
    /// Σ of the raw pair blocks at each particle, in pair order (the rates' S_i): asked at about a sixth of the free
    /// gas's assemblies, so not made at the others (a serial pass with two scattered block sums per pair).
    /// </summary>
    private void SumBlocksAtParticles()
    {
        Array.Clear(_blockSums, 0, _n);
        bool anyHeld = _holds.Count > 0; // where nothing is held (the peer run), no call per pair
        for (int p = 0; p < _pairs.Count; p++)
        {
            if (anyHeld && IsHeld(_pairs.First(p), _pairs.Second(p)))
            {
                continue; // its separation is fixed: a member moves the pair (FoldStep)
            }
            var k = _rawBlock[p];
            _blockSums[_pairs.First(p)] += k;
            _blockSums[_pairs.Second(p)] += k;
        }
        Halo.Refresh(_blockSums);
    }

    private List<(int First, int Second, double Rate)>[] _chunkUnstable = [];
    private (int First, int Second, double Rate)[] _chunkMost = [];

    /// <summary>
    /// The rates of the attracting pairs in [<paramref name="start"/>, <paramref name="end"/>) (see
    /// <see cref="FindUnstablePair"/>): the largest (the first of equal ones) is returned, those above 1 go to
    /// <paramref name="above"/> in pair order; marks each pair's stability along its separation.
    /// </summary>
    private (int First, int Second, double Rate) UnstableIn(int start, int end, List<(int First, int Second, double Rate)> above)
    {
        above.Clear();
        var unstable = (First: -1, Second: -1, Rate: 0.0);
        bool one = Components == 1, anyHeld = _holds.Count > 0;
        for (int p = start; p < end; p++)
        {
            double w1 = _w1[p], w2 = one ? 0.0 : _w2[p];
            double own = _rawBlock[p].Quadratic(w1, w2);
            _stableAlong[p] = own > 0;
            if (!(own < 0) || anyHeld && IsHeld(_pairs.First(p), _pairs.Second(p)))
            {
                continue; // a held pair is not Newton's to escape (FoldStep)
            }
            double size = w1 * w1 + w2 * w2;
            if (!(size > 0))
            {
                continue;
            }
            int i = _pairs.First(p), j = _pairs.Second(p);
            var k = _rawBlock[p];
            var rest = _blockSums[i] + _blockSums[j] - 2.0 * k + _rawExternal[i] + _rawExternal[j];
            double q = 0.5 * size + own + 0.25 * rest.Quadratic(w1, w2);
            double rate = 1 - 2 * q / size;
            if (rate > unstable.Rate)
            {
                unstable = (i, j, rate);
            }
            if (rate > 1)
            {
                above.Add((i, j, rate));
            }
        }
        return unstable;
    }

    /// <summary>
    /// Adds to <paramref name="pairs"/> the key i·n + j (i &lt; j) of every pair of the last assembly whose curvature
    /// along its separation w is positive (wᵀKw &gt; 0: the pair is held, not pulled in).
    /// </summary>
    public void CollectStablePairs(PairKeys pairs)
    {
        FindUnstablePairOnce();
        for (int p = 0; p < _pairs.Count; p++)
        {
            if (_stableAlong[p])
            {
                pairs.Add(Key(_pairs.First(p), _pairs.Second(p)));
            }
        }
    }

    private long Key(int i, int j) => (long)Id(i) * Halo.Total + Id(j);

    /// <summary>
    /// The escape of <see cref="UnstablePairs"/> (those <paramref name="keep"/> takes, all without it) as a step on
    /// the held particles (moving axes): each member moves half the pair's separation w towards the other (−w/2 at
    /// the first, +w/2 at the second). Under glide, an opposite pair on slip planes h apart with |w| &lt; |h| sits
    /// on the barrier between its two 45° wells (<see cref="SlipPlaneCrossing"/>), where Φ is concave because the
    /// pair repels from w = 0: it moves apart to the well on its side, w = ±|h| (measured at n = 16384: every
    /// failed escape was such a pair, 10⁻⁸ … 10⁻⁶ from w = 0 with h ≈ 2·10⁻⁶, where moving it together only raised
    /// Φ). Returns how many pairs move, summed over ranks (a pair across ranks counts on both).
    /// </summary>
    public int EscapeStep(double[][] step, Func<int, int, bool>? keep = null)
    {
        FindUnstablePairOnce();
        var local = _extension.Local;
        var x = local.Positions;
        int[] held = _extension.HeldIndex;
        bool glide = step.Length == 1 && x.Length == 2;
        int moved = 0;
        for (int a = 0; a < step.Length; a++)
        {
            Array.Clear(step[a]);
        }
        foreach (var (i, j, _) in _unstable)
        {
            if (keep is not null && !keep(i, j))
            {
                continue;
            }
            moved++;
            for (int a = 0; a < step.Length; a++)
            {
                double w = Torus.Nearest(x[a][i] - x[a][j]);
                double change = -w; // of the separation: the two meet
                if (glide && local.Signs[i] != local.Signs[j])
                {
                    double h = Math.Abs(Torus.Nearest(x[1][i] - x[1][j]));
                    change = Math.Abs(w) < h ? (w >= 0 ? h : -h) - w : change;
                }
                if (held[i] >= 0)
                {
                    step[a][held[i]] = 0.5 * change;
                }
                if (held[j] >= 0)
                {
                    step[a][held[j]] = -0.5 * change;
                }
            }
        }
        return (int)Halo.Sum(moved);
    }

    /// <summary>
    /// <see cref="EscapeStep"/> of the unstable pairs that the flow captures within <paramref name="within"/> anyway:
    /// those whose two-body capture time from the point <paramref name="x"/> with ẋ <paramref name="v"/> (the held
    /// particles' last solution, moving axes), |w|²/(−d|w|²/dt), is at most <paramref name="within"/>. Across ranks a
    /// ghost member's x and ẋ come from its holder (<see cref="IStageHalo.Refresh{T}"/>), so every rank takes the
    /// serial run's pairs; every rank calls it at the same point. Returns how many pairs move, summed over ranks.
    /// </summary>
    public int EscapeCapturedStep(double[][] step, double[][] x, double[][] v, double within)
    {
        int moving = step.Length;
        var positions = new double[moving][];
        var velocities = new double[moving][];
        for (int a = 0; a < moving; a++)
        {
            positions[a] = Local(x[a]);
            velocities[a] = Local(v[a]);
        }
        return EscapeStep(step, (i, j) =>
        {
            double size = 0, closing = 0;
            for (int a = 0; a < moving; a++)
            {
                double w = Torus.Nearest(positions[a][i] - positions[a][j]);
                size += w * w;
                closing -= 2 * w * (velocities[a][i] - velocities[a][j]);
            }
            return closing > 0 && size <= closing * within;
        });
    }
}
