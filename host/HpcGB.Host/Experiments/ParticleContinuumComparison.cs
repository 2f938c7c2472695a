using System.Diagnostics;
using HpcGB.Engine.Analysis;
using HpcGB.Engine.Analysis.Transport;
using HpcGB.Engine.Continuum;
using HpcGB.Engine.Model;
using HpcGB.Engine.Simulation;
using HpcGB.Engine.Spec;

namespace HpcGB.Host.Experiments;

/// <summary>
/// The core of every experiment: one particle run and one PDE run of the same system (same kernel, U and δ) from
/// the same initial densities, compared at every output time in H^{−1} on the PDE grid.
/// </summary>
internal static class ParticleContinuumComparison
{
    /// <summary>
    /// Runs both and returns the row. <paramref name="particles"/> must describe the same initial measure as
    /// (<paramref name="positive"/>, <paramref name="negative"/>) — the grid's cells quantised, or dipoles
    /// centred by their sum; with <paramref name="dipoles"/> the members are paired as (2k, 2k+1) and the centre
    /// drift is measured.
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
        CancellationToken ct)
    {
        var times = Enumerable.Range(0, time.Outputs).Select(time.OutputTime).ToArray();

        var pdeClock = Stopwatch.StartNew();
        var pdeFrames = new List<ContinuumFrame>();
        using (var solver = new GromaBaloghSolver(grid, model, positive, negative))
        {
            solver.Run(times, pdeFrames.Add, ct);
        }
        double pdeSeconds = pdeClock.Elapsed.TotalSeconds;

        var spec = new SimulationSpec(model, particles, time, ForcesSpec.Default, 1);
        var particleClock = Stopwatch.StartNew();
        using var runner = new SimulationRunner(spec);
        int n = runner.InitialState.Count;
        double[]? plus0 = null, minus0 = null;
        double[][]? centres0 = null;
        double supDistance = 0, initialDistance = 0, particleMotion = 0, drift = dipoles ? 0 : double.NaN;
        double supW2 = grid.Dimension == 1 ? 0 : double.NaN;
        var result = runner.Run(frame =>
        {
            var pde = pdeFrames[frame.Index];
            double[] plus = ParticleDeposit.CloudInCell(grid, frame.State, +1);
            double[] minus = ParticleDeposit.CloudInCell(grid, frame.State, -1);
            double distance = HMinusOneDistance.Between(grid, plus, pde.Positive) + HMinusOneDistance.Between(grid, minus, pde.Negative);
            if (frame.Index == 0)
            {
                (plus0, minus0, initialDistance) = (plus, minus, distance);
                centres0 = dipoles ? Centres(frame.State) : null;
            }
            supDistance = Math.Max(supDistance, distance);
            if (grid.Dimension == 1)
            {
                var w2 = TorusW2.PerSign(frame.State, new PiecewiseConstantDensity(pde.Positive), new PiecewiseConstantDensity(pde.Negative));
                supW2 = Math.Max(supW2, w2.Positive!.Value + w2.Negative!.Value);
            }
            particleMotion = Math.Max(particleMotion,
                HMinusOneDistance.Between(grid, plus, plus0!) + HMinusOneDistance.Between(grid, minus, minus0!));
            if (dipoles)
            {
                drift = Math.Max(drift, MaxDisplacement(centres0!, Centres(frame.State)));
            }
        }, ct);
        double particleSeconds = particleClock.Elapsed.TotalSeconds;

        double pdeMotion = pdeFrames.Max(f =>
            HMinusOneDistance.Between(grid, f.Positive, pdeFrames[0].Positive)
            + HMinusOneDistance.Between(grid, f.Negative, pdeFrames[0].Negative));
        return new ComparisonRow(
            caseName, parameter, n, model.Delta, supDistance, supW2, initialDistance, pdeMotion, particleMotion, drift,
            result.AcceptedSteps, particleSeconds, pdeSeconds);
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
