using HpcGB.Engine.Spec;

namespace HpcGB.Host.Experiments;

/// <summary>
/// <c>hpcgb experiment nonconvergence</c> (Theorems 4.1, 4.4): ρ₀⁺ = ρ₀⁻, short dipoles, fast δ_n (1D n^{−3.5},
/// 2D n^{−2.5}). The PDE moves (U pulls the signs apart) while the dipoles stay bound and nearly still, so the
/// distance particles–PDE stays near the PDE's own motion however large n is; the dipole-centre drift is compared
/// with the bound C·n²δ_n of (4.14). The third case is Theorem 4.6: edge dislocations with glide and the
/// unregularised kernel, each dipole's members on slip planes h apart (δ_n only sets h).
/// </summary>
internal static class NonconvergenceExperiment
{
    public const string Name = "nonconvergence";

    /// <summary>One system: δ_n = n^{−Beta}.</summary>
    public sealed record Case(string Label, int Dimension, double Beta, int Cells, int[] Counts, bool EdgeGlide = false);

    public static IReadOnlyList<Case> Cases(ExperimentScale scale)
    {
        int factor = scale switch { ExperimentScale.Medium => 4, ExperimentScale.Large => 16, _ => 1 };
        int[] Scaled(int[] counts) => counts.Select(n => n * factor).ToArray();
        if (scale == ExperimentScale.Ci)
        {
            return [new("1d-log", 1, 3.5, 128, [50, 100, 200])];
        }
        return
        [
            new("1d-log", 1, 3.5, 512, Scaled([100, 200, 400, 800, 1600])),
            new("2d-log", 2, 2.5, 64, Scaled([200, 400, 800, 1600])),
            new("2d-edge-glide-none", 2, 2.5, 64, Scaled([200, 400, 800, 1600]), EdgeGlide: true),
        ];
    }

    public static IEnumerable<ComparisonRow> Run(Case c, CancellationToken ct)
    {
        foreach (int n in c.Counts)
        {
            yield return RunOne(c, n, ct);
        }
    }

    /// <summary>The run of one case at one n.</summary>
    public static ComparisonRow RunOne(Case c, int n, CancellationToken ct, ForcesSpec? forces = null) =>
        DipoleRuns.Run(c.Label, double.NaN, c.Dimension, c.Cells, n, Math.Pow(n, -c.Beta), ct, c.EdgeGlide, forces);

    public static void Execute(ExperimentScale scale, string directory, TextWriter log, CancellationToken ct, ForcesSpec? forces = null)
    {
        var time = DipoleRuns.Time();
        var report = new ExperimentReport(
            "Non-convergence: short dipoles, fast δ_n",
            $"ρ₀⁺ = ρ₀⁻ = ρ₀/2 with ρ₀ = 1 + 0.5 cos 2πx₁ (2D: + 0.3 cos 2πx₂), n/2 dipoles centred by ρ₀, half-width " +
            $"min(δ_n/2, 0.1/n); δ_n = n^(−3.5) (1D), n^(−2.5) (2D); 2d-edge-glide-none: edge kernel, glide, regularisation none, members on slip planes h apart; integrator auto (implicit for stiff dipoles); T = {time.End}; " +
            $"scale {scale.ToString().ToLowerInvariant()}.");
        var distances = new List<LogLogSeries>();
        var drifts = new List<LogLogSeries>();
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
            double[] distance = rows.Select(r => r.SupDistance).ToArray();
            double[] drift = rows.Select(r => r.CentreDrift).ToArray();
            double[] bound = rows.Select(r => (double)r.N * r.N * r.Delta).ToArray();
            var distanceFit = LogLogFit.Of(n, distance);
            var driftFit = LogLogFit.Of(n, drift);
            double ratio = rows.Min(r => r.SupDistance / r.PdeMotion);
            double constant = rows.Max(r => r.CentreDrift / ((double)r.N * r.N * r.Delta));
            report.AddFit($"{c.Label} (δ_n = n^−{c.Beta}): sup_t distance ∝ n^{distanceFit.Slope:F2}; min over n of distance / PDE motion = {ratio:F2}");
            report.AddFit($"{c.Label}: centre drift ∝ n^{driftFit.Slope:F2} (n²δ_n ∝ n^{2 - c.Beta:F1}); max drift / (n²δ_n) = {constant:E2}");
            distances.Add(new LogLogSeries($"{c.Label}: sup_t distance", n, distance, distanceFit));
            distances.Add(new LogLogSeries($"{c.Label}: PDE motion", n, rows.Select(r => r.PdeMotion).ToArray(), null));
            drifts.Add(new LogLogSeries($"{c.Label}: centre drift", n, drift, driftFit));
            drifts.Add(new LogLogSeries($"{c.Label}: n²δ_n", n, bound, LogLogFit.Of(n, bound)));
        }
        report.WriteCsv(Path.Combine(directory, "results.csv"));
        report.WriteMarkdown(Path.Combine(directory, "results.md"), withParameter: false, withDrift: true, withW2: true);
        LogLogPlot.Write(Path.Combine(directory, "distance.png"), "Non-convergence: distance stays at the PDE's motion", "n", "H⁻¹ distance", distances,
            referenceSlopes: [0]);
        LogLogPlot.Write(Path.Combine(directory, "centre_drift.png"), "Dipole-centre drift vs n²δ_n", "n", "drift", drifts);
    }
}
