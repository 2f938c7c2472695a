using System.Globalization;
using HpcGB.Engine.Spec;

namespace HpcGB.Host.Experiments;

/// <summary>
/// <c>hpcgb experiment threshold</c>: the dipole set-up of the non-convergence experiment in 1D with
/// δ_n = n^{−β} for a sweep of β. For each β the fitted rate of sup_t distance in n and the ratio distance / PDE
/// motion at the largest n locate the transition between convergence (slow δ_n, the dipoles break and follow the
/// PDE) and non-convergence (fast δ_n, they stay bound).
/// </summary>
internal static class ThresholdExperiment
{
    public const string Name = "threshold";

    public sealed record Sweep(double[] Betas, int[] Counts, int Cells);

    public static Sweep For(ExperimentScale scale)
    {
        int factor = scale switch { ExperimentScale.Medium => 4, ExperimentScale.Large => 16, _ => 1 };
        return scale == ExperimentScale.Ci
            ? new Sweep([0.5, 3.5], [50, 200], 128)
            : new Sweep([0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5], new[] { 100, 200, 400, 800 }.Select(n => n * factor).ToArray(), 512);
    }

    public static IEnumerable<ComparisonRow> Run(Sweep sweep, double beta, CancellationToken ct)
    {
        foreach (int n in sweep.Counts)
        {
            yield return RunOne(sweep, beta, n, ct);
        }
    }

    /// <summary>The run at one β and one n.</summary>
    public static ComparisonRow RunOne(Sweep sweep, double beta, int n, CancellationToken ct, ForcesSpec? forces = null) =>
        DipoleRuns.Run("1d-log", beta, 1, sweep.Cells, n, Math.Pow(n, -beta), ct, forces: forces);

    public static void Execute(ExperimentScale scale, string directory, TextWriter log, CancellationToken ct, ForcesSpec? forces = null)
    {
        var sweep = For(scale);
        var report = new ExperimentReport(
            "Threshold: δ_n = n^(−β) sweep (1D, short dipoles)",
            $"Set-up of the non-convergence experiment in 1D; β ∈ {{{string.Join(", ", sweep.Betas.Select(b => b.ToString(CultureInfo.InvariantCulture)))}}}, " +
            $"n ∈ {{{string.Join(", ", sweep.Counts)}}}; scale {scale.ToString().ToLowerInvariant()}.");
        var series = new List<LogLogSeries>();
        var slopes = new List<double>();
        var ratios = new List<double>();
        var tasks = sweep.Betas.SelectMany(beta => sweep.Counts.Select(n => new ExperimentTask(
            string.Create(CultureInfo.InvariantCulture, $"1d-log β={beta} n={n}"), n,
            t => RunOne(sweep, beta, n, t, forces)))).ToArray();
        if (ExperimentRuns.Execute(tasks, directory, log, ct) is not { } all)
        {
            return;
        }
        int first = 0;
        foreach (double beta in sweep.Betas)
        {
            var rows = all.Skip(first).Take(sweep.Counts.Length).ToList();
            first += sweep.Counts.Length;
            report.Rows.AddRange(rows);
            double[] n = rows.Select(r => (double)r.N).ToArray();
            double[] distance = rows.Select(r => r.SupDistance).ToArray();
            var fit = LogLogFit.Of(n, distance);
            double ratio = rows[^1].SupDistance / rows[^1].PdeMotion;
            slopes.Add(fit.Slope);
            ratios.Add(ratio);
            report.AddFit(string.Create(CultureInfo.InvariantCulture,
                $"β = {beta:G3}: sup_t distance ∝ n^{fit.Slope:F2}; distance / PDE motion at n = {rows[^1].N}: {ratio:F2}"));
            series.Add(new LogLogSeries($"β = {beta:G3}", n, distance, fit));
        }
        int transition = ratios.FindIndex(r => r > 0.5);
        report.AddFit(transition < 0
            ? "no β of the sweep keeps the distance above half the PDE motion"
            : string.Create(CultureInfo.InvariantCulture,
                $"transition: the distance stays above half the PDE motion from β = {sweep.Betas[transition]:G3} on"));
        report.WriteCsv(Path.Combine(directory, "results.csv"));
        report.WriteMarkdown(Path.Combine(directory, "results.md"), withParameter: true, withDrift: true, withW2: true);
        LogLogPlot.Write(Path.Combine(directory, "distance.png"), "Threshold: sup_t distance vs n for each β", "n", "sup_t distance", series,
            referenceSlopes: [0, -0.5]);
        ParameterPlot.Write(Path.Combine(directory, "transition.png"), "Threshold: distance / PDE motion at the largest n",
            "β (δ_n = n^−β)", "distance / PDE motion", sweep.Betas, ratios.ToArray());
    }
}
