using HpcGB.Engine.Continuum;
using HpcGB.Engine.Spec;

namespace HpcGB.Host.Experiments;

/// <summary>
/// The dipole set-up of the non-convergence and threshold experiments (PAPER.md §4): ρ₀⁺ = ρ₀⁻ = ρ₀/2, particles as
/// n/2 dipoles with centres distributed by ρ₀ (the PDE's initial cells) and members ±h apart, |h| = min(δ_n/2,
/// 0.1/n) (always ≲ δ_n and well inside the centre spacing), integrated implicitly (the dipoles relax on time
/// scales ~ nδ², far below any explicit step).
/// </summary>
internal static class DipoleRuns
{
    public static TimeSpec Time(int outputs = 6) => new(0.5, IntegratorType.Implicit, 1e-6, 1e-9, outputs, 1e-3);

    public static ComparisonRow Run(
        string caseName, double parameter, int dimension, int cells, int n, double delta, CancellationToken ct)
    {
        var grid = ExperimentSystems.Grid(dimension, cells);
        var density = ExperimentSystems.DipoleDensity(dimension);
        var (positive, negative) = ContinuumSetup.InitialDensities(grid, density, density);
        var model = ExperimentSystems.Model(dimension, Engine.Model.KernelType.Log, Engine.Model.MobilityType.Isotropic, delta);
        double h = Math.Min(delta / 2, 0.1 / n);
        double[] halfWidth = dimension == 1 ? [h] : [h, 0.0];
        var particles = new DipoleParticles(n / 2, halfWidth, RandomOrientation: dimension == 2, new DensityGrid(grid.Shape, positive));
        return ParticleContinuumComparison.Run(caseName, parameter, model, grid, positive, negative, particles, Time(), dipoles: true, ct);
    }
}
