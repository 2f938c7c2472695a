using HpcGB.Engine.Continuum;
using HpcGB.Engine.Model;
using HpcGB.Engine.Spec;

namespace HpcGB.Host.Experiments;

/// <summary>
/// <c>hpcgb experiment convergence</c> (Theorems 3.3, 3.9): smooth ρ₀⁺ ≠ ρ₀⁻, non-constant U, slow
/// δ_n = c·n^{−1/(2d)}, particles quantised from the PDE's initial cells (Lemma 2.4; in 1D at its finest rate, the
/// midpoint quantiles, <see cref="QuantileParticles"/>); the distance d(t) = Σ_± ‖μ_n^± − ρ^±‖_{H^{−1}} to the PDE
/// with the same δ_n at every output time — d(0) (the quantisation), d(T), sup_t d and sup_t (d − d(0)) apart — and
/// the resolved distance d_δ(t) (<see cref="Engine.Analysis.ResolvedDistance"/>), which lacks the 1/n floor of points
/// against a density and so shows what the evolution adds; over n spanning more than a decade, with fitted rates,
/// for 1D log, 2D log (isotropic) and 2D edge with glide.
/// </summary>
internal static class ConvergenceExperiment
{
    public const string Name = "convergence";

    /// <summary>One system of the experiment: δ_n = C·n^{−1/(2d)} on a PDE grid of Cells per axis.</summary>
    public sealed record Case(string Label, int Dimension, KernelType Kernel, MobilityType Mobility, double C, int Cells, int[] Counts);

    public static IReadOnlyList<Case> Cases(ExperimentScale scale)
    {
        int factor = scale switch { ExperimentScale.Medium => 4, ExperimentScale.Large => 16, _ => 1 };
        int[] Scaled(int[] counts) => counts.Select(n => n * factor).ToArray();
        if (scale == ExperimentScale.Ci)
        {
            return
            [
                new("1d-log", 1, KernelType.Log, MobilityType.Isotropic, 0.5, 256, [100, 300, 1000]),
                new("2d-log", 2, KernelType.Log, MobilityType.Isotropic, 0.5, 32, [200, 600, 2000]),
            ];
        }
        int cells1 = scale == ExperimentScale.Large ? 1024 : 512;
        int cells2 = scale switch { ExperimentScale.Medium => 96, ExperimentScale.Large => 128, _ => 64 };
        return
        [
            new("1d-log", 1, KernelType.Log, MobilityType.Isotropic, 0.5, cells1, Scaled([100, 200, 400, 800, 1600, 3200, 6400])),
            new("2d-log", 2, KernelType.Log, MobilityType.Isotropic, 0.5, cells2, Scaled([250, 500, 1000, 2000, 4000, 8000, 16000])),
            new("2d-edge-glide", 2, KernelType.Edge, MobilityType.Glide, 0.5, cells2, Scaled([250, 500, 1000, 2000, 4000, 8000, 16000])),
        ];
    }

    public static TimeSpec Time { get; } = new(1.0, IntegratorType.Dp45, 1e-6, 1e-9, 11, 1e-3);

    /// <summary>All runs of one case, smallest n first.</summary>
    public static IEnumerable<ComparisonRow> Run(Case c, CancellationToken ct) => c.Counts.Select(n => RunOne(c, n, ct));

    /// <summary>The run of one case at one n.</summary>
    public static ComparisonRow RunOne(Case c, int n, CancellationToken ct, ForcesSpec? forces = null)
    {
        var grid = ExperimentSystems.Grid(c.Dimension, c.Cells);
        var (positiveDensity, negativeDensity) = ExperimentSystems.DistinctDensities(c.Dimension);
        var (positive, negative) = ContinuumSetup.InitialDensities(grid, positiveDensity, negativeDensity);
        double delta = c.C * Math.Pow(n, -1.0 / (2 * c.Dimension));
        var model = ExperimentSystems.Model(c.Dimension, c.Kernel, c.Mobility, delta);
        ParticleSource particles = c.Dimension == 1
            ? QuantileParticles.Of(n, positive, negative)
            : new DensityParticles(n, new DensityGrid(grid.Shape, positive), new DensityGrid(grid.Shape, negative));
        return ParticleContinuumComparison.Run(c.Label, double.NaN, model, grid, positive, negative, particles, Time, dipoles: false, ct, resolved: true, forces: forces);
    }

