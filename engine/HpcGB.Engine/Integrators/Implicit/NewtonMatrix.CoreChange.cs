namespace HpcGB.Engine.Integrators.Implicit;

internal sealed partial class NewtonMatrix
{
    /// <summary>
    /// Pairs moved by more than this fraction of their separation get their core's exact change in
    /// <see cref="CoreCorrection"/>; along the others the trapezoid rule's error is O(q²) of their small share (on the
    /// free log gas to T = 0.01 the corrected rule's error was at most 4·10⁻³ of |α∇Φ·s| at 0.1, 2·10⁻³ with every pair).
    /// </summary>
    private const double CoreReach = 0.1;

    private double[] _coreStep1 = [], _coreStep2 = [];

    /// <summary>Whether <see cref="CoreCorrection"/> is known: the pair Hessian has a free-space core (every 2D kernel; either mobility).</summary>
    public bool KnowsCoreEnergy => _hessian.Core is not null;

    /// <summary>
    /// What the trapezoid rule ½α(∇Φ(x)·s + ∇Φ(x + αs)·s) misses of Φ's change along a move by α<paramref name="step"/>
    /// (moving axes, held particles; under glide x1 alone) from the last assembly's positions, in the pairs' cores:
    /// Σ γb_ib_j/n [c(w + αΔs) − c(w) − ½α(∇c(w) + ∇c(w + αΔs))·Δs] over the pairs moved by more than
    /// <see cref="CoreReach"/> of their separation w (Δs = s_i − s_j, c the free-space core: a tight dipole's core
    /// varies on δ, which a Newton step of the free gas crosses). The rest of Φ is smooth on the scale of the move, so
    /// the corrected rule is Φ's change without E_n. A pair with a ghost counts half on each of its two ranks; the
    /// same on every rank. Needs <see cref="KnowsCoreEnergy"/>.
    /// </summary>
    public double CoreCorrection(double[][] step, double alpha)
    {
        var core = _hessian.Core!;
        double[] s1 = step[0];
        double[]? s2 = Components == 2 ? step[1] : null;
        if (Halo.Distributed)
        {
            if (_coreStep1.Length < _n)
            {
                _coreStep1 = new double[_n];
                _coreStep2 = new double[_n];
            }
            ToLocal(s1, _coreStep1);
            s1 = _coreStep1;
            if (s2 is not null)
            {
                ToLocal(s2, _coreStep2);
                s2 = _coreStep2;
            }
        }
        var b = _extension.Local.Signs;
        double reach = CoreReach * CoreReach, sum = 0;
        for (int p = 0; p < _pairs.Count; p++)
        {
            int i = _pairs.First(p), j = _pairs.Second(p);
            double w1 = _w1[p], w2 = _w2[p], r2 = w1 * w1 + w2 * w2;
            double e1 = alpha * (s1[i] - s1[j]), e2 = s2 is null ? 0 : alpha * (s2[i] - s2[j]);
            if (e1 * e1 + e2 * e2 <= reach * r2)
            {
                continue;
            }
            double z1 = w1 + e1, z2 = w2 + e2;
            double before = core.Energy(w1, w2), after = core.Energy(z1, z2);
            core.Gradient(w1, w2, out double g1, out double g2);
            core.Gradient(z1, z2, out double h1, out double h2);
            double share = Held(i) && Held(j) ? 1.0 : 0.5;
            sum += share * b[i] * b[j] * (after - before - 0.5 * ((g1 + h1) * e1 + (g2 + h2) * e2));
        }
        return _scale * Halo.Sum(sum);
    }
}
