using HpcGB.Engine.Model;

namespace HpcGB.Engine.Integrators.Implicit;

/// <summary>
/// The two choices of the matrix that the serial code makes greedily over the whole system, made across ranks so
/// that every rank takes the serial choice (<see cref="IStageHalo"/>): the matching of stiff pairs and the disjoint
/// set of unstable pairs that an escape moves.
/// </summary>
internal sealed partial class NewtonMatrix
{
    private int[] _proposal = [], _partnerId = [], _best = [];

    /// <summary>
    /// The greedy matching (stiffest pair first) by rounds of proposals: every free held particle proposes its
    /// stiffest stiff pair with a free partner (ties by ids), the ghosts' proposals and partners come from their
    /// holders, and a pair whose two particles propose each other is matched. The stiffest free pair of the system
    /// is matched in the first round, so the rounds end with the greedy matching (one round per link of the
    /// longest chain of ever stiffer pairs, usually one or two). Pairs of two ghosts are left to their holders.
    /// </summary>
    private void MatchAcrossRanks()
    {
        if (_proposal.Length < _n)
        {
            _proposal = new int[_partner.Length];
            _partnerId = new int[_partner.Length];
            _best = new int[_partner.Length];
        }
        Array.Fill(_partnerId, -1, 0, _n);
        var ids = _extension.Ids;
        for (int round = 0; ; round++)
        {
            Array.Fill(_proposal, -1, 0, _n);
            Array.Fill(_best, -1, 0, _n);
            for (int p = 0; p < _pairs.Count; p++)
            {
                if (!(_pairBlock[p].Trace >= MatchStiffness))
                {
                    continue;
                }
                int i = _pairs.First(p), j = _pairs.Second(p);
                if (_partnerId[i] >= 0 || _partnerId[j] >= 0)
                {
                    continue;
                }
                Propose(i, j, p);
                Propose(j, i, p);
            }
            Halo.Refresh(_proposal);
            int matched = 0;
            for (int i = 0; i < _n; i++)
            {
                int j = _best[i] < 0 ? -1 : _pairs.First(_best[i]) == i ? _pairs.Second(_best[i]) : _pairs.First(_best[i]);
                if (Held(i) && j >= 0 && _proposal[j] == ids[i] && _proposal[i] == ids[j])
                {
                    _partnerId[i] = ids[j];
                    _partnerPair[i] = _best[i];
                    matched++;
                }
            }
            Halo.Refresh(_partnerId);
            if (Halo.Sum(matched) == 0)
            {
                break;
            }
        }
        for (int i = 0; i < _n; i++)
        {
            int j = _partnerId[i] < 0 || !Held(i) ? -1 : Array.BinarySearch(ids, 0, _n, _partnerId[i]);
            if (j >= 0)
            {
                _partner[i] = j;
                _partner[j] = i;
                _partnerPair[j] = _partnerPair[i];
                MatchedPairs += Held(j) && j < i ? 0 : 1;
            }
        }
    }

    /// <summary>Particle i (held) proposes j through pair p if p is stiffer than its best so far (ties: lower partner id).</summary>
    private void Propose(int i, int j, int p)
    {
        if (!Held(i))
        {
            return;
        }
        int best = _best[i];
        double trace = _pairBlock[p].Trace;
        if (best >= 0)
        {
            double bestTrace = _pairBlock[best].Trace;
            if (trace < bestTrace || (trace == bestTrace && _extension.Ids[j] > _proposal[i]))
            {
                return;
            }
        }
        _best[i] = p;
        _proposal[i] = _extension.Ids[j];
    }

    /// <summary>
    /// The serial choice of unstable pairs for an escape, from every rank's candidates (<see cref="_unstable"/>:
    /// the pairs of its held particles with rate &gt; 1): all of them, once each, to every rank, most unstable
    /// first (ties by ids), each taken when both particles are free; this rank keeps those with a particle here.
    /// </summary>
    private void ChooseUnstableAcrossRanks()
    {
        var local = new List<double>(3 * _unstable.Count);
        foreach (var (i, j, rate) in _unstable)
        {
            // A pair across ranks is a candidate on both: the rank holding the lower id sends it.
            if (Held(Id(i) < Id(j) ? i : j))
            {
                local.Add(Math.Min(Id(i), Id(j)));
                local.Add(Math.Max(Id(i), Id(j)));
                local.Add(rate);
            }
        }
        var all = Halo.Gather(local.ToArray());
        var candidates = Enumerable.Range(0, all.Length / 3).Select(k => (First: (int)all[3 * k], Second: (int)all[3 * k + 1], Rate: all[3 * k + 2]))
            .OrderByDescending(c => c.Rate).ThenBy(c => c.First).ThenBy(c => c.Second);
        var taken = new HashSet<int>();
        var ids = _extension.Ids;
        _unstable.Clear();
        foreach (var (first, second, rate) in candidates)
        {
            if (taken.Contains(first) || taken.Contains(second))
            {
                continue;
            }
            taken.Add(first);
            taken.Add(second);
            int i = Array.BinarySearch(ids, 0, _n, first), j = Array.BinarySearch(ids, 0, _n, second);
            if (i >= 0 && j >= 0 && (Held(i) || Held(j)))
            {
                _unstable.Add((i, j, rate));
            }
        }
    }

