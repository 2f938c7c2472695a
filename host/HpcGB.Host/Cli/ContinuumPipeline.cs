using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using HpcGB.Engine.Continuum;
using HpcGB.Engine.Spec;
using HpcGB.Host.Output;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace HpcGB.Host.Cli;

/// <summary>
/// <c>hpcgb run</c> for a <c>"model": "continuum"</c> spec: the Groma–Balogh solver through every output time, then
/// summary.json, continuum.h5, densities.png and observables.png in the output directory; one progress line per
/// frame on stderr and a summary table on stdout. A cancelled or failed run still writes its outputs for the frames
/// reached, then rethrows.
/// </summary>
internal sealed class ContinuumPipeline(CliConsole console, ILogger logger)
{
    public const string SummaryFile = "summary.json";
    public const string FieldsFile = "continuum.h5";
    public const string DensitiesPlotFile = "densities.png";
    public const string ObservablesPlotFile = "observables.png";

    public int Execute(ContinuumSpec spec, string outputDirectory, CancellationToken cancellationToken)
    {
        var total = Stopwatch.StartNew();
        string specJson = SpecWriter.ToJson(spec);
        using var solver = ContinuumSetup.CreateSolver(spec);
        string directory = Path.GetFullPath(outputDirectory);
        Directory.CreateDirectory(directory);
        console.Out.WriteLine($"output directory: {directory}");
        var grid = solver.Grid;
        logger.LogInformation("continuum grid [{Grid}], {Outputs} outputs to t = {End}", string.Join(", ", spec.Grid), spec.Outputs, spec.End);

        var frames = new List<ContinuumFrame>(spec.Outputs);
        string status = "completed";
        Exception? failure = null;
        try
        {
            solver.Run(ContinuumSetup.OutputTimes(spec), frame =>
            {
                frames.Add(frame);
                var o = frame.Observables;
                console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"frame {frame.Index + 1}/{spec.Outputs}  t={o.Time:G6}  energy={o.Energy:G8}  entropy={o.Entropy:G8}  " +
                    $"max_speed={o.MaxSpeed:G4}  steps={o.Steps}  wall={total.Elapsed.TotalSeconds:F2}s"));
            }, cancellationToken);
        }
        catch (OperationCanceledException exception)
        {
            (status, failure) = ("cancelled", exception);
        }
        catch (Engine.Simulation.SimulationException exception)
        {
            (status, failure) = ("failed", exception);
        }
        double simulationSeconds = total.Elapsed.TotalSeconds;

        string caption = Caption(spec);
        var outputs = new List<KeyValuePair<string, string>>();
        string fieldsPath = Path.Combine(directory, FieldsFile);
        ContinuumWriter.Write(fieldsPath, specJson, spec.Grid, spec.Outputs, frames);
        outputs.Add(new("fields", fieldsPath));
        if (frames.Count > 0)
        {
            string densitiesPath = Path.Combine(directory, DensitiesPlotFile);
            ContinuumPlots.WriteDensities(densitiesPath, grid, frames[0], frames[^1], caption);
            outputs.Add(new("densities_plot", densitiesPath));
            string observablesPath = Path.Combine(directory, ObservablesPlotFile);
            ContinuumPlots.WriteObservables(observablesPath, frames, caption);
            outputs.Add(new("observables_plot", observablesPath));
        }
        string summaryPath = Path.Combine(directory, SummaryFile);
        outputs.Insert(0, new("summary", summaryPath));
        WriteSummary(summaryPath, spec, specJson, status, failure, frames, simulationSeconds, total.Elapsed.TotalSeconds, outputs);
        WriteTable(status, frames, spec, total.Elapsed, outputs);
        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        }
        return ExitCodes.Success;
    }

    private static string Caption(ContinuumSpec spec)
    {
        var system = spec.System;
        return string.Create(CultureInfo.InvariantCulture,
            $"continuum {system.Dimension}D {system.Kernel.ToString().ToLowerInvariant()}, " +
            $"{system.Mobility.ToString().ToLowerInvariant()}, grid {string.Join("×", spec.Grid)}, " +
            $"{system.Regularization.Type.ToString().ToLowerInvariant()} δ = {system.Regularization.Delta:G4}");
    }

    private static void WriteSummary(
        string path, ContinuumSpec spec, string specJson, string status, Exception? failure, IReadOnlyList<ContinuumFrame> frames,
        double simulationSeconds, double totalSeconds, IReadOnlyList<KeyValuePair<string, string>> outputs)
    {
        using var stream = File.Create(path);
        using var writer = new Utf8JsonWriter(stream, JsonOutput.Indented);
        writer.WriteStartObject();
        JsonOutput.WriteEngine(writer);
        writer.WriteString("status", status);
        if (failure is not null && status == "failed")
        {
            writer.WriteString("error", failure.Message);
        }
        writer.WriteString("model", "continuum");
        JsonOutput.WriteSpec(writer, specJson);
        writer.WriteStartObject("methods");
        writer.WriteString("space", "finite volumes: MUSCL, monotonised-central limiter, upwind fluxes; drift by FFT");
        writer.WriteString("time", "SSP-RK3");
        writer.WriteNumber("cfl", spec.Cfl);
        writer.WriteStartArray("grid");
        foreach (int m in spec.Grid)
        {
            writer.WriteNumberValue(m);
        }
        writer.WriteEndArray();
        writer.WriteString("normalisation", "densities scaled together to total mass 1");
        writer.WriteEndObject();
        writer.WriteNumber("planned_outputs", spec.Outputs);
        writer.WriteStartArray("observables");
        foreach (var frame in frames)
        {
            var o = frame.Observables;
            writer.WriteStartObject();
            writer.WriteNumber("index", frame.Index);
            writer.WriteNumberOrNull("time", o.Time);
            writer.WriteNumberOrNull("mass_positive", o.PositiveMass);
            writer.WriteNumberOrNull("mass_negative", o.NegativeMass);
            writer.WriteNumberOrNull("energy", o.Energy);
            writer.WriteNumberOrNull("entropy", o.Entropy);
            writer.WriteNumberOrNull("max_speed", o.MaxSpeed);
            writer.WriteNumberOrNull("min_density", o.MinDensity);
            writer.WriteNumber("steps", o.Steps);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteStartObject("timings");
        writer.WriteNumber("simulation_seconds", simulationSeconds);
        writer.WriteNumber("total_seconds", totalSeconds);
        writer.WriteEndObject();
        writer.WriteStartObject("outputs");
        foreach (var (role, file) in outputs)
        {
            writer.WriteString(role, file);
        }
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private void WriteTable(
        string status, IReadOnlyList<ContinuumFrame> frames, ContinuumSpec spec, TimeSpan wall,
        IReadOnlyList<KeyValuePair<string, string>> outputs)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn("quantity").AddColumn("value");
        table.AddRow("status", status);
        table.AddRow("model", "continuum (Groma–Balogh)");
        table.AddRow("grid", string.Join(" × ", spec.Grid));
        table.AddRow("frames", $"{frames.Count}/{spec.Outputs}");
        if (frames.Count > 0)
        {
            var first = frames[0].Observables;
            var last = frames[^1].Observables;
            table.AddRow("final time", last.Time.ToString("G6", CultureInfo.InvariantCulture));
            table.AddRow("energy", $"{first.Energy.ToString("G10", CultureInfo.InvariantCulture)} → {last.Energy.ToString("G10", CultureInfo.InvariantCulture)}");
            table.AddRow("mass +/−", $"{last.PositiveMass.ToString("R", CultureInfo.InvariantCulture)} / {last.NegativeMass.ToString("R", CultureInfo.InvariantCulture)}");
            table.AddRow("steps", last.Steps.ToString(CultureInfo.InvariantCulture));
        }
        table.AddRow("wall time", $"{wall.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture)} s");
        foreach (var (role, path) in outputs)
        {
            table.AddRow(Markup.Escape(role), Markup.Escape(path));
        }
        Tables.Write(console, table);
    }
}
