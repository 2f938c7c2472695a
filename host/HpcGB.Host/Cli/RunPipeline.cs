using System.Diagnostics;
using System.Globalization;
using HpcGB.Engine.Integrators;
using HpcGB.Engine.Model;
using HpcGB.Engine.Simulation;
using HpcGB.Engine.Spec;
using HpcGB.Host.Output;
using HpcGB.Host.Service;
using HpcGB.Interop;
using Capabilities = HpcGB.Interop.Capabilities;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace HpcGB.Host.Cli;

/// <summary>How a run writes and checkpoints its outputs.</summary>
/// <param name="Checkpoints">When to checkpoint between frames.</param>
/// <param name="ExtraOutputs">Files the caller already wrote into the directory (e.g. the demo's spec.json), for the listing.</param>
internal sealed record RunOptions(CheckpointPolicy Checkpoints, IReadOnlyList<KeyValuePair<string, string>> ExtraOutputs)
{
    public static RunOptions Default { get; } = new(CheckpointPolicy.Default, []);
}

/// <summary>
/// One simulation with its outputs, shared by <c>run</c>, <c>resume</c> and <c>demo</c>: summary.json, trajectory.h5
/// (streamed frame by frame), checkpoint.hpcgbckp, energy.png and particles.png in the output directory, progress on
/// stderr and a summary table on stdout. The trajectory is written to trajectory.h5.partial and renamed over
/// trajectory.h5 at every checkpoint and at the end, before the checkpoint itself is written, so the checkpoint never
/// refers to frames the trajectory lacks. A cancelled or failed run still closes its files with the frames reached
/// and checkpoints its last frame, then rethrows.
/// </summary>
internal sealed class RunPipeline(CliConsole console, ILogger logger)
{
    public const string SummaryFile = "summary.json";
    public const string TrajectoryFile = "trajectory.h5";
    public const string CheckpointFileName = "checkpoint.hpcgbckp";
    public const string EnergyPlotFile = "energy.png";
    public const string ParticlesPlotFile = "particles.png";

    private const string PartialSuffix = ".partial";

