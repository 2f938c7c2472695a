using System.Diagnostics;
using System.Text.Json;
using HpcGB.Host.Cli;
using Microsoft.Extensions.Logging.Abstractions;

namespace HpcGB.Host.Sweeps;

/// <summary>
/// Runs one generated spec into its own directory through the same pipeline as <c>hpcgb run</c> (quietly), and
/// turns the outcome into a <see cref="SweepRunResult"/>: a run the engine rejects or that fails (a collision, a
/// method that cannot meet its tolerance, a full disk) is recorded as failed with its message and does not stop the
/// sweep; only cancellation propagates. A run cut short earlier (a killed rank, a job out of time) continues from its
/// checkpoint when the directory holds one for the same spec; anything else there is removed and the run starts at
/// t = 0.
/// </summary>
internal static class SweepRunExecutor
{
    private static readonly CliConsole Quiet = new(TextWriter.Null, TextWriter.Null, Interactive: false, HandleTermination: false);

    public static SweepRunResult Execute(SweepRun run, string directory, CancellationToken cancellationToken)
    {
        if (Directory.Exists(directory) && !RunResumption.IsUnfinishedRunOf(directory, run.Spec))
        {
            Directory.Delete(directory, recursive: true);
        }
        var clock = Stopwatch.StartNew();
        string? failure = null;
        try
        {
            new RunPipeline(Quiet, NullLogger<RunPipeline>.Instance).ExecuteOrResume(run.Spec, directory, RunOptions.Default, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception exception)
        {
            failure = exception.Message;
        }
        double seconds = clock.Elapsed.TotalSeconds;
        Directory.CreateDirectory(directory);
        var result = FromSummary(run.Index, Path.Combine(directory, RunPipeline.SummaryFile), failure, seconds);
        SweepRunRecord.Write(directory, run.SpecJson, result);
        return result;
    }

    /// <summary>The final observables from the run's summary.json (absent when the engine rejected the spec).</summary>
    private static SweepRunResult FromSummary(int index, string summaryPath, string? failure, double seconds)
    {
        if (!File.Exists(summaryPath))
        {
            return SweepRunResult.Failure(index, failure ?? "the run wrote no summary.json", seconds);
        }
        using var document = JsonDocument.Parse(File.ReadAllBytes(summaryPath));
        var frames = document.RootElement.GetProperty("observables").EnumerateArray().ToArray();
        if (frames.Length == 0)
        {
            return SweepRunResult.Failure(index, failure ?? "the run reached no output time", seconds);
        }
        var first = frames[0];
        var last = frames[^1];
        return new SweepRunResult(
            index,
            failure is null ? SweepRunResult.Completed : SweepRunResult.Failed,
            failure,
            frames.Length,
            Number(last, "time"),
            Number(first, "energy"),
            Number(last, "energy"),
            Number(last, "max_speed"),
            last.GetProperty("bound_dipoles").GetInt64(),
            last.GetProperty("accepted_steps").GetInt64(),
            last.GetProperty("rejected_steps").GetInt64(),
            last.GetProperty("force_evaluations").GetInt64(),
            seconds);
    }

    private static double? Number(JsonElement frame, string name) =>
        frame.GetProperty(name) is { ValueKind: JsonValueKind.Number } value ? value.GetDouble() : null;
}
