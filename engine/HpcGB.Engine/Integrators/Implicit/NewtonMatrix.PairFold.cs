using HpcGB.Engine.Model;

namespace HpcGB.Engine.Integrators.Implicit;

/// <summary>The two-body fold of an opposite pair's stage (the pairs whose stage has no solution with them apart) and the pairs held at their two-body flow.</summary>
internal sealed partial class NewtonMatrix
{
    /// <summary>Beyond t = r²/2δ² = 746 the gaussian core's e^{−t} is 0 in double: the pair attracts as −ln r exactly.</summary>
    private const double FarCore = 746;

    /// <summary>
    /// The held pairs of this stage (key: smaller id · n + larger id): the separation x_first − x_second each is held
    /// at and the background's relative ẋ it was held with (<see cref="TwoBodyFlow"/>), the same orientation.
    /// </summary>
    private readonly Dictionary<long, (double W1, double W2, double Dv1, double Dv2)> _holds = [];

    /// <summary>
    /// Whether the particle of each global id is a member of a held pair: the passes over every pair ask
    /// <see cref="IsHeld"/> per pair, and a look-up in <see cref="_holds"/> for each cost more than the pass.
    /// </summary>
    private bool[] _heldMember = [];

    /// <summary>Releases the pairs held in the last stage (<see cref="FoldStep"/>): a new stage decides again.</summary>
    public void ReleaseHolds()
    {
        foreach (long key in _holds.Keys)
        {
            _heldMember[key / Halo.Total] = false;
            _heldMember[key % Halo.Total] = false;
        }
        _holds.Clear();
    }

    /// <summary>Whether the pair of local particles <paramref name="i"/>, <paramref name="j"/> is held this stage.</summary>
    private bool IsHeld(int i, int j) => TryGetHold(i, j, out _);

    /// <summary>The hold of the pair of local particles <paramref name="i"/>, <paramref name="j"/>, if held (the orientation of the smaller id first).</summary>
    private bool TryGetHold(int i, int j, out (double W1, double W2, double Dv1, double Dv2) hold)
    {
        if (_holds.Count == 0 || !_heldMember[Id(i)] || !_heldMember[Id(j)])
        {
            hold = default;
            return false;
        }
        return _holds.TryGetValue(OrderedKey(i, j), out hold);
    }

    /// <summary>Holds the pair of local particles <paramref name="i"/>, <paramref name="j"/> at <paramref name="hold"/> (the orientation of the smaller id first).</summary>
    private void HoldPair(int i, int j, (double W1, double W2, double Dv1, double Dv2) hold)
    {
        if (_heldMember.Length < Halo.Total)
        {
            _heldMember = new bool[Halo.Total];
        }
        _holds[OrderedKey(i, j)] = hold;
        _heldMember[Id(i)] = true;
        _heldMember[Id(j)] = true;
    }

    private long OrderedKey(int i, int j) => (long)Math.Min(Id(i), Id(j)) * Halo.Total + Math.Max(Id(i), Id(j));

    private readonly List<int> _foldPairs = [];
    private int[] _foldMembers = [];
    private double[] _nearestOpposite = []; // each local particle's least |w|² to an opposite particle (FoldStep)
    private double[][] _foldLocal = [.. Enumerable.Range(0, 10).Select(_ => Array.Empty<double>())]; // FoldStep's vectors on the local particles

    /// <summary>
    /// A held vector that is only read, on the held particles and ghosts: serially the held vector itself (no ghosts,
    /// local index = held index), across ranks <see cref="FoldLocal"/>'s copy. The copies of every vector FoldStep
    /// reads were 40 % of its time on the free gas; the vectors it writes (the step, the estimate) keep theirs, so a
    /// member of two pairs reads its value from before either was set.
    /// </summary>
    private double[] FoldRead(int k, double[] held) => Halo.Distributed ? FoldLocal(k, held) : held;

