using HpcGB.Engine.Spec;

namespace HpcGB.Host.Experiments;

/// <summary>
/// 1D initial particles at the midpoint quantiles of piecewise-constant densities, per sign:
/// x_i = F_±^{−1}((i + ½)/n_±), with n_± in the ratio of the two masses. This is the quantisation of the paper's
/// Lemma 2.4 at its finest rate — every quantisation cell holds exactly one particle's mass — so the particles' Fourier
/// modes at the scales a kernel regularised at δ resolves match ρ₀'s to quadrature accuracy, and what the evolution
/// adds to the distance is not hidden under the initial error.
/// </summary>
internal static class QuantileParticles
{
    /// <param name="positive">ρ₀⁺ as cell averages of equal cells on [0, 1).</param>
    /// <param name="negative">ρ₀⁻ likewise.</param>
    public static ExplicitParticles Of(int n, double[] positive, double[] negative)
    {
        double plusMass = positive.Sum(), minusMass = negative.Sum();
        int plus = (int)Math.Round(n * plusMass / (plusMass + minusMass));
        var positions = new List<double[]>(n);
        var signs = new List<sbyte>(n);
        foreach (var (density, count, sign) in new[] { (positive, plus, (sbyte)1), (negative, n - plus, (sbyte)-1) })
        {
            double total = density.Sum();
            int cell = 0;
            double below = 0; // mass of the cells before `cell`
            for (int i = 0; i < count; i++)
            {
                double target = (i + 0.5) / count * total;
                while (cell < density.Length - 1 && below + density[cell] < target)
                {
                    below += density[cell];
                    cell++;
                }
                positions.Add([(cell + (target - below) / density[cell]) / density.Length]);
                signs.Add(sign);
            }
        }
        return new ExplicitParticles(positions.ToArray(), signs.ToArray());
    }
}
