using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using HpcGB.Engine.Analysis;
using HpcGB.Engine.Analysis.Transport;
using HpcGB.Engine.Spec;
using HpcGB.Host.Output;
using Spectre.Console;

namespace HpcGB.Host.Cli;

/// <summary>
/// <c>hpcgb distance A B [--frame F] [--frame-b F] [--bound-distance R] [--epsilon E] [--json]</c>, A and B each a
/// trajectory.h5, a continuum.h5 or a run directory. Two trajectories: W₂ of ρ⁺ and of ρ⁻ between a frame of each
/// (exact on the circle; exact assignment in 2D up to <see cref="TorusW2.ExactLimit"/> particles of a sign, entropic
/// Sinkhorn above, its ε printed), bound dipoles of each frame (each with its own δ) with width histograms, and the
/// dipole-centre drift A → B when the frames hold the same particles. A trajectory and a continuum run: at every
/// common output time (or --frame's), H^{−1} per sign and of κ, and in 1D W₂ per sign (<see cref="ContinuumDistanceReport"/>).
/// </summary>
internal static class DistanceCommand
{
    public static Command Create(CliConsole console)
    {
        var fileA = new Argument<string>("a") { Description = "First run: trajectory.h5, continuum.h5 or a run directory" };
        var fileB = new Argument<string>("b") { Description = "Second run (may be the same file); at most one continuum run" };
        var frame = new Option<int?>("--frame", "-f")
        {
            Description = "Frame of A, or of the particle run against a continuum run (0-based; negative counts back from the " +
                "last frame reached; default: the last frame, against a continuum run every common output time)",
        };
        var frameB = new Option<int?>("--frame-b") { Description = "Frame of B (default: the same as --frame)" };
        var bound = new Option<double?>("--bound-distance")
        {
            Description = "Dipole bound distance for both sides (default: each run's own, 3δ of its spec)",
        };
        bound.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double?>() is { } value && !(value > 0 && double.IsFinite(value)))
            {
                result.AddError("--bound-distance must be positive and finite");
            }
        });
        var epsilon = new Option<double>("--epsilon")
        {
            Description = "Sinkhorn regularisation ε (used in 2D above 2000 particles of a sign, or for different counts)",
            DefaultValueFactory = _ => new SinkhornOptions().Epsilon,
        };
        epsilon.Validators.Add(result =>
        {
            double value = result.GetValueOrDefault<double>();
            if (!(value > 0 && double.IsFinite(value)))
            {
                result.AddError("--epsilon must be positive and finite");
            }
        });
        var json = new Option<bool>("--json") { Description = "Print the report as JSON" };
        var command = new Command("distance", "W₂ per sign and dipoles between two particle frames; H⁻¹ (and 1D W₂) between particles and a continuum run")
        {
            fileA,
            fileB,
            frame,
            frameB,
            bound,
            epsilon,
            json,
        };
        command.SetAction((parseResult, cancellationToken) => CommandAction.Run(console, parseResult, cancellationToken, token =>
        {
            string a = RunFile.Locate(parseResult.GetValue(fileA)!), b = RunFile.Locate(parseResult.GetValue(fileB)!);
            bool continuumA = RunFile.IsContinuum(a), continuumB = RunFile.IsContinuum(b);
            bool asJson = parseResult.GetValue(json);
            if (continuumA || continuumB)
            {
                if (continuumA && continuumB)
                {
                    throw new SpecException(b, "two continuum runs: compare a trajectory with a trajectory or with a continuum run");
                }
                foreach (var option in new Option[] { frameB, bound })
                {
                    if (parseResult.GetResult(option) is not null)
                    {
                        throw new SpecException(option.Name, "applies to two trajectories only");
                    }
                }
                var against = ContinuumDistanceReport.Compute(continuumA ? b : a, continuumA ? a : b, parseResult.GetValue(frame), token);
                console.Out.WriteLine(asJson ? ContinuumDistanceText.ToJson(against) : ContinuumDistanceText.ToText(against));
                return ExitCodes.Success;
            }
            int f = parseResult.GetValue(frame) ?? -1;
            var report = DistanceReport.Compute(
                a, b, f, parseResult.GetValue(frameB) ?? f, parseResult.GetValue(bound),
                new SinkhornOptions(Epsilon: parseResult.GetValue(epsilon)), token);
            if (asJson)
            {
                console.Out.WriteLine(ToJson(report));
            }
            else
            {
                WriteText(console, report);
            }
            return ExitCodes.Success;
        }));
        return command;
    }

    internal static string ToJson(DistanceReport report)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, JsonOutput.Indented))
        {
            writer.WriteStartObject();
            WriteSide(writer, "a", report.A);
            WriteSide(writer, "b", report.B);
            writer.WriteStartObject("w2");
            WriteW2(writer, "positive", report.W2.Positive, report.GapBound(1));
            WriteW2(writer, "negative", report.W2.Negative, report.GapBound(-1));
            writer.WriteEndObject();
            if (report.Drift is { } drift)
            {
                writer.WriteStartObject("drift");
                writer.WriteNumber("pairs", drift.Pairs);
                writer.WriteNumber("persisting", drift.Persisting);
                writer.WriteNumber("max", drift.MaxDrift);
                writer.WriteNumber("mean", drift.MeanDrift);
                WriteNullable(writer, "n2_delta", report.DriftScale);
                WriteNullable(writer, "max_over_n2_delta", report.DriftScale is > 0 ? drift.MaxDrift / report.DriftScale : null);
                writer.WriteEndObject();
            }
            else
            {
                writer.WriteNull("drift");
            }
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteSide(Utf8JsonWriter writer, string name, DistanceSide side)
    {
        writer.WriteStartObject(name);
        writer.WriteString("path", side.Path);
        writer.WriteNumber("frame", side.Frame);
        writer.WriteNumber("time", side.Time);
        writer.WriteNumber("particles", side.State.Count);
        writer.WriteNumber("dimension", side.State.Dimension);
        WriteNullable(writer, "delta", side.Delta);
        writer.WriteNumber("bound_distance", side.BoundDistance);
        writer.WriteNumber("dipoles", side.Dipoles.Length);
        writer.WriteStartArray("width_bin_edges");
        for (int k = 0; k <= side.Widths.Counts.Length; k++)
        {
            writer.WriteNumberValue(side.Widths.Edge(k));
        }
        writer.WriteEndArray();
        writer.WriteStartArray("width_counts");
        foreach (long count in side.Widths.Counts)
        {
            writer.WriteNumberValue(count);
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteW2(Utf8JsonWriter writer, string name, W2Result? result, double? gapBound)
    {
        if (result is null)
        {
            writer.WriteNull(name);
            return;
        }
        writer.WriteStartObject(name);
        writer.WriteNumber("value", result.Value);
        writer.WriteString("method", result.Method.ToString().ToLowerInvariant());
        writer.WriteBoolean("exact", result.IsExact);
        WriteNullable(writer, "epsilon", result.Epsilon);
        WriteNullable(writer, "squared_gap_bound", gapBound);
        writer.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter writer, string name, double? value)
    {
        if (value is { } v)
        {
            writer.WriteNumberOrNull(name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static void WriteText(CliConsole console, DistanceReport report)
    {
        var culture = CultureInfo.InvariantCulture;
        foreach (var (label, side) in new[] { ("A", report.A), ("B", report.B) })
        {
            console.Out.WriteLine(string.Create(culture,
                $"{label}: {side.Path}  frame {side.Frame} (t = {side.Time:G6})  n = {side.State.Count}  d = {side.State.Dimension}"));
        }
        console.Out.WriteLine(string.Create(culture, $"W₂(ρ⁺) = {Describe(report.W2.Positive, report.GapBound(1))}"));
        console.Out.WriteLine(string.Create(culture, $"W₂(ρ⁻) = {Describe(report.W2.Negative, report.GapBound(-1))}"));
        string Bound(DistanceSide side) => string.Create(culture,
            $"{side.Dipoles.Length} closer than {side.BoundDistance:G6}{(side.Delta is { } d ? string.Create(culture, $" (δ = {d:G6})") : "")}");
        console.Out.WriteLine($"bound dipoles (mutual nearest ± pairs): A {Bound(report.A)}, B {Bound(report.B)}");

        var table = new Table().Border(TableBorder.Rounded).AddColumn("A width").AddColumn("A").AddColumn("B width").AddColumn("B");
        string Bin(Histogram widths, int k) => Markup.Escape(string.Create(culture, $"[{widths.Edge(k):G4}, {widths.Edge(k + 1):G4})"));
        for (int k = 0; k < DistanceReport.WidthBins; k++)
        {
            table.AddRow(
                Bin(report.A.Widths, k), report.A.Widths.Counts[k].ToString(culture),
                Bin(report.B.Widths, k), report.B.Widths.Counts[k].ToString(culture));
        }
        Tables.Write(console, table);

        if (report.Drift is not { } drift)
        {
            console.Out.WriteLine("dipole drift: not measured (the frames hold different particles)");
            return;
        }
        string scale = report.DriftScale is > 0 and var s
            ? string.Create(culture, $"; n²δ = {s:G4}, max/(n²δ) = {drift.MaxDrift / s:G4}")
            : "";
        console.Out.WriteLine(string.Create(culture,
            $"dipole drift A → B: {drift.Persisting} of {drift.Pairs} dipoles persist; centre drift max {drift.MaxDrift:G4}, mean {drift.MeanDrift:G4}{scale}"));
    }

    private static string Describe(W2Result? result, double? gapBound) => result switch
    {
        null => "— (no particles of this sign)",
        { Epsilon: { } epsilon } => string.Create(CultureInfo.InvariantCulture,
            $"{result.Value:G6}  (sinkhorn, entropic ε = {epsilon:G3}; W₂² ≤ value² ≤ W₂² + ε ln n = W₂² + {gapBound:G3})"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{result.Value:G6}  ({result.Method.ToString().ToLowerInvariant()}, exact)"),
    };
}