    /// <summary>A held vector on the held particles and ghosts, into the fold step's buffer <paramref name="k"/>.</summary>
    private double[] FoldLocal(int k, double[] held)
    {
        if (_foldLocal[k].Length < _n)
        {
            _foldLocal[k] = new double[_partner.Length];
        }
        ToLocal(held, _foldLocal[k]);
        return _foldLocal[k];
    }

    /// <summary>
    /// The pair-local stage of every opposite pair of the log kernel whose curvature along its separation w the
    /// matrix flipped (<see cref="Modify"/>) and whose members are in no other such pair and each other's nearest
    /// opposite particle (one in a dipole sees the dipole, not two bodies), beyond the core's reach:
    /// with the rest of ẋ at the members frozen at the iterate's, w − w̃ − γ(−(2/n)w/|w|²) = 0 with
    /// w̃ = w − F_w − (2γ/n)w/|w|² (F the stage residual x − x̃ − γẋ), along w̃ the quadratic r² − |w̃|r + 2γ/n = 0.
    /// Where it has no root apart (|w̃|² &lt; 8γ/n, backward Euler's fold: Newton then creeps the pair towards its
    /// core for up to its whole budget), the pair's two-body flow from the last solution <paramref name="lastX"/>
    /// (<see cref="TwoBodyFlow"/>: its own attraction and the rest of its ẋ <paramref name="lastV"/> frozen) over the
    /// step <paramref name="span"/> decides: captured within it, the Newton step moves the pair into its core (its
    /// members meet, their centre moving as Newton's step has it); else the pair is held for the rest of the stage
    /// at the flow's separation at the step's end (the solver places it there, <see cref="Hold"/>): every Newton
    /// step from here keeps its difference there (the centre as Newton's step has it), and the saddle test and the
    /// escapes leave it alone, so Newton minimises Φ over the rest. Across ranks a ghost member's x̃, ẋ, step and last
    /// solution come from its holder and its pair count from its holder's (<see cref="IStageHalo.Refresh{T}"/>),
    /// so every rank decides a pair as the serial run does; every rank calls it at the same point. Returns the
    /// pairs moved into their cores and those newly held, summed over ranks (each counted by the rank holding its
    /// member of the smaller id).
    /// </summary>
    public (int Escaped, int Held) FoldStep(
        double[][] step, double[][] target, double[][] velocity, double gamma, double span, double[][] lastX, double[][] lastV)
    {
        var regularization = _model.Regularization.Type;
        if (_model.Kernel != KernelType.Log || Components != 2 || regularization == RegularizationType.Poisson)
        {
            return (0, 0);
        }
        var local = _extension.Local;
        sbyte[] b = local.Signs;
        if (_foldMembers.Length < _n)
        {
            _foldMembers = new int[_partner.Length];
        }
        if (_nearestOpposite.Length < _n)
        {
            _nearestOpposite = new double[_partner.Length];
        }
        Array.Clear(_foldMembers, 0, _n);
        _foldPairs.Clear();
        for (int p = 0; p < _pairs.Count; p++)
        {
            if (!_flippedBlock[p])
            {
                continue;
            }
            int i = _pairs.First(p), j = _pairs.Second(p);
            if (b[i] != b[j])
            {
                _foldPairs.Add(p);
                _foldMembers[i]++;
                _foldMembers[j]++;
            }
        }
        if (Halo.Sum(_foldPairs.Count) == 0)
        {
            Hold(step);
            return (0, 0);
        }
        Array.Fill(_nearestOpposite, double.PositiveInfinity, 0, _n);
        for (int p = 0; p < _pairs.Count; p++)
        {
            int i = _pairs.First(p), j = _pairs.Second(p);
            if (b[i] != b[j])
            {
                double r2 = _w1[p] * _w1[p] + _w2[p] * _w2[p];
                _nearestOpposite[i] = Math.Min(_nearestOpposite[i], r2);
                _nearestOpposite[j] = Math.Min(_nearestOpposite[j], r2);
            }
        }
        Halo.Refresh(_foldMembers);
        Halo.Refresh(_nearestOpposite);
        double[][] x = local.Positions, t = [FoldRead(0, target[0]), FoldRead(1, target[1])];
        double[][] v = [FoldRead(2, velocity[0]), FoldRead(3, velocity[1])], s = [FoldLocal(4, step[0]), FoldLocal(5, step[1])];
        double[][] lx = [FoldRead(6, lastX[0]), FoldRead(7, lastX[1])], lv = [FoldRead(8, lastV[0]), FoldRead(9, lastV[1])];
        int[] held = _extension.HeldIndex;
        double n = Halo.Total, pull = 2 * gamma / n, d2 = _model.Delta * _model.Delta;
        bool far = regularization == RegularizationType.None || pull / (2 * d2) >= FarCore; // the fold radius √(2γ/n)
        // The flow's capture: |w|² at the core's reach (none: a hundredth of the fold radius).
        double capture = regularization == RegularizationType.None ? 1e-4 * pull : 2 * FarCore * d2;
        int escaped = 0, newlyHeld = 0;
        foreach (int p in _foldPairs)
        {
            int i = _pairs.First(p), j = _pairs.Second(p);
            double w1 = _w1[p], w2 = _w2[p], r2 = w1 * w1 + w2 * w2;
            if (_foldMembers[i] > 1 || _foldMembers[j] > 1 || !far || regularization != RegularizationType.None && r2 / (2 * d2) < FarCore || IsHeld(i, j))
            {
                continue;
            }
            if (Math.Min(_nearestOpposite[i], _nearestOpposite[j]) < r2)
            {
                continue; // a member nearer another opposite particle (a dipole): not two bodies, Newton's
            }
            // F_i − F_j, each x − x̃ on the nearest image (a ghost's position may be another image of its holder's).
            double f1 = Torus.Nearest(x[0][i] - t[0][i]) - gamma * v[0][i] - (Torus.Nearest(x[0][j] - t[0][j]) - gamma * v[0][j]);
            double f2 = Torus.Nearest(x[1][i] - t[1][i]) - gamma * v[1][i] - (Torus.Nearest(x[1][j] - t[1][j]) - gamma * v[1][j]);
            double e1 = w1 - f1 + pull * w1 / r2, e2 = w2 - f2 + pull * w2 / r2;
            if (e1 * e1 + e2 * e2 >= 4 * pull)
            {
                continue; // a root apart: Newton's
            }
            // From the last solution: the pair's own attraction −(2/n)w/|w|² and the rest of its relative ẋ, frozen.
            double l1 = Torus.Nearest(lx[0][i] - lx[0][j]), l2 = Torus.Nearest(lx[1][i] - lx[1][j]), own = 2 / n / (l1 * l1 + l2 * l2);
            double dv1 = lv[0][i] - lv[0][j] + own * l1, dv2 = lv[1][i] - lv[1][j] + own * l2;
            var (captured, h1, h2) = TwoBodyFlow.Run(l1, l2, dv1, dv2, 2 / n, capture, span);
            int counted = held[Id(i) < Id(j) ? i : j] >= 0 ? 1 : 0; // a pair across ranks counts once
            if (!captured)
            {
                HoldPair(i, j, Id(i) < Id(j) ? (h1, h2, dv1, dv2) : (-h1, -h2, -dv1, -dv2));
                newlyHeld += counted;
                continue;
            }
            double c1 = 0.5 * (s[0][i] + s[0][j]), c2 = 0.5 * (s[1][i] + s[1][j]);
            if (held[i] >= 0)
            {
                step[0][held[i]] = c1 - 0.5 * w1;
                step[1][held[i]] = c2 - 0.5 * w2;
            }
            if (held[j] >= 0)
            {
                step[0][held[j]] = c1 + 0.5 * w1;
                step[1][held[j]] = c2 + 0.5 * w2;
            }
            escaped += counted;
        }
        Hold(step);
        return ((int)Halo.Sum(escaped), (int)Halo.Sum(newlyHeld));
    }

