using System.Text.Json;
using HpcGB.Engine.Integrators;
using HpcGB.Interop;

namespace HpcGB.Host.Output;

/// <summary>Everything <c>summary.json</c> records about one run.</summary>
/// <param name="Status">"completed", "cancelled" or "failed".</param>
/// <param name="Error">The failure message when <paramref name="Status"/> is "failed".</param>
/// <param name="SpecJson">The normalised spec (SpecWriter), echoed as a JSON object.</param>
/// <param name="Phases">Wall seconds per phase in order (setup, simulation, trajectory, plots).</param>
/// <param name="Outputs">File role → path of every output written.</param>
internal sealed record RunSummary(
    string Status,
    string? Error,
    string SpecJson,
    string Evaluator,
    IReadOnlyDictionary<string, object> ForceParameters,
    string Integrator,
    sbyte[] Signs,
    int Dimension,
    int PlannedFrames,
    IReadOnlyList<FrameRecord> Frames,
    double TotalSeconds,
    IReadOnlyList<KeyValuePair<string, double>> Phases,
    Capabilities Capabilities,
    FontStatus Fonts,
    IReadOnlyList<KeyValuePair<string, string>> Outputs)
{
    /// <summary>A run across MPI ranks: ranks, slabs, load balance and traffic (docs/distributed.md); null otherwise.</summary>
    public IReadOnlyDictionary<string, object>? Distributed { get; init; }

    /// <summary>What rtol means for the global error, and its estimate (issue 18).</summary>
    public AccuracyReport? Accuracy { get; init; }
}

/// <summary>
/// Writes <c>summary.json</c>: engine version, status, the spec echo, the chosen methods, the particle counts,
/// the observables table (one object per output time), timings and the machine's capabilities.
/// Non-finite numbers are written as null.
/// </summary>
internal static class SummaryWriter
{
    public static void Write(string path, RunSummary summary)
    {
        using var stream = File.Create(path);
        using var writer = new Utf8JsonWriter(stream, JsonOutput.Indented);
        writer.WriteStartObject();

        JsonOutput.WriteEngine(writer);

        writer.WriteString("status", summary.Status);
        if (summary.Error is not null)
        {
            writer.WriteString("error", summary.Error);
        }

        JsonOutput.WriteSpec(writer, summary.SpecJson);

        writer.WriteStartObject("methods");
        writer.WriteString("evaluator", summary.Evaluator);
        writer.WritePropertyName("forces");
        JsonOutput.WriteParameters(writer, summary.ForceParameters);
        writer.WriteString("integrator", summary.Integrator);
        writer.WriteEndObject();

        writer.WriteStartObject("particles");
        writer.WriteNumber("count", summary.Signs.Length);
        writer.WriteNumber("dimension", summary.Dimension);
        writer.WriteNumber("positive", summary.Signs.Count(s => s > 0));
        writer.WriteNumber("negative", summary.Signs.Count(s => s < 0));
        writer.WriteEndObject();

        if (summary.Accuracy is { } accuracy)
        {
            writer.WriteStartObject("accuracy");
            writer.WriteString("control", accuracy.Control);
            writer.WriteNumberOrNull("global_error_estimate", accuracy.GlobalErrorEstimate ?? double.NaN);
            writer.WriteString("meaning", accuracy.Meaning);
            writer.WriteEndObject();
        }

        writer.WriteNumber("planned_outputs", summary.PlannedFrames);
        writer.WriteStartArray("observables");
        foreach (var frame in summary.Frames)
        {
            WriteFrame(writer, frame);
        }
        writer.WriteEndArray();

        writer.WriteStartObject("timings");
        writer.WriteNumber("total_seconds", summary.TotalSeconds);
        writer.WriteStartObject("phases_seconds");
        foreach (var (phase, seconds) in summary.Phases)
        {
            writer.WriteNumber(phase, seconds);
        }
        writer.WriteEndObject();
        writer.WriteEndObject();

        writer.WriteStartObject("outputs");
        foreach (var (role, file) in summary.Outputs)
        {
            writer.WriteString(role, file);
        }
        writer.WriteEndObject();

        if (summary.Distributed is { } distributed)
        {
            writer.WritePropertyName("distributed");
            JsonOutput.WriteParameters(writer, distributed);
        }

        writer.WritePropertyName("capabilities");
        JsonOutput.WriteCapabilities(writer, summary.Capabilities, summary.Fonts);

        writer.WriteEndObject();
    }

    private static void WriteFrame(Utf8JsonWriter writer, FrameRecord frame)
    {
        writer.WriteStartObject();
        writer.WriteNumber("index", frame.Index);
        writer.WriteNumberOrNull("time", frame.Time);
        writer.WriteNumberOrNull("energy", frame.Energy);
        writer.WriteNumberOrNull("max_speed", frame.MaxSpeed);
        writer.WriteStartArray("centroid");
        foreach (double c in frame.Centroid)
        {
            if (double.IsFinite(c))
            {
                writer.WriteNumberValue(c);
            }
            else
            {
                writer.WriteNullValue();
            }
        }
        writer.WriteEndArray();
        writer.WriteNumber("bound_dipoles", frame.BoundDipoles);
        writer.WriteNumber("accepted_steps", frame.AcceptedSteps);
        writer.WriteNumber("rejected_steps", frame.RejectedSteps);
        writer.WriteNumber("force_evaluations", frame.ForceEvaluations);
        writer.WriteNumberOrNull("wall_seconds", frame.WallSeconds);
        writer.WriteEndObject();
    }
}
