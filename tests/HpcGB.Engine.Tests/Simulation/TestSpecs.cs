using HpcGB.Engine.Model;
using HpcGB.Engine.Spec;

namespace HpcGB.Engine.Tests.Simulation;

/// <summary>Small specs and states for the integrator, initialization and simulation tests.</summary>
internal static class TestSpecs
{
    public static SystemModel Model(
        int dimension = 2,
        KernelType kernel = KernelType.Log,
        MobilityType mobility = MobilityType.Isotropic,
        RegularizationType regularization = RegularizationType.Gaussian,
        double delta = 0.05,
        ExternalPotential? external = null) =>
        new(dimension, kernel, mobility, new Regularization(regularization, delta),
            external ?? ExternalPotential.None(dimension));

    public static TimeSpec Time(
        double end = 0.1, int outputs = 6, IntegratorType integrator = IntegratorType.Dp45,
        double rtol = 1e-8, double atol = 1e-10, double step = 1e-3) =>
        new(end, integrator, rtol, atol, outputs, step);

    public static SimulationSpec Spec(SystemModel model, ParticleSource particles, TimeSpec? time = null, ulong seed = 7) =>
        new(model, particles, time ?? Time(), ForcesSpec.Default, seed);

    /// <summary>A seeded uniform state through the engine's own initialisation.</summary>
    public static ParticleState Uniform(SystemModel model, int n, ulong seed = 11) =>
        Engine.Initialization.InitialConditions.Create(Spec(model, new UniformParticles(n, 0.5), seed: seed));

    public static double MaxDifference(ParticleState a, ParticleState b)
    {
        double max = 0;
        for (int axis = 0; axis < a.Dimension; axis++)
        {
            for (int i = 0; i < a.Count; i++)
            {
                max = Math.Max(max, Math.Abs(a.Positions[axis][i] - b.Positions[axis][i]));
            }
        }
        return max;
    }
}
