using System.Globalization;
using System.Text;

namespace HpcGB.Host.Sweeps;

/// <summary>
/// <c>sweep.csv</c> (one line per run: the varied values, δ from the rule, the final observables, wall time, status,
/// message; numbers in round-trip precision) and <c>sweep.md</c> (the same as a table to read, the failures' messages
/// and, at the end, where the wall time went). Runs not finished yet are listed as pending. Both are replaced
/// atomically.
/// </summary>
internal static class SweepTables
{
    public const string CsvFile = "sweep.csv";
    public const string MarkdownFile = "sweep.md";

    public static void Write(
        string directory, string title, SweepFile sweep, IReadOnlyList<SweepRun> runs, IReadOnlyList<SweepRunResult?> results, SweepTiming? timing)
    {
        Replace(Path.Combine(directory, CsvFile), Csv(sweep, runs, results));
        Replace(Path.Combine(directory, MarkdownFile), Markdown(title, sweep, runs, results, timing));
    }

    private static string Csv(SweepFile sweep, IReadOnlyList<SweepRun> runs, IReadOnlyList<SweepRunResult?> results)
    {
        var text = new StringBuilder();
        var header = new List<string> { "run" };
        header.AddRange(sweep.Vary.Select(a => a.Path));
        if (sweep.DeltaRule is not null)
        {
            header.Add("delta");
        }
        header.AddRange(["particles", "status", "frames", "time", "energy_initial", "energy_final", "max_speed",
            "bound_dipoles", "accepted_steps", "rejected_steps", "force_evaluations", "wall_seconds", "message"]);
        text.AppendLine(string.Join(',', header.Select(Quote)));
        foreach (var run in runs)
        {
            var r = results[run.Index];
            var cells = new List<string> { Integer(run.Index) };
            cells.AddRange(run.Values);
            if (run.Delta is double delta)
            {
                cells.Add(Round(delta));
            }
            cells.Add(Integer(run.Particles));
            cells.AddRange(r is null
                ? ["pending", "", "", "", "", "", "", "", "", "", "", ""]
                : [r.Status, Integer(r.Frames), Round(r.FinalTime), Round(r.InitialEnergy), Round(r.FinalEnergy), Round(r.MaxSpeed),
                    Integer(r.BoundDipoles), Integer(r.AcceptedSteps), Integer(r.RejectedSteps), Integer(r.ForceEvaluations),
                    r.WallSeconds.ToString("F3", CultureInfo.InvariantCulture), r.Message ?? ""]);
            text.AppendLine(string.Join(',', cells.Select(Quote)));
        }
        return text.ToString();
    }

    private static string Markdown(
        string title, SweepFile sweep, IReadOnlyList<SweepRun> runs, IReadOnlyList<SweepRunResult?> results, SweepTiming? timing)
    {
        var text = new StringBuilder();
        int done = results.Count(r => r is not null);
        int failed = results.Count(r => r is { Succeeded: false });
        text.AppendLine($"# Sweep {title}").AppendLine();
        string combination = sweep.Vary.Count == 0 ? "the base spec alone"
            : sweep.Zip ? $"the lists of {string.Join(", ", sweep.Vary.Select(a => a.Path))} paired element-wise"
            : $"every combination of {string.Join(" × ", sweep.Vary.Select(a => $"{a.Path} ({a.Values.Count})"))}";
        text.Append(CultureInfo.InvariantCulture, $"{runs.Count} runs: {combination}");
        if (sweep.DeltaRule is { } rule)
        {
            text.Append(CultureInfo.InvariantCulture, $"; δ = {rule.C:G6}·n^(−{rule.Beta:G6})");
        }
        text.AppendLine(CultureInfo.InvariantCulture, $". {done} finished ({failed} failed), {runs.Count - done} pending.").AppendLine();

        var header = new List<string> { "run" };
        header.AddRange(sweep.Vary.Select(a => a.Path));
        if (sweep.DeltaRule is not null)
        {
            header.Add("δ");
        }
        header.AddRange(["n", "status", "t", "E(0)", "E(t)", "max speed", "bound dipoles", "steps", "force evals", "wall s"]);
        text.AppendLine("| " + string.Join(" | ", header) + " |");
        text.AppendLine("|" + string.Concat(header.Select(_ => "---|")));
        foreach (var run in runs)
        {
            var r = results[run.Index];
            var cells = new List<string> { Integer(run.Index) };
            cells.AddRange(run.Values.Select(v => v.Replace("|", "\\|", StringComparison.Ordinal)));
            if (run.Delta is double delta)
            {
                cells.Add(Short(delta));
            }
            cells.Add(Integer(run.Particles));
            cells.AddRange(r is null
                ? ["pending", "", "", "", "", "", "", "", ""]
                : [r.Status, Short(r.FinalTime), Short(r.InitialEnergy), Short(r.FinalEnergy), Short(r.MaxSpeed), Integer(r.BoundDipoles),
                    Integer(r.AcceptedSteps), Integer(r.ForceEvaluations), r.WallSeconds.ToString("F2", CultureInfo.InvariantCulture)]);
            text.AppendLine("| " + string.Join(" | ", cells) + " |");
        }
        var failures = results.Where(r => r is { Succeeded: false }).ToArray();
        if (failures.Length > 0)
        {
            text.AppendLine().AppendLine("Failed runs:").AppendLine();
            foreach (var r in failures)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"- run {r!.Index}: {r.Message}");
            }
        }
        if (timing is not null)
        {
            text.AppendLine().AppendLine(Timing(timing));
        }
        return text.ToString();
    }

    /// <summary>The footer: wall time, summed run time, and rank 0's scheduling and gathering.</summary>
    public static string Timing(SweepTiming t) => string.Create(CultureInfo.InvariantCulture,
        $"Timing: {t.Executed} runs executed ({t.Skipped} already complete) on {t.Ranks} rank{(t.Ranks == 1 ? "" : "s")} in {t.WallSeconds:F2} s wall; " +
        $"runs {t.RunSeconds:F2} s summed ({Percent(t.RunSeconds, t.Ranks * t.WallSeconds)} of ranks × wall); " +
        $"scheduling and gathering on rank 0 {t.CoordinationSeconds:F3} s ({Percent(t.CoordinationSeconds, t.WallSeconds)} of wall).");

    private static string Percent(double part, double whole) =>
        whole > 0 ? (100 * part / whole).ToString("F1", CultureInfo.InvariantCulture) + " %" : "–";

    private static void Replace(string path, string content)
    {
        string temporary = path + ".tmp";
        File.WriteAllText(temporary, content, new UTF8Encoding(false));
        File.Move(temporary, path, overwrite: true);
    }

    private static string Integer(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";

    private static string Round(double? value) => value is double v && double.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : "";

    private static string Short(double? value) => value is double v && double.IsFinite(v) ? v.ToString("G6", CultureInfo.InvariantCulture) : "–";

    private static string Quote(string cell) => cell.IndexOfAny([',', '"', '\n', '\r']) < 0 ? cell : "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
