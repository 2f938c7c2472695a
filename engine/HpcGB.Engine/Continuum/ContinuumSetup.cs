using HpcGB.Engine.Spec;

namespace HpcGB.Engine.Continuum;

/// <summary>
/// Builds the solver of a <see cref="ContinuumSpec"/>. The two densities are scaled together so that
/// ∫ρ⁺ + ∫ρ⁻ = 1, the total mass of n particles of mass 1/n: the same spec grids then describe the same physics
/// for <c>init: density</c> particles and for the continuum (only their ratio is free, as in the quantisation).
/// </summary>
public static class ContinuumSetup
{
    public static GromaBaloghSolver CreateSolver(ContinuumSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var grid = new ContinuumGrid(spec.Grid);
        var (positive, negative) = InitialDensities(grid, spec.Positive, spec.Negative);
        return new GromaBaloghSolver(grid, spec.System, positive, negative, spec.Cfl);
    }

    /// <summary>The cell averages of both densities, scaled together to ∫ρ⁺ + ∫ρ⁻ = 1.</summary>
    public static (double[] Positive, double[] Negative) InitialDensities(
        ContinuumGrid grid, ContinuumDensity positiveDensity, ContinuumDensity negativeDensity)
    {
        ArgumentNullException.ThrowIfNull(grid);
        double[] positive = InitialDensity.CellAverages(grid, positiveDensity, "$.densities.positive");
        double[] negative = InitialDensity.CellAverages(grid, negativeDensity, "$.densities.negative");
        double scale = 1.0 / (grid.Integrate(positive) + grid.Integrate(negative));
        for (int c = 0; c < positive.Length; c++)
        {
            positive[c] *= scale;
            negative[c] *= scale;
        }
        return (positive, negative);
    }

    /// <summary>The output times End·i/(Outputs−1).</summary>
    public static double[] OutputTimes(ContinuumSpec spec) =>
        Enumerable.Range(0, spec.Outputs).Select(spec.OutputTime).ToArray();
}
