using HpcGB.Engine.Analysis;
using HpcGB.Engine.Continuum;
using HpcGB.Engine.Simulation;
using HpcGB.Engine.Spec;

namespace HpcGB.Engine.Tests.Continuum;

/// <summary>
/// Particles and the PDE from the same initial densities, with the same δ, agree in H^{−1} (1D, n = 20000,
/// δ = 0.05, t = 0.5). The tolerance is set against the two scales of the problem: the PDE moves by
/// D = ‖ρ(0.5) − ρ(0)‖_{H^{−1}} summed over the signs, and the particles start at the quantisation distance
/// d₀ = ‖μ_n(0) − ρ(0)‖_{H^{−1}}. With δ = 0.05 fixed the particle system is a consistent discretisation of the
/// same regularised PDE, so its error at t = 0.5 is d₀ carried along by the flow (measured growth ≲ 1, the
/// densities stay smooth) plus the PDE's own grid error (5e-7 between M = 256 and 512); we ask for
/// distance ≤ 5·d₀ + 1% of D. A solver moving at a wrong speed by more than 1%, or the wrong way, fails.
/// </summary>
public sealed class ParticleAgreementTests
{
    [Fact]
    public void ParticlesAndPdeAgreeInHMinusOneAtTimeHalf()
    {
        const int n = 20000;
        const double end = 0.5;
        var grid = new ContinuumGrid(256);
        var model = ContinuumProblems.Model(1, delta: 0.05);
        using var solver = ContinuumProblems.Solver(grid, model);
        double[] positive0 = (double[])solver.Positive.Clone();
        double[] negative0 = (double[])solver.Negative.Clone();
        solver.Advance(end);

        var source = new DensityParticles(n, new DensityGrid(grid.Shape, positive0), new DensityGrid(grid.Shape, negative0));
        var time = new TimeSpec(end, IntegratorType.Dp45, 1e-7, 1e-9, 2, 1e-3);
        var runner = new SimulationRunner(new SimulationSpec(model, source, time, ForcesSpec.Default, 3));
        var particles = runner.InitialState;
        var final = runner.Run(_ => { }).FinalState;

        double start = HMinusOneDistance.Between(grid, particles, +1, positive0) + HMinusOneDistance.Between(grid, particles, -1, negative0);
        double moved = HMinusOneDistance.Between(grid, solver.Positive, positive0) + HMinusOneDistance.Between(grid, solver.Negative, negative0);
        double distance = HMinusOneDistance.Between(grid, final, +1, solver.Positive) + HMinusOneDistance.Between(grid, final, -1, solver.Negative);
        double tolerance = 5 * start + 0.01 * moved;
        Assert.True(distance <= tolerance,
            $"distance {distance:E3} > tolerance {tolerance:E3} (PDE moved {moved:E3}, initial distance {start:E3})");
        Assert.True(tolerance <= 0.05 * moved, $"tolerance {tolerance:E3} vs motion {moved:E3}: the test would not discriminate");
    }
}
