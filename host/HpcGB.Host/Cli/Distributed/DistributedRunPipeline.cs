using System.Diagnostics;
using HpcGB.Engine.Analysis;
using HpcGB.Engine.Distributed;
using HpcGB.Engine.Simulation;
using HpcGB.Engine.Spec;
using HpcGB.Host.Output;
using Microsoft.Extensions.Logging;
using Capabilities = HpcGB.Interop.Capabilities;

namespace HpcGB.Host.Cli.Distributed;

/// <summary>
/// <c>hpcgb run</c> and <c>hpcgb resume</c> across ranks: every rank runs its slab (<see cref="DistributedRunner"/>),
/// rank 0 writes the serial run's outputs — trajectory.h5 (each frame streamed in blocks of the serial order, so rank 0
/// never holds a whole frame), checkpoint.hpcgbckp, summary.json (with a <c>distributed</c> section: ranks, slabs, load
/// balance, traffic per phase), energy.png, particles.png and dipoles.png from the trajectory — and prints the same
/// table. Checkpoints are the serial run's files, written at the same points (as the policy says, on Ctrl+C / SIGTERM,
/// at the end): the run's state at the last frame is gathered to rank 0 in the serial order, with the slabs, so that
/// <c>hpcgb resume</c> continues it on any number of ranks, serially included, and a serial run's checkpoint across
/// ranks. A failed or cancelled run keeps the frames reached, as a serial one does.
/// </summary>
internal sealed class DistributedRunPipeline(CliConsole console, ILogger logger, Communicator communicator)
{
    /// <summary>Runs <paramref name="spec"/> from t = 0 (every rank calls it).</summary>
    public int Execute(SimulationSpec spec, string outputDirectory, CheckpointPolicy checkpoints, CancellationToken cancellationToken)
    {
        var total = Stopwatch.StartNew();
        using var system = DistributedSystem.Create(spec, communicator);
        return Execute(system, Path.GetFullPath(outputDirectory), copiedFrames: 0, checkpoints, total, cancellationToken);
    }

    /// <summary>
    /// Continues the run in <paramref name="directory"/> from its checkpoint (written by a serial or a distributed
    /// run), as <see cref="RunPipeline.Resume"/> does: rank 0 reads it and tells the other ranks the spec, then scatters
    /// the particles. Every rank calls it; only rank 0 needs to see the directory.
    /// </summary>
    public int Resume(string directory, double? end, CheckpointPolicy checkpoints, CancellationToken cancellationToken)
    {
        var total = Stopwatch.StartNew();
        directory = Path.GetFullPath(directory);
        var (spec, checkpoint) = DistributedResumption.Load(communicator, directory, end);
        DistributedSystem system;
        try
        {
            system = DistributedSystem.Create(spec, communicator, checkpoint);
        }
        catch (ArgumentException exception)
        {
            throw new SpecException(Path.Combine(directory, RunPipeline.CheckpointFileName), exception.Message);
        }
        using (system)
        {
            if (checkpoint is not null)
            {
                logger.LogInformation("resuming at t = {Time}, frame {Frame} of {Frames}", checkpoint.Run.Time, checkpoint.Run.NextFrame, spec.Time.Outputs);
            }
            int copied = system.Resumed?.NextFrame ?? 0;
            return Execute(system, directory, copied, checkpoints, total, cancellationToken);
        }
    }

