using HpcGB.Engine.Model;

namespace HpcGB.Engine.Integrators.Implicit;

/// <summary>The two-body fold of an opposite pair's stage: the pairs whose stage has no solution with them apart.</summary>
internal sealed partial class NewtonMatrix
{
    /// <summary>Beyond t = r²/2δ² = 746 the gaussian core's e^{−t} is 0 in double: the pair attracts as −ln r exactly.</summary>
    private const double FarCore = 746;

    /// <summary>
    /// The flow-capture horizon, in γ, of a pair past its fold (alone, closing at d|w|²/dt = −4/n, a pair has no
    /// backward-Euler stage solution apart, |w̃|² &lt; 8γ/n, exactly when the flow captures it within 2γ): 3γ, two
    /// constant BDF2 steps (γ = 2τ/3). Measured on the free log gas (docs/implicit.md, "Pair-local solves in
    /// Newton"): 2γ failed so many attempts that the first tenth took as many evaluations as before, 4γ captured
    /// too early (more particles 10⁻³ off).
    /// </summary>
    private const double FoldHorizon = 3;

    private readonly List<int> _foldPairs = [];
    private int[] _foldMembers = [];
    private double[][] _foldLocal = [.. Enumerable.Range(0, 10).Select(_ => Array.Empty<double>())]; // FoldStep's vectors on the local particles

    /// <summary>A held vector on the held particles and ghosts, into the fold step's buffer <paramref name="k"/>.</summary>
    private double[] FoldLocal(int k, double[] held)
    {
        ToLocal(held, _foldLocal[k]);
        return _foldLocal[k];
    }

    /// <summary>
    /// The pair-local stage of every opposite pair of the log kernel whose curvature along its separation w the
    /// matrix flipped (<see cref="Modify"/>) and whose members are in no other such pair, beyond the core's reach:
    /// with the rest of ẋ at the members frozen at the iterate's, w − w̃ − γ(−(2/n)w/|w|²) = 0 with
    /// w̃ = w − F_w − (2γ/n)w/|w|² (F the stage residual x − x̃ − γẋ), along w̃ the quadratic r² − |w̃|r + 2γ/n = 0.
    /// Where it has no root apart (|w̃|² &lt; 8γ/n, backward Euler's fold: Newton then creeps the pair towards its
    /// core for up to its whole budget), the pair's two-body capture time from the last solution
    /// <paramref name="lastX"/> with ẋ <paramref name="lastV"/>, |w|²/(−d|w|²/dt), decides: within
    /// <see cref="FoldHorizon"/>·γ the step moves the pair into its core (its members meet, their centre moving as
    /// Newton's step has it), else the stage is past the fold of a pair the flow captures later, and the attempt
    /// fails (the smallest pair of ids over ranks is returned; −1, −1 when none). Across ranks a ghost member's
    /// x̃, ẋ, step and last solution come from its holder and its pair count from its holder's
    /// (<see cref="IStageHalo.Refresh{T}"/>), so every rank decides a pair as the serial run does; every rank calls
    /// it at the same point. Returns the pairs moved into their cores, summed over ranks (each counted by the rank
    /// holding its member of the smaller id).
    /// </summary>
    public (int Escaped, int First, int Second) FoldStep(
        double[][] step, double[][] target, double[][] velocity, double gamma, double[][] lastX, double[][] lastV)
    {
        var regularization = _model.Regularization.Type;
        if (_model.Kernel != KernelType.Log || Components != 2 || regularization == RegularizationType.Poisson)
        {
            return (0, -1, -1);
        }
        var local = _extension.Local;
        sbyte[] b = local.Signs;
        if (_foldMembers.Length < _n)
        {
            _foldMembers = new int[_partner.Length];
        }
        Array.Clear(_foldMembers, 0, _n);
        _foldPairs.Clear();
        for (int p = 0; p < _pairs.Count; p++)
        {
            int i = _pairs.First(p), j = _pairs.Second(p);
            if (b[i] != b[j] && Least(_pairBlock[p]) > Least(_rawBlock[p]))
            {
                _foldPairs.Add(p);
                _foldMembers[i]++;
                _foldMembers[j]++;
            }
        }
        if (Halo.Sum(_foldPairs.Count) == 0)
        {
            return (0, -1, -1);
        }
        Halo.Refresh(_foldMembers);
        if (_foldLocal[0].Length < _n)
        {
            _foldLocal = [.. Enumerable.Range(0, _foldLocal.Length).Select(_ => new double[_partner.Length])];
        }
        double[][] x = local.Positions, t = [FoldLocal(0, target[0]), FoldLocal(1, target[1])];
        double[][] v = [FoldLocal(2, velocity[0]), FoldLocal(3, velocity[1])], s = [FoldLocal(4, step[0]), FoldLocal(5, step[1])];
        double[][] lx = [FoldLocal(6, lastX[0]), FoldLocal(7, lastX[1])], lv = [FoldLocal(8, lastV[0]), FoldLocal(9, lastV[1])];
        int[] held = _extension.HeldIndex;
        double n = Halo.Total, pull = 2 * gamma / n, d2 = _model.Delta * _model.Delta;
        bool far = regularization == RegularizationType.None || pull / (2 * d2) >= FarCore; // the fold radius √(2γ/n)
        int escaped = 0;
        double fold = double.NegativeInfinity; // −(key of the smallest pair past its fold)
        foreach (int p in _foldPairs)
        {
            int i = _pairs.First(p), j = _pairs.Second(p);
            double w1 = _w1[p], w2 = _w2[p], r2 = w1 * w1 + w2 * w2;
            if (_foldMembers[i] > 1 || _foldMembers[j] > 1 || !far || regularization != RegularizationType.None && r2 / (2 * d2) < FarCore)
            {
                continue;
            }
            // F_i − F_j, each x − x̃ on the nearest image (a ghost's position may be another image of its holder's).
            double f1 = Torus.Nearest(x[0][i] - t[0][i]) - gamma * v[0][i] - (Torus.Nearest(x[0][j] - t[0][j]) - gamma * v[0][j]);
            double f2 = Torus.Nearest(x[1][i] - t[1][i]) - gamma * v[1][i] - (Torus.Nearest(x[1][j] - t[1][j]) - gamma * v[1][j]);
            double e1 = w1 - f1 + pull * w1 / r2, e2 = w2 - f2 + pull * w2 / r2;
            if (e1 * e1 + e2 * e2 >= 4 * pull)
            {
                continue; // a root apart: Newton's
            }
            double l1 = Torus.Nearest(lx[0][i] - lx[0][j]), l2 = Torus.Nearest(lx[1][i] - lx[1][j]);
            double closing = -2 * (l1 * (lv[0][i] - lv[0][j]) + l2 * (lv[1][i] - lv[1][j]));
            if (!(closing > 0 && l1 * l1 + l2 * l2 <= closing * FoldHorizon * gamma))
            {
                int first = Math.Min(Id(i), Id(j)), second = Math.Max(Id(i), Id(j));
                fold = Math.Max(fold, -((double)first * n + second));
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
            escaped += held[Id(i) < Id(j) ? i : j] >= 0 ? 1 : 0; // a pair across ranks counts once
        }
        fold = Halo.Max(fold);
        if (fold > double.NegativeInfinity)
        {
            long key = (long)-fold;
            return (0, (int)(key / Halo.Total), (int)(key % Halo.Total));
        }
        return ((int)Halo.Sum(escaped), -1, -1);
    }
}
