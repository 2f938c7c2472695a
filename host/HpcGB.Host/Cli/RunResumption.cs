using System.Globalization;
using HpcGB.Engine.Simulation;
using HpcGB.Engine.Spec;
using HpcGB.Host.Service;
using MessagePack;

namespace HpcGB.Host.Cli;

/// <summary>
/// What <c>hpcgb resume DIR [--end T2]</c> continues from: the spec, signs and checkpoint of the run directory, with the
/// spec's end moved to T2 for an extension. Every problem is a <see cref="SpecException"/> naming the file or option.
/// </summary>
internal static class RunResumption
{
    public const string EndOption = "--end";

    /// <summary>The run to continue, with the slabs of a run across MPI ranks (else null); its trajectory must be there.</summary>
    public static (SimulationSpec Spec, sbyte[] Signs, SimulationCheckpoint Checkpoint, int[]? Slabs) Load(string directory, double? end)
    {
        string path = Path.Combine(directory, RunPipeline.CheckpointFileName);
        if (!Directory.Exists(directory))
        {
            throw new SpecException(directory, "no such run directory");
        }
        if (!File.Exists(path))
        {
            throw new SpecException(directory, $"holds no {RunPipeline.CheckpointFileName}; is it the output directory of 'hpcgb run'?");
        }
        CheckpointData data;
        try
        {
            data = CheckpointFile.Load(path);
        }
        catch (Exception exception) when (exception is FormatException or MessagePackSerializationException)
        {
            throw new SpecException(path, $"unreadable checkpoint: {exception.Message}");
        }
        SimulationSpec spec;
        try
        {
            spec = SpecReader.Parse(data.SpecJson);
        }
        catch (SpecException exception)
        {
            throw new SpecException(path, $"its spec no longer validates: {exception.Path}: {exception.Reason}");
        }
        var checkpoint = data.Snapshot.ToCheckpoint();
        if (end is { } newEnd)
        {
            spec = Extended(spec, newEnd, checkpoint.NextFrame);
        }
        else if (checkpoint.NextFrame >= spec.Time.Outputs)
        {
            throw new SpecException(EndOption, $"the run is finished at t = {Format(spec.Time.End)}; give a later end to extend it");
        }
        if (!File.Exists(Path.Combine(directory, RunPipeline.TrajectoryFile)))
        {
            throw new SpecException(directory, $"{RunPipeline.TrajectoryFile} is missing; the checkpoint needs its first {checkpoint.NextFrame} frames");
        }
        return (spec, data.Signs, checkpoint, data.Slabs);
    }

    /// <summary>Whether <paramref name="directory"/> holds a readable checkpoint of <paramref name="spec"/> short of its end,
    /// with its trajectory.</summary>
    public static bool IsUnfinishedRunOf(string directory, SimulationSpec spec)
    {
        string path = Path.Combine(directory, RunPipeline.CheckpointFileName);
        if (!File.Exists(path) || !File.Exists(Path.Combine(directory, RunPipeline.TrajectoryFile)))
        {
            return false;
        }
        try
        {
            var data = CheckpointFile.Load(path);
            return data.SpecJson == SpecWriter.ToJson(spec) && data.Snapshot.NextFrame < spec.Time.Outputs;
        }
        catch (Exception exception) when (exception is FormatException or MessagePackSerializationException or IOException)
        {
            return false;
        }
    }

    /// <summary>
    /// <paramref name="spec"/> run to <paramref name="end"/> with output frames at the same interval Δ = T/(K − 1): K' − 1
    /// = (K − 1)·T2/T must be a whole number, and the first <paramref name="framesDone"/> output times must come out
    /// the same to the last bit, so that the extended run equals a run made to T2 from the start.
    /// </summary>
    internal static SimulationSpec Extended(SimulationSpec spec, double end, int framesDone)
    {
        var time = spec.Time;
        double interval = time.End / (time.Outputs - 1);
        if (!(double.IsFinite(end) && end > time.End))
        {
            throw new SpecException(EndOption, $"must be later than the run's end {Format(time.End)}, got {Format(end)}");
        }
        double intervals = (time.Outputs - 1) * end / time.End;
        double whole = Math.Round(intervals);
        if (Math.Abs(intervals - whole) > 1e-9 * whole || whole + 1 > int.MaxValue)
        {
            throw new SpecException(EndOption,
                $"{Format(end)} is not a whole number of output intervals Δ = {Format(interval)}; try {Format(Math.Ceiling(intervals) * interval)}");
        }
        var extended = spec with { Time = time with { End = end, Outputs = (int)whole + 1 } };
        for (int k = 0; k < framesDone; k++)
        {
            if (extended.Time.OutputTime(k) != time.OutputTime(k))
            {
                throw new SpecException(EndOption,
                    $"with end {Format(end)} output time {k} would be {Format(extended.Time.OutputTime(k))} instead of "
                    + $"{Format(time.OutputTime(k))}; choose an end that is an exact multiple of the run's end");
            }
        }
        return extended;
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