    public static void Execute(ExperimentScale scale, string directory, TextWriter log, CancellationToken ct, ForcesSpec? forces = null)
    {
        var report = new ExperimentReport(
            "Convergence: particles vs Groma–Balogh, slow δ_n",
            $"δ_n = c·n^(−1/(2d)), c = 0.5; gaussian regularisation; T = {Time.End}, {Time.Outputs} output times; " +
            "ρ₀⁺ ≠ ρ₀⁻ smooth (Fourier modes), U non-constant; particles quantised from the PDE's initial cells " +
            "(Lemma 2.4; 1D at the midpoint quantiles of each sign, 2D by init: density); " +
            $"scale {scale.ToString().ToLowerInvariant()}.");
        var supSeries = new List<LogLogSeries>();
        var resolvedSeries = new List<LogLogSeries>();
        var timeSeries = new List<(string, IReadOnlyList<ComparisonRow>)>();
        var cases = Cases(scale);
        var tasks = cases.SelectMany(c => c.Counts.Select(n => new ExperimentTask($"{c.Label} n={n}", n, t => RunOne(c, n, t, forces)))).ToArray();
        if (ExperimentRuns.Execute(tasks, directory, log, ct) is not { } all)
        {
            return;
        }
        int first = 0;
        foreach (var c in cases)
        {
            var rows = all.Skip(first).Take(c.Counts.Length).ToList();
            first += c.Counts.Length;
            report.Rows.AddRange(rows);
            double[] n = rows.Select(r => (double)r.N).ToArray();
            string grid = string.Join("×", Enumerable.Repeat(c.Cells, c.Dimension));
            var fit = LogLogFit.Of(n, rows.Select(r => r.SupDistance).ToArray());
            var initialFit = LogLogFit.Of(n, rows.Select(r => r.InitialDistance).ToArray());
            var resolvedFit = LogLogFit.Of(n, rows.Select(r => r.SupResolved).ToArray());
            report.AddFit($"{c.Label} (grid {grid}): sup_t d ∝ n^{fit.Slope:F2}, d(0) ∝ n^{initialFit.Slope:F2}, " +
                $"sup_t d_δ ∝ n^{resolvedFit.Slope:F2}; sup_t d / d(0) ≤ {rows.Max(r => r.SupDistance / r.InitialDistance):F2}; " +
                $"sup_t d_δ / PDE motion ≤ {rows.Max(r => r.SupResolved / r.PdeMotion):E1}");
            supSeries.Add(new LogLogSeries($"{c.Label}: sup_t d", n, rows.Select(r => r.SupDistance).ToArray(), fit));
            resolvedSeries.Add(new LogLogSeries($"{c.Label}: sup_t d_δ", n, rows.Select(r => r.SupResolved).ToArray(), resolvedFit));
            if (c.Dimension == 1)
            {
                var w2 = LogLogFit.Of(n, rows.Select(r => r.SupW2).ToArray());
                report.AddFit($"{c.Label}: sup_t W₂ ∝ n^{w2.Slope:F2}");
                supSeries.Add(new LogLogSeries($"{c.Label}: sup_t W₂", n, rows.Select(r => r.SupW2).ToArray(), w2));
            }
            timeSeries.Add(($"{c.Label} (grid {grid})", rows));
        }
        report.WriteCsv(Path.Combine(directory, "results.csv"));
        report.WriteTimeSeriesCsv(Path.Combine(directory, "distances.csv"));
        report.WriteMarkdown(Path.Combine(directory, "results.md"), withParameter: false, withDrift: false, withW2: true, withEvolution: true);
        LogLogPlot.Write(Path.Combine(directory, "distance.png"), "Convergence: sup_t distance particles–PDE (H⁻¹; 1D also W₂)",
            "n", "sup_t distance", supSeries, referenceSlopes: [-0.5, -1]);
        LogLogPlot.Write(Path.Combine(directory, "resolved_distance.png"),
            "Convergence at the resolved scales: sup_t d_δ (H⁻¹ of the difference smoothed at δ_n)", "n", "sup_t d_δ", resolvedSeries,
            referenceSlopes: [-1, -2]);
        TimeSeriesPlot.Write(Path.Combine(directory, "distance_vs_time.png"),
            "Particles vs PDE over time: d(t) solid, d_δ(t) dashed, PDE motion dotted", timeSeries);
    }
}
