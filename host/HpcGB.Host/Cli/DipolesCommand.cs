using System.CommandLine;
using System.Globalization;
using HpcGB.Host.Output;
using Spectre.Console;

namespace HpcGB.Host.Cli;

/// <summary>
/// <c>hpcgb dipoles RUN [--out FILE.png]</c>: the bound dipoles of a particle run frame by frame — how many, their
/// widths in units of δ, the centre drift of the dipoles of t = 0 against n²δ — as a table and as
/// <c>dipoles.png</c> (<see cref="DipolePlots"/>; <c>hpcgb run</c> writes the same picture when a run has dipoles).
/// </summary>
internal static class DipolesCommand
{
    public const string PlotFile = "dipoles.png";

    public static Command Create(CliConsole console)
    {
        var run = new Argument<string>("run") { Description = "A run directory holding trajectory.h5, or the file itself" };
        var output = new Option<string?>("--out", "-o") { Description = $"The picture (default: RUN/{PlotFile})" };
        var command = new Command("dipoles", "Bound dipoles of a particle run over time: widths in units of δ, centre drift against n²δ")
        {
            run,
            output,
        };
        command.SetAction((parseResult, cancellationToken) => CommandAction.Run(console, parseResult, cancellationToken, ct =>
        {
            string runPath = parseResult.GetValue(run)!;
            string input = Directory.Exists(runPath) ? Path.Combine(runPath, RunPipeline.TrajectoryFile) : runPath;
            using var reader = TrajectoryReader.Open(input);
            var series = DipoleSeries.Measure(reader, ct);
            WriteTable(console, series);
            if (!series.HasDipoles)
            {
                console.Out.WriteLine("no bound dipoles in any frame: no picture written");
                return ExitCodes.Success;
            }
            string path = parseResult.GetValue(output) ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(input))!, PlotFile);
            DipolePlots.Write(path, series, string.Create(CultureInfo.InvariantCulture,
                $"{reader.Dimension}D, n = {reader.Count}, δ = {PlotTheme.Number(series.Delta)}"));
            console.Out.WriteLine($"dipoles plot: {Path.GetFullPath(path)}");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static void WriteTable(CliConsole console, DipoleSeries series)
    {
        var culture = CultureInfo.InvariantCulture;
        console.Out.WriteLine(string.Create(culture,
            $"n = {series.Count}, δ = {series.Delta:g4}, bound distance {series.BoundDistance:g4}, n²δ = {series.DriftScale:g4}"));
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("t").AddColumn("dipoles").AddColumn("of t = 0 held").AddColumn("median width/δ").AddColumn("widest/δ")
            .AddColumn("max drift").AddColumn("max drift/(n²δ)");
        foreach (var f in series.Frames)
        {
            bool any = f.Widths.Length > 0;
            table.AddRow(
                f.Time.ToString("G6", culture),
                f.Dipoles.ToString(culture),
                f.Persisting.ToString(culture),
                any ? (f.Widths[2] / series.Delta).ToString("g3", culture) : "–",
                any ? (f.Widths[4] / series.Delta).ToString("g3", culture) : "–",
                f.MaxDrift.ToString("g3", culture),
                (f.MaxDrift / series.DriftScale).ToString("g3", culture));
        }
        Tables.Write(console, table);
    }
}
