using HpcGB.Engine.Continuum;
using HpcGB.Engine.Model;
using HpcGB.Engine.Spec;

namespace HpcGB.Host.Experiments;

/// <summary>
/// The dipole set-up of the non-convergence and threshold experiments (docs/model.md §4): ρ₀⁺ = ρ₀⁻ = ρ₀/2, particles as
/// n/2 dipoles with centres distributed by ρ₀ (the PDE's initial cells) and members ±h apart, |h| = min(δ_n/2,
/// 0.1/n) (always ≲ δ_n and well inside the centre spacing), integrated with <c>time.integrator: auto</c>: implicit
/// where the dipoles are stiff (they relax on time scales ~ nδ², far below any explicit step), DP45 for slow δ_n.
/// </summary>
internal static class DipoleRuns
{
    public static TimeSpec Time(int outputs = 6) => new(0.5, IntegratorType.Auto, 1e-6, 1e-9, outputs, 1e-3);

    /// <summary>One dipole run of the 2D log kernel (isotropic) or, with <paramref name="edgeGlide"/>, of edge
    /// dislocations with glide: regularisation none and the two members on different slip planes (h = (h, h)),
    /// Theorem 4.6.</summary>
    public static ComparisonRow Run(
        string caseName, double parameter, int dimension, int cells, int n, double delta, CancellationToken ct,
        bool edgeGlide = false, ForcesSpec? forces = null)
    {
        var grid = ExperimentSystems.Grid(dimension, cells);
        var density = ExperimentSystems.DipoleDensity(dimension);
        var (positive, negative) = ContinuumSetup.InitialDensities(grid, density, density);
        var model = edgeGlide
            ? ExperimentSystems.Model(2, KernelType.Edge, MobilityType.Glide, delta) with
            {
                Regularization = new Regularization(RegularizationType.None, delta),
            }
            : ExperimentSystems.Model(dimension, KernelType.Log, MobilityType.Isotropic, delta);
        double h = Math.Min(delta / 2, 0.1 / n);
        double[] halfWidth = dimension == 1 ? [h] : edgeGlide ? [h, h] : [h, 0.0];
        var particles = new DipoleParticles(n / 2, halfWidth, RandomOrientation: dimension == 2, new DensityGrid(grid.Shape, positive));
        return ParticleContinuumComparison.Run(caseName, parameter, model, grid, positive, negative, particles, Time(), dipoles: true, ct, forces: forces);
    }
}
