using HpcGB.Engine.Spec;

namespace HpcGB.Host.Sweeps;

/// <summary>One generated run of a sweep.</summary>
/// <param name="Index">Position in the product (the last axis varying fastest); its outputs go to <c>runs/Index</c>.</param>
/// <param name="Values">The JSON text of each axis's value, in the order of <see cref="SweepFile.Vary"/>.</param>
/// <param name="Delta">δ set by the sweep's <c>delta_rule</c>, null without one.</param>
/// <param name="Particles">How many particles the spec produces (dipoles count twice).</param>
/// <param name="SpecJson">The normalised spec (<see cref="SpecWriter"/>): what summary.json and trajectory.h5 echo.</param>
/// <param name="Cost">Expected cost, used only to hand out the largest runs first.</param>
internal sealed record SweepRun(
    int Index, IReadOnlyList<string> Values, double? Delta, int Particles, SimulationSpec Spec, string SpecJson, double Cost)
{
    /// <summary>Expected cost: n² for the exact reference forces, n·ln n for PME, times the simulated time span.</summary>
    public static double ExpectedCost(SimulationSpec spec, int particles)
    {
        double n = Math.Max(particles, 1);
        bool reference = spec.Forces.Method == ForceMethod.Reference
            || (spec.Forces.Method == ForceMethod.Auto && particles < ForcesSpec.AutoCrossover);
        double perStep = reference ? n * n / ForcesSpec.AutoCrossover : n * Math.Log(n + 1);
        return perStep * Math.Max(spec.Time.End, 1e-12) * Math.Max(spec.Time.Outputs, 1);
    }
}
