using System.Diagnostics;
using HpcGB.Engine.Analysis;
using HpcGB.Engine.Continuum;
using HpcGB.Engine.Model;
using HpcGB.Engine.Simulation;
using HpcGB.Engine.Spec;

namespace HpcGB.Host.Experiments;

/// <summary>
/// The core of every experiment: one particle run and one PDE run of the same system (same kernel, U and δ) from
/// the same initial densities, compared at every output time in H^{−1} on the PDE grid
/// (<see cref="ParticleContinuumDistance"/>) and, optionally, at the scales the kernel resolves
/// (<see cref="ResolvedDistance"/> at σ = δ).
/// </summary>
internal static class ParticleContinuumComparison
{
    /// <summary>
    /// Runs both and returns the row. <paramref name="particles"/> must describe the same initial measure as
    /// (<paramref name="positive"/>, <paramref name="negative"/>) — the grid's cells quantised, or dipoles
    /// centred by their sum; with <paramref name="dipoles"/> the members are paired as (2k, 2k+1) and the centre
    /// drift is measured; with <paramref name="resolved"/> also d_δ(t) (<see cref="ComparisonRow.ResolvedDistances"/>).
    /// <paramref name="forces"/> (default <see cref="ForcesSpec.Default"/>) chooses the particles' evaluator, e.g. the device.
    /// </summary>
    public static ComparisonRow Run(
        string caseName,
        double parameter,
        SystemModel model,
        ContinuumGrid grid,
        double[] positive,
        double[] negative,
        ParticleSource particles,
        TimeSpec time,
        bool dipoles,
        CancellationToken ct,
        bool resolved = false,
        ForcesSpec? forces = null)
    {
        var times = Enumerable.Range(0, time.Outputs).Select(time.OutputTime).ToArray();
        var spec = new SimulationSpec(model, particles, time, forces ?? ForcesSpec.Default, 1);
        var particleClock = Stopwatch.StartNew();
        using var runner = new SimulationRunner(spec);
        double setupSeconds = particleClock.Elapsed.TotalSeconds;
        int n = runner.InitialState.Count;

        var pdeClock = Stopwatch.StartNew();
        var pdeFrames = SolvePde(grid, model, positive, negative, times, ct);
        double pdeSeconds = pdeClock.Elapsed.TotalSeconds;

        particleClock.Restart();
        var distances = new double[times.Length];
        var w2 = grid.Dimension == 1 ? new double[times.Length] : [];
        var smooth = resolved ? new double[times.Length] : null;
        double[]? plus0 = null, minus0 = null;
        double[][]? centres0 = null;
        double particleMotion = 0, drift = dipoles ? 0 : double.NaN;
        var result = runner.Run(frame =>
        {
            var pde = pdeFrames[frame.Index];
            var distance = ParticleContinuumDistance.Measure(grid, frame.State, pde.Positive, pde.Negative);
            distances[frame.Index] = distance.Sum;
            if (grid.Dimension == 1)
            {
                w2[frame.Index] = distance.W2Sum;
            }
            if (smooth is not null)
            {
                smooth[frame.Index] = ResolvedDistance.Between(frame.State, +1, grid, pde.Positive, model.Delta)
                    + ResolvedDistance.Between(frame.State, -1, grid, pde.Negative, model.Delta);
            }
            double[] plus = ParticleDeposit.CloudInCell(grid, frame.State, +1);
            double[] minus = ParticleDeposit.CloudInCell(grid, frame.State, -1);
            if (frame.Index == 0)
            {
                (plus0, minus0) = (plus, minus);
                centres0 = dipoles ? Centres(frame.State) : null;
            }
            particleMotion = Math.Max(particleMotion,
                HMinusOneDistance.Between(grid, plus, plus0!) + HMinusOneDistance.Between(grid, minus, minus0!));
            if (dipoles)
            {
                drift = Math.Max(drift, MaxDisplacement(centres0!, Centres(frame.State)));
            }
        }, ct);
        double particleSeconds = setupSeconds + particleClock.Elapsed.TotalSeconds;

        double pdeMotion = pdeFrames.Max(f =>
            HMinusOneDistance.Between(grid, f.Positive, pdeFrames[0].Positive)
            + HMinusOneDistance.Between(grid, f.Negative, pdeFrames[0].Negative));
        return new ComparisonRow(
            caseName, parameter, n, model.Delta, times, distances, w2, smooth, pdeMotion, particleMotion, drift,
            result.AcceptedSteps, particleSeconds, pdeSeconds);
    }

    private static List<ContinuumFrame> SolvePde(
        ContinuumGrid grid, SystemModel model, double[] positive, double[] negative, double[] times, CancellationToken ct)
    {
        var frames = new List<ContinuumFrame>();
        using var solver = new GromaBaloghSolver(grid, model, positive, negative);
        solver.Run(times, frames.Add, ct);
        return frames;
    }

    /// <summary>Dipole centres z_k = (x_{2k} + x_{2k+1})/2 from the unwrapped positions, per axis.</summary>
    private static double[][] Centres(ParticleState state) => state.Positions
        .Select(axis => Enumerable.Range(0, axis.Length / 2).Select(k => 0.5 * (axis[2 * k] + axis[2 * k + 1])).ToArray())
        .ToArray();

    private static double MaxDisplacement(double[][] before, double[][] after)
    {
        double largest = 0;
        for (int k = 0; k < before[0].Length; k++)
        {
            double squared = 0;
            for (int a = 0; a < before.Length; a++)
            {
                double d = after[a][k] - before[a][k];
                squared += d * d;
            }
            largest = Math.Max(largest, Math.Sqrt(squared));
        }
        return largest;
    }
}