    private int Execute(DistributedSystem system, string directory, int copiedFrames, CheckpointPolicy checkpoints, Stopwatch total,
        CancellationToken cancellationToken)
    {
        var spec = system.Spec;
        using var runner = new DistributedRunner(system);
        bool root = communicator.Rank == 0;
        int d = spec.Dimension, plannedFrames = spec.Time.Outputs;
        var paths = new RunPipeline.RunPaths(directory);
        var phases = new List<KeyValuePair<string, double>>();
        string specJson = SpecWriter.ToJson(spec);
        TrajectoryWriter? trajectory = null;
        sbyte[] signs = system.AllSigns ?? [];
        var layout = new TrajectoryLayout(specJson, plannedFrames, signs, d, runner.BoundDistance, spec.Outputs.Velocities);
        var frames = new List<FrameRecord>(plannedFrames);
        if (root)
        {
            Directory.CreateDirectory(directory);
            console.Out.WriteLine($"output directory: {directory}");
            logger.LogInformation("n = {Count}, d = {Dimension} on {Ranks} ranks ({Threads} threads each), {Layout}, integrator {Integrator}",
                system.Count, d, communicator.Size, DistributedSystem.Threads(spec.Forces), system.Evaluator.Layout, runner.IntegratorName);
            File.Delete(paths.PartialTrajectory);
            trajectory = TrajectoryWriter.Create(paths.PartialTrajectory, layout);
            if (copiedFrames > 0)
            {
                frames.AddRange(RunPipeline.WithWallTimes(trajectory.CopyFrom(paths.Trajectory, copiedFrames), Path.Combine(directory, RunPipeline.SummaryFile)));
            }
        }
        double wallOffset = frames.Count > 0 && double.IsFinite(frames[^1].WallSeconds) ? frames[^1].WallSeconds : 0;
        phases.Add(new("setup", total.Elapsed.TotalSeconds));

        // Rank 0 writes the checkpoint the ranks gather: after closing the trajectory's frames, as a serial run.
        void Checkpoint(bool reopen)
        {
            var gathered = runner.GatherCheckpoint();
            if (root)
            {
                var data = gathered is null ? null : RunPipeline.CheckpointAt(specJson, signs, gathered.Run, gathered.Slabs?.ToArray());
                trajectory = RunPipeline.Checkpoint(trajectory!, paths, layout, data, reopen);
            }
        }

        // Simulate; every frame's positions stream to rank 0 in blocks of the serial order.
        string status = "completed";
        string? error = null;
        Exception? failure = null;
        var phase = Stopwatch.StartNew();
        double outputSeconds = 0;
        int framesSinceCheckpoint = 0;
        var sinceCheckpoint = Stopwatch.StartNew();
        try
        {
            int Loop(Action<FrameRecord> report, Action<double> progress)
            {
                runner.Progress = progress;
                while (!runner.IsFinished)
                {
                    if (runner.Advance(spec.Time.End, cancellationToken) is not { } observables)
                    {
                        continue;
                    }
                    long started = Stopwatch.GetTimestamp();
                    var record = Record(runner.NextFrame - 1, observables, wallOffset + phase.Elapsed.TotalSeconds);
                    int index = record.Index;
                    var writer = trajectory;
                    runner.StreamPositions(writer is null ? null : (first, rows) => writer.WritePositions(index, first, rows));
                    if (spec.Outputs.Velocities)
                    {
                        runner.StreamVelocities(writer is null ? null : (first, rows) => writer.WriteVelocities(index, first, rows));
                    }
                    writer?.CompleteFrame(record);
                    frames.Add(record);
                    framesSinceCheckpoint++;
                    // Every rank's clock may say otherwise: the ranks checkpoint when any of them is due.
                    bool due = !runner.IsFinished && checkpoints.IsDue(framesSinceCheckpoint, sinceCheckpoint.Elapsed);
                    if (!runner.IsFinished && communicator.Max(due ? 1 : 0)[0] > 0)
                    {
                        Checkpoint(reopen: true);
                        framesSinceCheckpoint = 0;
                        sinceCheckpoint.Restart();
                    }
                    outputSeconds += Stopwatch.GetElapsedTime(started).TotalSeconds;
                    report(record);
                }
                return 0;
            }
            if (root)
            {
                ProgressReporter.Run(console, plannedFrames, spec.Time.End, runner.Time, Loop);
            }
            else
            {
                Loop(_ => { }, _ => { });
            }
        }
        catch (OperationCanceledException exception)
        {
            (status, error, failure) = ("cancelled", "cancelled", exception);
        }
        catch (SimulationException exception)
        {
            (status, error, failure) = ("failed", exception.Message, exception);
        }
        finally
        {
            runner.Progress = null;
        }
        phases.Add(new("simulation", phase.Elapsed.TotalSeconds - outputSeconds));
        phase.Restart();
        Checkpoint(reopen: false);
        phases.Add(new("trajectory", phase.Elapsed.TotalSeconds + outputSeconds));
        var distributed = Report(system, runner);

        if (root)
        {
            phase.Restart();
            var outputs = WritePlots(spec, directory, paths, frames, signs, runner.BoundDistance);
            phases.Add(new("plots", phase.Elapsed.TotalSeconds));
            string summaryPath = Path.Combine(directory, RunPipeline.SummaryFile);
            outputs.Insert(0, new("summary", summaryPath));
            SummaryWriter.Write(summaryPath, new RunSummary(
                status, error, specJson, runner.Evaluator.Name, runner.Evaluator.Parameters, runner.IntegratorName, signs, d, plannedFrames,
                frames, total.Elapsed.TotalSeconds, phases, Capabilities.Detect(), FontStatus.Detect(), outputs)
            {
                Distributed = distributed,
            });
            RunPipeline.WriteTable(console, status, frames, plannedFrames, runner.Evaluator.Name, runner.IntegratorName, signs.Length, total.Elapsed, outputs);
        }
        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        }
        return ExitCodes.Success;
    }

    private static FrameRecord Record(int index, Observables o, double wallSeconds) => new(
        index, o.Time, o.Energy, o.MaxSpeed, (double[])o.Centroid.Clone(), o.BoundDipoles, o.AcceptedSteps, o.RejectedSteps,
        o.ForceEvaluations, wallSeconds);

    /// <summary>energy.png from the frames; particles.png and dipoles.png from the trajectory file (rank 0).</summary>
    private static List<KeyValuePair<string, string>> WritePlots(SimulationSpec spec, string directory, RunPipeline.RunPaths paths,
        List<FrameRecord> frames, sbyte[] signs, double boundDistance)
    {
        var outputs = new List<KeyValuePair<string, string>> { new("trajectory", paths.Trajectory), new("checkpoint", paths.Checkpoint) };
        string caption = RunPipeline.Caption(spec, signs.Length);
        if (frames.Count == 0)
        {
            return outputs;
        }
        string energyPath = Path.Combine(directory, RunPipeline.EnergyPlotFile);
        Plots.WriteEnergy(energyPath, frames, caption);
        outputs.Add(new("energy_plot", energyPath));
        using (var reader = TrajectoryReader.Open(paths.Trajectory))
        {
            var first = reader.ReadFrame(0);
            var last = reader.ReadFrame(frames.Count - 1);
            string particlesPath = Path.Combine(directory, RunPipeline.ParticlesPlotFile);
            Plots.WriteParticles(particlesPath, first.Positions, last.Positions, frames[^1].Time, signs, caption, spec.System.External, boundDistance);
            outputs.Add(new("particles_plot", particlesPath));
            if (frames.Any(f => f.BoundDipoles > 0))
            {
                string dipolesPath = Path.Combine(directory, DipolesCommand.PlotFile);
                DipolePlots.Write(dipolesPath, DipoleSeries.Measure(reader, CancellationToken.None), caption);
                outputs.Add(new("dipoles_plot", dipolesPath));
            }
        }
        return outputs;
    }

    /// <summary>
    /// The <c>distributed</c> section of summary.json: ranks, threads, the slabs at the end, load balance, and every
    /// rank's traffic per phase gathered to rank 0 (bytes sent and seconds; the largest rank's and the sum).
    /// </summary>
    private Dictionary<string, object>? Report(DistributedSystem system, DistributedRunner runner)
    {
        var counters = communicator.Counters.Snapshot();
        var mine = counters.SelectMany(p => new[] { p.BytesSent, p.Messages, p.Seconds }).ToArray();
        var all = communicator.Allgather(CommunicationPhase.Output, mine);
        if (communicator.Rank != 0)
        {
            return null;
        }
        var traffic = new Dictionary<string, object>();
        var phases = Enum.GetValues<CommunicationPhase>();
        for (int p = 0; p < phases.Length; p++)
        {
            traffic[phases[p].ToString().ToLowerInvariant()] = new Dictionary<string, object>
            {
                ["bytes_sent_total"] = (long)all.Sum(r => r[3 * p]),
                ["bytes_sent_max_rank"] = (long)all.Max(r => r[3 * p]),
                ["messages_total"] = (long)all.Sum(r => r[3 * p + 1]),
                ["seconds_max_rank"] = all.Max(r => r[3 * p + 2]),
            };
        }
        var history = system.ImbalanceHistory;
        return new Dictionary<string, object>
        {
            ["ranks"] = communicator.Size,
            ["threads_per_rank"] = DistributedSystem.Threads(system.Spec.Forces),
            ["mesh_rows"] = system.Evaluator.Layout.Mesh,
            ["slab_boundaries"] = system.Evaluator.Layout.Boundaries.ToArray(),
            ["rebalances"] = system.Rebalances,
            ["max_imbalance"] = history.Count == 0 ? 1.0 : history.Max(h => h.Before),
            ["final_imbalance"] = history.Count == 0 ? 1.0 : history[^1].After,
            ["force_evaluations"] = runner.ForceEvaluations,
            ["conjugate_gradient_products"] = runner.ConjugateGradientProducts,
            ["traffic"] = traffic,
        };
    }
}