    /// <summary>
    /// <see cref="SlipPlaneCrossing.MirrorBack"/> on the pairs of the last assembly (at the solution
    /// <paramref name="stage"/>); across ranks on the held particles and their ghosts (the start point's ghosts from
    /// their holders), the held ones written back, the count summed over ranks (a pair across ranks counts twice).
    /// </summary>
    public int MirrorBack(ParticleState stage, double[][] start, int moving)
    {
        if (!Halo.Distributed)
        {
            int first = FirstJump(stage, start, moving);
            return first < 0 ? 0 : SlipPlaneCrossing.MirrorBack(_pairs, stage, start, moving, first);
        }
        if (moving != 1 || stage.Dimension != 2)
        {
            return 0;
        }
        var local = _extension.Local;
        int mirrored = SlipPlaneCrossing.MirrorBack(_pairs, local, [Local(start[0])], moving);
        var at = _extension.LocalOfHeld;
        for (int k = 0; k < at.Length; k++)
        {
            stage.Positions[0][k] = local.Positions[0][at[k]];
        }
        return (int)Halo.Sum(mirrored);
    }

    /// <summary>
    /// <see cref="SlipPlaneCrossing.FirstJump"/> over the pairs of the last assembly in chunks (<see cref="ForPairs"/>;
    /// the first chunk's that found one), under glide; −1: none.
    /// </summary>
    private int FirstJump(ParticleState end, double[][] start, int moving)
    {
        if (moving != 1 || end.Dimension != 2)
        {
            return -1;
        }
        int chunks = PairChunks;
        if (_chunkJump.Length < chunks)
        {
            _chunkJump = new int[chunks];
        }
        (_jumpEnd, _jumpStart) = (end, start);
        ForPairs(_firstJump);
        (_jumpEnd, _jumpStart) = (null, null);
        for (int c = 0; c < chunks; c++)
        {
            if (_chunkJump[c] >= 0)
            {
                return _chunkJump[c];
            }
        }
        return -1;
    }

    private int[] _chunkJump = [];
    private ParticleState? _jumpEnd; // the pass under way's
    private double[][]? _jumpStart;

    /// <summary><see cref="SlipPlaneCrossing.Find"/> on the pairs of the last assembly; across ranks the first pair any
    /// rank finds (global ids), the same on every rank.</summary>
    public (int First, int Second) FindCrossing(ParticleState stage, double[][] start, int moving)
    {
        if (!Halo.Distributed)
        {
            int first = FirstJump(stage, start, moving);
            return first < 0 ? (-1, -1) : (_pairs.First(first), _pairs.Second(first));
        }
        if (moving != 1 || stage.Dimension != 2)
        {
            return (-1, -1);
        }
        var (i, j) = SlipPlaneCrossing.Find(_pairs, _extension.Local, [Local(start[0])], moving);
        var all = Halo.Gather(i >= 0 ? [Id(i), Id(j)] : [-1, -1]);
        for (int k = 0; k < all.Length; k += 2)
        {
            if (all[k] >= 0)
            {
                return ((int)all[k], (int)all[k + 1]);
            }
        }
        return (-1, -1);
    }

    /// <summary>
    /// The global id of the held particle with the largest <paramref name="size"/> over all ranks, for messages
    /// (<paramref name="held"/> a held index, −1 for none): serially <paramref name="held"/> itself. Across ranks it
    /// is collective: every rank calls it at the same decision.
    /// </summary>
    public int LargestAcrossRanks(int held, double size)
    {
        if (!Halo.Distributed)
        {
            return held;
        }
        var all = Halo.Gather(held >= 0 ? [size, Id(_extension.LocalOfHeld[held])] : [double.NegativeInfinity, -1]);
        int best = -1;
        double largest = double.NegativeInfinity;
        for (int k = 0; k < all.Length; k += 2)
        {
            if (all[k + 1] >= 0 && all[k] > largest)
            {
                largest = all[k];
                best = (int)all[k + 1];
            }
        }
        return best;
    }

    /// <summary>The stiffest pair over all ranks (global ids), collective like <see cref="LargestAcrossRanks"/>.</summary>
    private (int First, int Second, double Stiffness) StiffestAcrossRanks((int First, int Second, double Stiffness) local)
    {
        var all = Halo.Gather([local.Stiffness, local.First, local.Second]);
        var stiffest = (First: -1, Second: -1, Stiffness: 0.0);
        for (int k = 0; k < all.Length; k += 3)
        {
            if (all[k] > stiffest.Stiffness)
            {
                stiffest = ((int)all[k + 1], (int)all[k + 2], all[k]);
            }
        }
        return stiffest;
    }

    /// <summary>A held vector on the held particles and ghosts (the ghosts' entries from their holders), new.</summary>
    private double[] Local(double[] held)
    {
        var local = new double[_n];
        ToLocal(held, local);
        return local;
    }
}
