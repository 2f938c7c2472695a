using HpcGB.Engine.Cases;
using HpcGB.Engine.Kernels;
using HpcGB.Engine.Model;

namespace HpcGB.Engine.Integrators.Implicit;

/// <summary>
/// Multirate treatment of opposite-sign pairs on their way to a capture (issue 18, docs/implicit.md "Captures in
/// the free log gas"). Under the log kernel two opposite particles at r ≫ δ approach as r·ṙ = −2/n, faster and
/// faster until they fall into their core; a free gas at tiny δ always has such a capture under way, and the global
/// step resolved each one (Newton failures where a step carried a pair past its capture, error-test failures where
/// it captured one early). Here a mutually nearest opposite pair with no third particle within
/// <see cref="Isolation"/> separations, closing in, whose capture is near (|w|²/(−d|w|²/dt) within
/// <see cref="StepsToCapture"/> steps) follows its own ODE within the global step,
/// ẇ = −(2/n)b_ib_j∇V_δ(w) + Δv with the background's relative velocity Δv (the external field's drive, which does
/// not vanish with |w|, and the rest of the gas) frozen at the step's start, sub-stepped (RK4, a twentieth of the
/// time left to the capture or of |w|/|Δv|):
/// <list type="bullet">
/// <item>still apart at the step's end: the pair is <em>held</em> — the stage solve keeps its separation at the
/// two-body value w(τ) (a penalty on its separation in the Newton matrix, <see cref="NewtonMatrix.HeldPairs"/>, and
/// no residual along it) and solves for its centre and everything else;</item>
/// <item>captured within the step (closer than <see cref="FarFromCore"/> core lengths): it starts Newton in its core
/// (w = 0) and is solved freely there, where it is stiff and stable.</item>
/// </list>
/// For both the error estimate keeps the centre's part; the separation's is the sub-stepped ODE's.
/// Only the isotropic 2D log kernel with a regularised core far below the spacing (<see cref="Applies"/>), serially:
/// a distributed run resolves every capture with the global step as before.
/// </summary>
internal sealed class ApproachingPairs
{
    /// <summary>
    /// The rest of the gas may move the pair's members relative to each other by at most this fraction of their own
    /// attraction (the external field's drive, smooth on the scale of the torus, may be larger): the frozen
    /// background then decides no capture that the gas around the pair would undo.
    /// </summary>
    public const double Dominance = 0.25;

    /// <summary>Every other particle is at least this many separations away from either member: the background's
    /// relative velocity then changes little as the pair closes in.</summary>
    public const double Isolation = 2;

    /// <summary>A pair is treated when its capture time n r²/4 is within this many steps.</summary>
    public const double StepsToCapture = 8;

    /// <summary>Separations, in core lengths, from which on the motion is the free log kernel's (closer: captured).</summary>
    public const double FarFromCore = 10;

    /// <summary>Sub-steps per time left to the capture.</summary>
    private const double SubSteps = 20;

    private const int MaxSubSteps = 100_000;

    private readonly FreeSpaceCore _core;
    private readonly ExternalPotential _external;
    private readonly double _near; // FarFromCore core lengths
    private readonly int _n;
    private readonly List<Candidate> _candidates = [];
    private readonly int[] _nearest;
    private readonly double[] _nearestSize;
    private readonly double[] _secondSize;
    private readonly List<(int First, int Second, double W1, double W2)> _placed = [];

    public ApproachingPairs(SystemModel model, int count)
    {
        _core = KernelCases.For(model).NewtonCore!(model.Delta);
        _external = model.External;
        _near = FarFromCore * KernelCases.For(model).CoreLength(model.Delta);
        _n = count;
        _nearest = new int[count];
        _nearestSize = new double[count];
        _secondSize = new double[count];
        HeldPartner = new int[count];
        Array.Fill(HeldPartner, -1);
    }

    /// <summary>
    /// Whether the treatment applies: the isotropic 2D log kernel with a regularised core whose reach
    /// (<see cref="FarFromCore"/> core lengths) is at most <see cref="CoreToSpacing"/> of the mean spacing 1/√n, so
    /// that a capture is a fast two-body event inside the slow gas (at δ = 10⁻⁶, n = 10⁴: 10⁻⁵ against 10⁻²); with
    /// a core near the spacing (δ = 10⁻³ among 1200 particles) there is no two-body approach to follow.
    /// </summary>
    public static bool Applies(SystemModel model, int count) =>
        model.Dimension == 2 && model.Kernel == KernelType.Log && model.Mobility == MobilityType.Isotropic
        && KernelCases.For(model).IsRegularised && KernelCases.For(model).NewtonCore is not null
        && FarFromCore * KernelCases.For(model).CoreLength(model.Delta) <= CoreToSpacing / Math.Sqrt(count);

    /// <summary>The largest reach of the core, relative to the mean spacing, at which the treatment applies.</summary>
    public const double CoreToSpacing = 0.01;

    /// <summary>The partner of each particle whose pair is held in the attempt being solved, −1 elsewhere.</summary>
    public int[] HeldPartner { get; }