    /// <summary>
    /// Sets the Newton step <paramref name="step"/> (held particles) of every held pair's members so that their
    /// separation reaches the one it is held at, their centre moving as the step has it. Every rank calls it at
    /// the same point.
    /// </summary>
    public void Hold(double[][] step)
    {
        if (Components != 2 || Halo.Sum(_holds.Count) == 0)
        {
            return;
        }
        var x = _extension.Local.Positions;
        int[] held = _extension.HeldIndex;
        double[] s1 = FoldLocal(4, step[0]), s2 = FoldLocal(5, step[1]);
        for (int p = 0; p < _pairs.Count; p++)
        {
            int i = _pairs.First(p), j = _pairs.Second(p);
            if (!TryGetHold(i, j, out var w))
            {
                continue;
            }
            if (Id(i) > Id(j))
            {
                w = (-w.W1, -w.W2, 0, 0);
            }
            // The change of x_i − x_j that reaches w, and the centre's step.
            double d1 = w.W1 - Torus.Nearest(x[0][i] - x[0][j]), d2 = w.W2 - Torus.Nearest(x[1][i] - x[1][j]);
            double c1 = 0.5 * (s1[i] + s1[j]), c2 = 0.5 * (s2[i] + s2[j]);
            if (held[i] >= 0)
            {
                step[0][held[i]] = c1 + 0.5 * d1;
                step[1][held[i]] = c2 + 0.5 * d2;
            }
            if (held[j] >= 0)
            {
                step[0][held[j]] = c1 - 0.5 * d1;
                step[1][held[j]] = c2 - 0.5 * d2;
            }
        }
    }

