using HpcGB.Engine.Model;

namespace HpcGB.Engine.Analysis;

/// <summary>
/// How far the dipoles of a state moved by a later state of the same particles (docs/model.md §4: for short dipoles
/// ‖z(t) − z(0)‖_∞ ≤ C n² δ). Only dipoles paired in both states (the same + and − particles) count: a dipole that
/// broke up has no centre to follow.
/// </summary>
/// <param name="Pairs">Dipoles in the first state.</param>
/// <param name="Persisting">Of those, still paired (to the same partner) in the second state.</param>
/// <param name="MaxDrift">max over persisting dipoles of |z_after − z_before|_T (0 when none).</param>
/// <param name="MeanDrift">Mean of |z_after − z_before|_T over persisting dipoles (0 when none).</param>
public sealed record DipoleDrift(int Pairs, int Persisting, double MaxDrift, double MeanDrift)
{
    /// <summary>Centre drift of the dipoles of <paramref name="before"/> (bound distance <paramref name="distance"/>) in <paramref name="after"/>.</summary>
    /// <exception cref="ArgumentException">The states do not hold the same particles (count, dimension, signs).</exception>
    public static DipoleDrift Measure(ParticleState before, ParticleState after, double distance) =>
        Measure(before, distance, after, distance);

    /// <summary>
    /// Centre drift when each state has its own bound distance (two runs with different δ): the dipoles of
    /// <paramref name="before"/> at <paramref name="beforeDistance"/>, followed in <paramref name="after"/>'s dipoles
    /// at <paramref name="afterDistance"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The states do not hold the same particles (count, dimension, signs).</exception>
    public static DipoleDrift Measure(ParticleState before, double beforeDistance, ParticleState after, double afterDistance)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        if (before.Dimension != after.Dimension || before.Count != after.Count || !before.Signs.AsSpan().SequenceEqual(after.Signs))
        {
            throw new ArgumentException("the drift needs two states of the same particles (same dimension, count and signs)", nameof(after));
        }
        var first = DipolePairer.Pair(before, beforeDistance);
        var partnerAfter = DipolePairer.Pair(after, afterDistance).ToDictionary(p => p.Positive, p => p.Negative);
        int persisting = 0;
        double max = 0, sum = 0;
        foreach (var pair in first)
        {
            if (!partnerAfter.TryGetValue(pair.Positive, out int negative) || negative != pair.Negative)
            {
                continue;
            }
            double[] z0 = pair.Centre(before), z1 = pair.Centre(after);
            double drift2 = 0;
            for (int a = 0; a < z0.Length; a++)
            {
                double r = Torus.Nearest(z1[a] - z0[a]);
                drift2 += r * r;
            }
            double drift = Math.Sqrt(drift2);
            persisting++;
            max = Math.Max(max, drift);
            sum += drift;
        }
        return new DipoleDrift(first.Length, persisting, max, persisting == 0 ? 0 : sum / persisting);
    }
}