    /// <summary>Pairs held or captured in the attempt being solved.</summary>
    public int Placed => _placed.Count;

    /// <summary>Pairs held in the attempt being solved.</summary>
    public int Held { get; private set; }

    /// <summary>
    /// The candidates at an accepted point <paramref name="x"/> with velocity <paramref name="v"/>: mutually nearest
    /// opposite pairs of <paramref name="pairs"/> (the Newton matrix's pairs there), at least
    /// <see cref="FarFromCore"/> core lengths apart, whose relative velocity is dominated by their own attraction.
    /// </summary>
    public void Find(ParticleState x, double[][] v, NeighbourPairs pairs)
    {
        _candidates.Clear();
        Array.Fill(_nearest, -1);
        Array.Fill(_nearestSize, double.PositiveInfinity);
        Array.Fill(_secondSize, double.PositiveInfinity);
        double[] x1 = x.Positions[0], x2 = x.Positions[1];
        for (int p = 0; p < pairs.Count; p++)
        {
            int i = pairs.First(p), j = pairs.Second(p);
            double w1 = Torus.Nearest(x1[i] - x1[j]), w2 = Torus.Nearest(x2[i] - x2[j]);
            double size = w1 * w1 + w2 * w2;
            Closer(i, j, size);
            Closer(j, i, size);
        }
        sbyte[] b = x.Signs;
        for (int i = 0; i < _n; i++)
        {
            int j = _nearest[i];
            double size = _nearestSize[i], apart = Isolation * Isolation * size;
            if (j <= i || _nearest[j] != i || b[i] == b[j] || size < _near * _near
                || _secondSize[i] < apart || _secondSize[j] < apart)
            {
                continue;
            }
            double w1 = Torus.Nearest(x1[i] - x1[j]), w2 = Torus.Nearest(x2[i] - x2[j]);
            Own(w1, w2, b[i] * b[j], out double o1, out double o2);
            double d1 = v[0][i] - v[0][j] - o1, d2 = v[1][i] - v[1][j] - o2;
            double closing = -2 * (w1 * (o1 + d1) + w2 * (o2 + d2)); // −d|w|²/dt
            Drive(x, i, j, out double e1, out double e2);
            double g1 = d1 - e1, g2 = d2 - e2;
            if (closing > 0 && g1 * g1 + g2 * g2 <= Dominance * Dominance * (o1 * o1 + o2 * o2))
            {
                _candidates.Add(new Candidate(i, j, b[i] * b[j], w1, w2, d1, d2, size / closing));
            }
        }
    }

    /// <summary>The external field's part of ẋ_i − ẋ_j, −b_i∇U(x_i) + b_j∇U(x_j).</summary>
    private void Drive(ParticleState x, int i, int j, out double e1, out double e2)
    {
        Span<double> point = stackalloc double[2], gi = stackalloc double[2], gj = stackalloc double[2];
        point[0] = x.Positions[0][i];
        point[1] = x.Positions[1][i];
        _external.AddGradient(point, gi);
        point[0] = x.Positions[0][j];
        point[1] = x.Positions[1][j];
        _external.AddGradient(point, gj);
        e1 = -x.Signs[i] * gi[0] + x.Signs[j] * gj[0];
        e2 = -x.Signs[i] * gi[1] + x.Signs[j] * gj[1];
    }

    private void Closer(int i, int j, double size)
    {
        if (size < _nearestSize[i])
        {
            _secondSize[i] = _nearestSize[i];
            _nearestSize[i] = size;
            _nearest[i] = j;
        }
        else if (size < _secondSize[i])
        {
            _secondSize[i] = size;
        }
    }

    /// <summary>Forgets the candidates (a new history).</summary>
    public void Clear()
    {
        _candidates.Clear();
        Release();
    }

    /// <summary>
    /// Decides, for an attempt of <paramref name="tau"/>, which candidates are held (and at which separation) and
    /// which are captured within the step; the rest are left to the global step.
    /// </summary>
    public void Plan(double tau)
    {
        Release();
        foreach (var c in _candidates)
        {
            if (c.Capture > StepsToCapture * tau)
            {
                continue;
            }
            var fate = Advance(c, tau, out double w1, out double w2);
            if (fate == Fate.Left)
            {
                continue;
            }
            if (fate == Fate.Held)
            {
                HeldPartner[c.First] = c.Second;
                HeldPartner[c.Second] = c.First;
                Held++;
            }
            _placed.Add((c.First, c.Second, w1, w2));
        }
    }

    private void Release()
    {
        foreach (var (i, j, _, _) in _placed)
        {
            HeldPartner[i] = -1;
            HeldPartner[j] = -1;
        }
        _placed.Clear();
        Held = 0;
    }

    /// <summary>
    /// Puts every held pair at its two-body separation and every captured one into its core (w = 0), each about
    /// its centre in <paramref name="x"/> (moving axes).
    /// </summary>
    public void Place(double[][] x)
    {
        foreach (var (i, j, w1, w2) in _placed)
        {
            PlaceOne(x[0], i, j, w1);
            PlaceOne(x[1], i, j, w2);
        }
    }

