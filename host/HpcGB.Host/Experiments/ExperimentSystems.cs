using HpcGB.Engine.Continuum;
using HpcGB.Engine.Model;

namespace HpcGB.Host.Experiments;

/// <summary>The systems the experiments run: kernels, a non-constant U, smooth initial densities.</summary>
internal static class ExperimentSystems
{
    public static SystemModel Model(int dimension, KernelType kernel, MobilityType mobility, double delta) =>
        new(dimension, kernel, mobility, new Regularization(RegularizationType.Gaussian, delta), External(dimension));

    /// <summary>U = 0.08 sin 2πx1 + 0.03 cos 4πx1 (1D) or 0.08 sin 2πx1 + 0.05 cos 2πx2 + 0.03 sin 2π(x1+x2) (2D).</summary>
    public static ExternalPotential External(int dimension) => dimension == 1
        ? new ExternalPotential([new FourierMode([1], 0.0, 0.08), new FourierMode([2], 0.03, 0.0)], [0.0])
        : new ExternalPotential(
            [new FourierMode([1, 0], 0.0, 0.08), new FourierMode([0, 1], 0.05, 0.0), new FourierMode([1, 1], 0.0, 0.03)],
            [0.0, 0.0]);

    /// <summary>Smooth ρ₀⁺ ≠ ρ₀⁻ (before normalisation to total mass 1).</summary>
    public static (ContinuumDensity Positive, ContinuumDensity Negative) DistinctDensities(int dimension) => dimension == 1
        ? (new ModeDensity(1, [new FourierMode([1], 0.4, 0.0), new FourierMode([3], 0.0, 0.1)]),
           new ModeDensity(1, [new FourierMode([1], 0.0, 0.4), new FourierMode([2], 0.2, 0.0)]))
        : (new ModeDensity(1, [new FourierMode([1, 0], 0.4, 0.0), new FourierMode([1, 2], 0.0, 0.2)]),
           new ModeDensity(1, [new FourierMode([0, 1], 0.0, 0.4), new FourierMode([2, 1], 0.2, 0.0)]));

    /// <summary>The common density of both signs for the dipole experiments: ρ₀ = 1 + 0.5 cos 2πx1 (+ 0.3 cos 2πx2).</summary>
    public static ContinuumDensity DipoleDensity(int dimension) => dimension == 1
        ? new ModeDensity(1, [new FourierMode([1], 0.5, 0.0)])
        : new ModeDensity(1, [new FourierMode([1, 0], 0.5, 0.0), new FourierMode([0, 1], 0.3, 0.0)]);

    public static ContinuumGrid Grid(int dimension, int cells) =>
        dimension == 1 ? new ContinuumGrid(cells) : new ContinuumGrid(cells, cells);
}
