using HpcGB.Engine.Continuum;
using HpcGB.Engine.Initialization;
using HpcGB.Engine.Model;
using HpcGB.Engine.Spec;

namespace HpcGB.Engine.Tests.Continuum;

/// <summary>Smooth test problems: ρ₀⁺ ≠ ρ₀⁻ of total mass 1 from a few Fourier modes and a non-constant U.</summary>
internal static class ContinuumProblems
{
    public static SystemModel Model(
        int dimension,
        KernelType kernel = KernelType.Log,
        MobilityType mobility = MobilityType.Isotropic,
        RegularizationType regularization = RegularizationType.Gaussian,
        double delta = 0.05,
        double force = 0.0) =>
        new(dimension, kernel, mobility, new Regularization(regularization, delta), External(dimension, force));

    public static ExternalPotential External(int dimension, double force = 0.0) => dimension == 1
        ? new ExternalPotential([new FourierMode([1], 0.0, 0.08), new FourierMode([2], 0.03, 0.0)], [force])
        : new ExternalPotential(
            [new FourierMode([1, 0], 0.0, 0.08), new FourierMode([0, 1], 0.05, 0.0), new FourierMode([1, 1], 0.0, 0.03)],
            [force, 0.0]);

    public static ModeDensity Positive(int dimension) => dimension == 1
        ? new ModeDensity(0.5, [new FourierMode([1], 0.2, 0.0), new FourierMode([3], 0.0, 0.05)])
        : new ModeDensity(0.5, [new FourierMode([1, 0], 0.2, 0.0), new FourierMode([1, 2], 0.0, 0.1)]);

    public static ModeDensity Negative(int dimension) => dimension == 1
        ? new ModeDensity(0.5, [new FourierMode([1], 0.0, 0.2), new FourierMode([2], 0.1, 0.0)])
        : new ModeDensity(0.5, [new FourierMode([0, 1], 0.0, 0.2), new FourierMode([2, 1], 0.1, 0.0)]);

    public static GromaBaloghSolver Solver(ContinuumGrid grid, SystemModel model, double cfl = GromaBaloghSolver.DefaultCfl) =>
        new(grid, model,
            InitialDensity.CellAverages(grid, Positive(grid.Dimension), "$.positive"),
            InitialDensity.CellAverages(grid, Negative(grid.Dimension), "$.negative"),
            cfl);

    /// <summary>n particles quantised (Lemma 2.4) from the piecewise-constant densities of the grid's cells.</summary>
    public static ParticleState Particles(ContinuumGrid grid, double[] positive, double[] negative, int n, ulong seed = 3)
    {
        var source = new DensityParticles(n, new DensityGrid(grid.Shape, positive), new DensityGrid(grid.Shape, negative));
        var model = new SystemModel(grid.Dimension, KernelType.Log, MobilityType.Isotropic, Regularization.Default,
            ExternalPotential.None(grid.Dimension));
        return InitialConditions.Create(new SimulationSpec(model, source, TimeSpec.Default, ForcesSpec.Default, seed));
    }
}