    /// <summary>Moves i and j apart by half the change of their separation each (positions may be unwrapped: each
    /// keeps its own image).</summary>
    private static void PlaceOne(double[] x, int i, int j, double w)
    {
        double change = 0.5 * (w - Torus.Nearest(x[i] - x[j]));
        x[i] += change;
        x[j] -= change;
    }

    /// <summary>The Newton residual without its components along the held pairs' separations (the constraint).</summary>
    public void Project(double[][] residual) => Merge(residual, heldOnly: true);

    /// <summary>Keeps only the error estimate of the placed pairs' centres: their separations follow the two-body ODE.</summary>
    public void MergeErrors(double[][] estimate) => Merge(estimate, heldOnly: false);

    /// <summary>
    /// Adds the held pairs' separation error to <paramref name="estimate"/>: their ODE froze the background's
    /// relative velocity Δv at the step's start; the trapezoidal rule with its value at the solution
    /// (<paramref name="x"/>, velocity <paramref name="v"/>) differs from that by ½τ(Δv_end − Δv_start).
    /// </summary>
    public void AddBackgroundError(double[][] estimate, ParticleState x, double[][] v, double tau)
    {
        foreach (var c in _candidates)
        {
            int i = c.First, j = c.Second;
            if (HeldPartner[i] != j)
            {
                continue;
            }
            double w1 = Torus.Nearest(x.Positions[0][i] - x.Positions[0][j]), w2 = Torus.Nearest(x.Positions[1][i] - x.Positions[1][j]);
            Own(w1, w2, c.Signs, out double o1, out double o2);
            double e1 = 0.25 * tau * (v[0][i] - v[0][j] - o1 - c.Background1);
            double e2 = 0.25 * tau * (v[1][i] - v[1][j] - o2 - c.Background2);
            estimate[0][i] += e1;
            estimate[0][j] -= e1;
            estimate[1][i] += e2;
            estimate[1][j] -= e2;
        }
    }

    /// <summary>Replaces a pair's two values by their mean on every axis: no component along its separation.</summary>
    private void Merge(double[][] v, bool heldOnly)
    {
        foreach (var (i, j, _, _) in _placed)
        {
            if (heldOnly && HeldPartner[i] != j)
            {
                continue;
            }
            foreach (double[] f in v)
            {
                double mean = 0.5 * (f[i] + f[j]);
                f[i] = mean;
                f[j] = mean;
            }
        }
    }

    /// <summary>
    /// Sub-steps the pair's ODE over τ: held at the separation reached, or captured (w = 0) once it is within
    /// <see cref="FarFromCore"/> core lengths, or left to the global step when the sub-steps run out.
    /// </summary>
    private Fate Advance(Candidate c, double tau, out double w1, out double w2)
    {
        w1 = c.W1;
        w2 = c.W2;
        double t = 0, near = _near * _near;
        double background = c.Background1 * c.Background1 + c.Background2 * c.Background2 + double.Epsilon;
        for (int k = 0; k < MaxSubSteps && t < tau; k++)
        {
            double size = w1 * w1 + w2 * w2;
            if (size < near)
            {
                w1 = w2 = 0;
                return Fate.Captured;
            }
            double h = Math.Min(tau - t, Math.Min(_n * size / 4, Math.Sqrt(size / background)) / SubSteps);
            Rate(c, w1, w2, out double a1, out double a2);
            Rate(c, w1 + 0.5 * h * a1, w2 + 0.5 * h * a2, out double b1, out double b2);
            Rate(c, w1 + 0.5 * h * b1, w2 + 0.5 * h * b2, out double c1, out double c2);
            Rate(c, w1 + h * c1, w2 + h * c2, out double d1, out double d2);
            w1 += h / 6 * (a1 + 2 * b1 + 2 * c1 + d1);
            w2 += h / 6 * (a2 + 2 * b2 + 2 * c2 + d2);
            t += h;
        }
        if (t < tau)
        {
            return Fate.Left;
        }
        if (w1 * w1 + w2 * w2 < near)
        {
            w1 = w2 = 0;
            return Fate.Captured;
        }
        return Fate.Held;
    }

    private void Rate(Candidate c, double w1, double w2, out double r1, out double r2)
    {
        Own(w1, w2, c.Signs, out r1, out r2);
        r1 += c.Background1;
        r2 += c.Background2;
    }

    /// <summary>The pair's own relative velocity ẇ = −(2/n)b_ib_j∇V_δ(w) (free-space core).</summary>
    private void Own(double w1, double w2, int signs, out double r1, out double r2)
    {
        _core.Gradient(w1, w2, out double g1, out double g2);
        double s = -2.0 * signs / _n;
        r1 = s * g1;
        r2 = s * g2;
    }

    private enum Fate
    {
        Held,
        Captured,
        Left,
    }

    private readonly record struct Candidate(
        int First, int Second, int Signs, double W1, double W2, double Background1, double Background2, double Capture);
}