    /// <summary>
    /// The local error of each held pair's separation in <paramref name="estimate"/> (held particles, the step's error
    /// estimate at the solution, the matrix assembled there): the pair's centre keeps its estimate, its separation's
    /// is what freezing the background's relative ẋ over the step <paramref name="span"/> missed, by the trapezoid
    /// rule ½τ(Δv_end − Δv_start), with Δv_end from the solution's ẋ <paramref name="velocity"/> less the pair's own
    /// attraction (half of it at each member). Every rank calls it at the same point.
    /// </summary>
    public void HoldError(double[][] estimate, double[][] velocity, double span)
    {
        if (Components != 2 || Halo.Sum(_holds.Count) == 0)
        {
            return;
        }
        var x = _extension.Local.Positions;
        int[] held = _extension.HeldIndex;
        double[] e1 = FoldLocal(0, estimate[0]), e2 = FoldLocal(1, estimate[1]), v1 = FoldRead(2, velocity[0]), v2 = FoldRead(3, velocity[1]);
        double n = Halo.Total;
        for (int p = 0; p < _pairs.Count; p++)
        {
            int i = _pairs.First(p), j = _pairs.Second(p);
            if (!TryGetHold(i, j, out var h))
            {
                continue;
            }
            double sign = Id(i) < Id(j) ? 1 : -1;
            double w1 = Torus.Nearest(x[0][i] - x[0][j]), w2 = Torus.Nearest(x[1][i] - x[1][j]), own = 2 / n / (w1 * w1 + w2 * w2);
            double d1 = 0.25 * span * (v1[i] - v1[j] + own * w1 - sign * h.Dv1), d2 = 0.25 * span * (v2[i] - v2[j] + own * w2 - sign * h.Dv2);
            double c1 = 0.5 * (e1[i] + e1[j]), c2 = 0.5 * (e2[i] + e2[j]);
            if (held[i] >= 0)
            {
                estimate[0][held[i]] = c1 + d1;
                estimate[1][held[i]] = c2 + d2;
            }
            if (held[j] >= 0)
            {
                estimate[0][held[j]] = c1 - d1;
                estimate[1][held[j]] = c2 - d2;
            }
        }
    }
}