    /// <summary>Runs <paramref name="spec"/> from t = 0 into <paramref name="outputDirectory"/> (created if needed).</summary>
    public int Execute(SimulationSpec spec, string outputDirectory, RunOptions options, CancellationToken cancellationToken)
    {
        // The runner first (initial particles, evaluator, integrator), so that a spec the engine rejects leaves no
        // output directory behind.
        var setup = Stopwatch.StartNew();
        using var runner = new SimulationRunner(spec);
        return Execute(new RunStart(runner, CopiedFrames: 0, setup), outputDirectory, options, cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="spec"/> into <paramref name="directory"/>, continuing from the directory's checkpoint when
    /// it holds an unfinished run of the same spec (an interrupted sweep or batch job), else from t = 0.
    /// </summary>
    public int ExecuteOrResume(SimulationSpec spec, string directory, RunOptions options, CancellationToken cancellationToken) =>
        RunResumption.IsUnfinishedRunOf(directory, spec)
            ? Resume(directory, end: null, options, cancellationToken)
            : Execute(spec, directory, options, cancellationToken);

    /// <summary>
    /// Continues the run in <paramref name="directory"/> from its checkpoint: an interrupted run to its end, or a
    /// finished one to <paramref name="end"/> (more frames at the same interval). Bad input (no checkpoint, an end
    /// that does not extend the run) is a <see cref="SpecException"/>.
    /// </summary>
    public int Resume(string directory, double? end, RunOptions options, CancellationToken cancellationToken)
    {
        var setup = Stopwatch.StartNew();
        directory = Path.GetFullPath(directory);
        var (spec, signs, checkpoint, _) = RunResumption.Load(directory, end);
        SimulationRunner runner;
        try
        {
            runner = SimulationRunner.Resume(spec, signs, checkpoint);
        }
        catch (ArgumentException exception)
        {
            throw new SpecException(Path.Combine(directory, CheckpointFileName), exception.Message);
        }
        using (runner)
        {
            logger.LogInformation("resuming at t = {Time}, frame {Frame} of {Frames}", checkpoint.Time, checkpoint.NextFrame, spec.Time.Outputs);
            return Execute(new RunStart(runner, checkpoint.NextFrame, setup), directory, options, cancellationToken);
        }
    }

    /// <summary>Where a run starts: a runner at t = 0, or resumed at a checkpoint whose frames are in trajectory.h5.</summary>
    private sealed record RunStart(SimulationRunner Runner, int CopiedFrames, Stopwatch Setup);

    private int Execute(RunStart start, string outputDirectory, RunOptions options, CancellationToken cancellationToken)
    {
        var total = start.Setup;
        var phases = new List<KeyValuePair<string, double>>();
        var runner = start.Runner;
        var spec = runner.Spec;

        string directory = Path.GetFullPath(outputDirectory);
        Directory.CreateDirectory(directory);
        console.Out.WriteLine($"output directory: {directory}");
        string specJson = SpecWriter.ToJson(spec);
        var capabilities = Capabilities.Detect();
        var fonts = FontStatus.Detect();
        if (!fonts.Found)
        {
            logger.LogWarning(
                "no fonts found: plots will have no text; install the Debian package {Package}", FontStatus.DebianPackage);
        }
        sbyte[] signs = runner.State.Signs;
        int dimension = runner.State.Dimension;
        int plannedFrames = spec.Time.Outputs;
        string evaluatorName = runner.Evaluator.Name;
        string integratorName = runner.IntegratorName;
        logger.LogInformation(
            "n = {Count}, d = {Dimension}, evaluator {Evaluator}, integrator {Integrator}, {Outputs} outputs to t = {End}",
            signs.Length, dimension, evaluatorName, integratorName, plannedFrames, spec.Time.End);

        var paths = new RunPaths(directory);
        var layout = new TrajectoryLayout(specJson, plannedFrames, signs, dimension, runner.BoundDistance, spec.Outputs.Velocities);
        File.Delete(paths.PartialTrajectory);
        var trajectory = TrajectoryWriter.Create(paths.PartialTrajectory, layout);
        var frames = new List<FrameRecord>(plannedFrames);
        double[][]? initialPositions = null;
        if (start.CopiedFrames > 0)
        {
            frames.AddRange(WithWallTimes(trajectory.CopyFrom(paths.Trajectory, start.CopiedFrames), Path.Combine(directory, SummaryFile)));
            initialPositions = trajectory.FirstFrame;
        }
        double wallOffset = frames.Count > 0 && double.IsFinite(frames[^1].WallSeconds) ? frames[^1].WallSeconds : 0;
        ParticleState? lastState = null;
        var boundary = runner.Capture();
        string status = "completed";
        string? error = null;
        Exception? failure = null;
        phases.Add(new("setup", total.Elapsed.TotalSeconds));

        // Simulate, streaming every output frame into the trajectory file and checkpointing as the policy says.
        var phase = Stopwatch.StartNew();
        double outputSeconds = 0;
        int framesSinceCheckpoint = 0;
        var sinceCheckpoint = Stopwatch.StartNew();
        try
        {
            ProgressReporter.Run(console, plannedFrames, spec.Time.End, runner.Time, (report, progress) =>
            {
                runner.Progress = progress;
                return runner.Run(
                    frame =>
                    {
                        long started = Stopwatch.GetTimestamp();
                        var record = ToRecord(frame, wallOffset + phase.Elapsed.TotalSeconds);
                        trajectory.Append(record, frame.State, frame.Velocity);
                        frames.Add(record);
                        lastState = frame.State; // a snapshot the runner hands over
                        boundary = runner.Capture();
                        framesSinceCheckpoint++;
                        if (!runner.IsFinished && options.Checkpoints.IsDue(framesSinceCheckpoint, sinceCheckpoint.Elapsed))
                        {
                            trajectory = Checkpoint(trajectory, paths, layout, CheckpointAt(specJson, signs, boundary), reopen: true)!;
                            framesSinceCheckpoint = 0;
                            sinceCheckpoint.Restart();
                        }
                        outputSeconds += Stopwatch.GetElapsedTime(started).TotalSeconds;
                        report(record);
                    },
                    cancellationToken);
            });
        }
        catch (OperationCanceledException exception)
        {
            (status, error, failure) = ("cancelled", "cancelled", exception);
        }
        catch (SimulationException exception)
        {
            (status, error, failure) = ("failed", exception.Message, exception);
        }
        catch (Exception exception) when (OutputGuard.IsWriteFailure(exception))
        {
            // Disk full or the like: the partial trajectory is no result (trajectory.h5 and the checkpoint, if any,
            // still hold the frames up to the last checkpoint).
            trajectory.Abandon();
            throw OutputGuard.Removed(paths.PartialTrajectory, exception);
        }
        finally
        {
            runner.Progress = null;
        }
        phases.Add(new("simulation", phase.Elapsed.TotalSeconds - outputSeconds));
        phase.Restart();
        Checkpoint(trajectory, paths, layout, CheckpointAt(specJson, signs, boundary), reopen: false);
        phases.Add(new("trajectory", phase.Elapsed.TotalSeconds + outputSeconds));

        // Plot the energy history and the first and last configurations.
        phase.Restart();
        var outputs = new List<KeyValuePair<string, string>>(options.ExtraOutputs)
        {
            new("trajectory", paths.Trajectory),
            new("checkpoint", paths.Checkpoint),
        };
        string caption = Caption(spec, signs.Length);
        if (frames.Count > 0)
        {
            string energyPath = Path.Combine(directory, EnergyPlotFile);
            Plots.WriteEnergy(energyPath, frames, caption);
            outputs.Add(new("energy_plot", energyPath));
        }
        string particlesPath = Path.Combine(directory, ParticlesPlotFile);
        initialPositions ??= Plots.Wrap(runner.InitialState);
        var lastPositions = Plots.Wrap(lastState ?? new ParticleState(boundary.Positions, signs));
        double lastTime = boundary.Time;
        Plots.WriteParticles(
            particlesPath, initialPositions, lastPositions, lastTime, signs, caption, spec.System.External, runner.BoundDistance);
        outputs.Add(new("particles_plot", particlesPath));
        if (frames.Any(f => f.BoundDipoles > 0))
        {
            // Widths and centre drift over time: for tight dipoles the particles plot shows only identical glyphs.
            string dipolesPath = Path.Combine(directory, DipolesCommand.PlotFile);
            using (var reader = TrajectoryReader.Open(paths.Trajectory))
            {
                DipolePlots.Write(dipolesPath, DipoleSeries.Measure(reader, CancellationToken.None), caption);
            }
            outputs.Add(new("dipoles_plot", dipolesPath));
        }
        phases.Add(new("plots", phase.Elapsed.TotalSeconds));

        var accuracy = AccuracyReport.For(runner.Integrator);
        string summaryPath = Path.Combine(directory, SummaryFile);
        outputs.Insert(0, new("summary", summaryPath));
        SummaryWriter.Write(summaryPath, new RunSummary(
            status, error, specJson, evaluatorName, runner.Evaluator.Parameters, integratorName, signs, dimension, plannedFrames, frames,
            total.Elapsed.TotalSeconds, phases, capabilities, fonts, outputs)
        {
            Accuracy = accuracy,
        });

        WriteTable(console, status, frames, plannedFrames, evaluatorName, integratorName, signs.Length, total.Elapsed, outputs, accuracy);
        if (failure is not null)
        {
            // Keep the original exception type: the CLI maps it to its exit code and error line.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        }
        return ExitCodes.Success;
    }

    /// <summary>What the checkpoint at <paramref name="boundary"/> holds; null before frame 0 or without the integrator's state.</summary>
    internal static CheckpointData? CheckpointAt(string specJson, sbyte[] signs, SimulationCheckpoint boundary, int[]? slabs = null) =>
        boundary.NextFrame > 0 && boundary.Integrator is not null
            ? new CheckpointData(specJson, signs, RunSnapshot.At(boundary, last: null), slabs)
            : null;

    /// <summary>
    /// Closes the partial trajectory, renames it over trajectory.h5, then writes the checkpoint <paramref name="data"/>
    /// (if any); with <paramref name="reopen"/> a new partial file continues with a copy of the frames.
    /// </summary>
    internal static TrajectoryWriter? Checkpoint(
        TrajectoryWriter trajectory, RunPaths paths, TrajectoryLayout layout, CheckpointData? data, bool reopen)
    {
        int written = trajectory.FramesWritten;
        trajectory.Complete();
        File.Move(paths.PartialTrajectory, paths.Trajectory, overwrite: true);
        if (data is not null)
        {
            CheckpointFile.Save(paths.Checkpoint, data, overwrite: true);
        }
        if (!reopen)
        {
            return null;
        }
        var next = TrajectoryWriter.Create(paths.PartialTrajectory, layout);
        next.CopyFrom(paths.Trajectory, written);
        return next;
    }

    /// <summary>The earlier frames' wall seconds from the earlier summary.json, where it has them.</summary>
    internal static IEnumerable<FrameRecord> WithWallTimes(IReadOnlyList<FrameRecord> frames, string summaryPath)
    {
        var wall = new Dictionary<int, double>();
        try
        {
            using var summary = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(summaryPath));
            foreach (var row in summary.RootElement.GetProperty("observables").EnumerateArray())
            {
                if (row.GetProperty("wall_seconds").TryGetDouble(out double seconds))
                {
                    wall[row.GetProperty("index").GetInt32()] = seconds;
                }
            }
        }
        catch (Exception exception) when (exception is IOException or System.Text.Json.JsonException or KeyNotFoundException or InvalidOperationException)
        {
            // Without the earlier summary the earlier frames' wall times are unknown (null in the new one).
        }
        return frames.Select(frame => wall.TryGetValue(frame.Index, out double seconds) ? frame with { WallSeconds = seconds } : frame);
    }

    private static FrameRecord ToRecord(Frame frame, double wallSeconds)
    {
        var o = frame.Observables;
        return new FrameRecord(
            frame.Index, o.Time, o.Energy, o.MaxSpeed, (double[])o.Centroid.Clone(), o.BoundDipoles,
            o.AcceptedSteps, o.RejectedSteps, o.ForceEvaluations, wallSeconds);
    }

    internal static string Caption(SimulationSpec spec, int count)
    {
        var system = spec.System;
        string kernel = system.Kernel.ToString().ToLowerInvariant();
        string regularization = system.Regularization.Type.ToString().ToLowerInvariant();
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{system.Dimension}D {kernel}, {system.Mobility.ToString().ToLowerInvariant()}, n = {count}, " +
            $"{regularization} δ = {PlotTheme.Number(system.Regularization.Delta)}");
    }

    /// <summary>The summary table a run prints on stdout.</summary>
    internal static void WriteTable(
        CliConsole console,
        string status,
        IReadOnlyList<FrameRecord> frames,
        int plannedFrames,
        string evaluator,
        string integrator,
        int count,
        TimeSpan wall,
        IReadOnlyList<KeyValuePair<string, string>> outputs,
        AccuracyReport? accuracy = null)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn("quantity").AddColumn("value");
        var last = frames.Count > 0 ? frames[^1] : null;
        table.AddRow("status", status);
        table.AddRow("particles", count.ToString(CultureInfo.InvariantCulture));
        table.AddRow("methods", Markup.Escape($"{evaluator} forces, {integrator} integrator"));
        table.AddRow("frames", $"{frames.Count}/{plannedFrames}");
        if (last is not null)
        {
            table.AddRow("final time", last.Time.ToString("G6", CultureInfo.InvariantCulture));
            table.AddRow("final energy", last.Energy.ToString("G10", CultureInfo.InvariantCulture));
            table.AddRow("initial energy", frames[0].Energy.ToString("G10", CultureInfo.InvariantCulture));
            table.AddRow("bound dipoles", last.BoundDipoles.ToString(CultureInfo.InvariantCulture));
            table.AddRow("steps", $"{last.AcceptedSteps} accepted, {last.RejectedSteps} rejected");
            table.AddRow("force evaluations", last.ForceEvaluations.ToString(CultureInfo.InvariantCulture));
            if (accuracy?.GlobalErrorEstimate is { } estimate)
            {
                table.AddRow("global error (estimate)", Markup.Escape(
                    $"{estimate.ToString("E1", CultureInfo.InvariantCulture)} (local errors added up; rtol bounds the error {accuracy.Control.Replace('_', ' ')})"));
            }
        }
        table.AddRow("wall time", $"{wall.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture)} s");
        foreach (var (role, path) in outputs)
        {
            table.AddRow(Markup.Escape(role), Markup.Escape(path));
        }
        Tables.Write(console, table);
    }

    /// <summary>The files of a run directory.</summary>
    internal sealed record RunPaths(string Directory)
    {
        public string Trajectory => Path.Combine(Directory, TrajectoryFile);

        public string PartialTrajectory => Trajectory + PartialSuffix;

        public string Checkpoint => Path.Combine(Directory, CheckpointFileName);
    }
}
