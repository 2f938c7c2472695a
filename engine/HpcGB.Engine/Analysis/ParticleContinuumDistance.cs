using HpcGB.Engine.Analysis.Transport;
using HpcGB.Engine.Continuum;
using HpcGB.Engine.Model;

namespace HpcGB.Engine.Analysis;

/// <summary>
/// How far particles are from continuum densities on the continuum's grid (docs/distances.md): the H^{−1} norm
/// (<see cref="HMinusOneDistance"/>, particles of mass 1/n deposited by <see cref="ParticleDeposit"/>) of μ_n⁺ − ρ⁺,
/// of μ_n⁻ − ρ⁻ and of κ_n − κ (κ = ρ⁺ − ρ⁻), and in 1D the exact W₂ per sign on the circle against the
/// piecewise-constant densities, each normalised to a probability measure. The one computation behind
/// <c>hpcgb distance</c> against a continuum run and the experiments.
/// </summary>
/// <param name="Positive">‖μ_n⁺ − ρ⁺‖_{H^{−1}}.</param>
/// <param name="Negative">‖μ_n⁻ − ρ⁻‖_{H^{−1}}.</param>
/// <param name="Kappa">‖κ_n − κ‖_{H^{−1}}.</param>
/// <param name="W2">1D: W₂ per sign (null for a sign without particles); null in 2D.</param>
public sealed record ParticleContinuumDistance(double Positive, double Negative, double Kappa, SignedW2? W2)
{
    /// <summary>Σ_± ‖μ_n^± − ρ^±‖_{H^{−1}}, the distance of the experiments.</summary>
    public double Sum => Positive + Negative;

    /// <summary>1D: W₂(μ_n⁺, ρ⁺) + W₂(μ_n⁻, ρ⁻) (a sign without particles counts 0); NaN in 2D.</summary>
    public double W2Sum => W2 is null ? double.NaN : (W2.Positive?.Value ?? 0) + (W2.Negative?.Value ?? 0);

    /// <param name="positive">ρ⁺ as cell averages on <paramref name="grid"/> (x1 slowest).</param>
    /// <param name="negative">ρ⁻ likewise.</param>
    public static ParticleContinuumDistance Measure(
        ContinuumGrid grid, ParticleState particles, ReadOnlySpan<double> positive, ReadOnlySpan<double> negative)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(particles);
        if (positive.Length != grid.CellCount || negative.Length != grid.CellCount)
        {
            throw new ArgumentException($"densities of {positive.Length} and {negative.Length} cells on a grid of {grid.CellCount}");
        }
        double[] plus = ParticleDeposit.CloudInCell(grid, particles, +1);
        double[] minus = ParticleDeposit.CloudInCell(grid, particles, -1);
        var kappaDifference = new double[grid.CellCount];
        for (int c = 0; c < kappaDifference.Length; c++)
        {
            kappaDifference[c] = (plus[c] - minus[c]) - (positive[c] - negative[c]);
        }
        SignedW2? w2 = grid.Dimension == 1
            ? TorusW2.PerSign(particles, new PiecewiseConstantDensity(positive), new PiecewiseConstantDensity(negative))
            : null;
        return new ParticleContinuumDistance(
            HMinusOneDistance.Between(grid, plus, positive),
            HMinusOneDistance.Between(grid, minus, negative),
            HMinusOneDistance.Norm(grid, kappaDifference),
            w2);
    }
}
