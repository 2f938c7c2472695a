using System.Diagnostics;
using System.Globalization;
using HpcGB.Engine.Analysis;
using HpcGB.Engine.Model;
using HpcGB.Engine.Simulation;
using HpcGB.Engine.Spec;
using HpcGB.Host.Output;
using HpcGB.Interop;
using Capabilities = HpcGB.Interop.Capabilities;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace HpcGB.Host.Cli;

/// <summary>
/// One simulation with its outputs, shared by <c>run</c> and <c>demo</c>: summary.json, trajectory.h5 (streamed
/// frame by frame), energy.png and particles.png in the output directory, progress on stderr and a summary table on
/// stdout. A cancelled or failed run still closes its files with the frames reached, then rethrows.
/// </summary>
internal sealed class RunPipeline(CliConsole console, ILogger logger)
{
    public const string SummaryFile = "summary.json";
    public const string TrajectoryFile = "trajectory.h5";
    public const string EnergyPlotFile = "energy.png";
    public const string ParticlesPlotFile = "particles.png";

    /// <summary>Runs <paramref name="spec"/>, writing into <paramref name="outputDirectory"/> (created if needed).</summary>
    /// <param name="extraOutputs">Files the caller already wrote there (e.g. the demo's spec.json), for the listing.</param>
    public int Execute(
        SimulationSpec spec,
        string outputDirectory,
        IReadOnlyList<KeyValuePair<string, string>> extraOutputs,
        CancellationToken cancellationToken)
    {
        var total = Stopwatch.StartNew();
        var phases = new List<KeyValuePair<string, double>>();

        // Set up: runner (initial particles, evaluator, integrator) first, so that a spec the engine rejects
        // leaves no output directory behind; then the directory, the normalised spec and the trajectory file.
        var phase = Stopwatch.StartNew();
        var runner = new SimulationRunner(spec);
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
        ParticleState initial = runner.InitialState;
        sbyte[] signs = initial.Signs;
        int dimension = initial.Dimension;
        int plannedFrames = spec.Time.Outputs;
        string evaluatorName = runner.Evaluator.Name;
        string integratorName = runner.IntegratorName;
        logger.LogInformation(
            "n = {Count}, d = {Dimension}, evaluator {Evaluator}, integrator {Integrator}, {Outputs} outputs to t = {End}",
            signs.Length, dimension, evaluatorName, integratorName, plannedFrames, spec.Time.End);

        string trajectoryPath = Path.Combine(directory, TrajectoryFile);
        var frames = new List<FrameRecord>(plannedFrames);
        ParticleState? lastState = null;
        double lastTime = 0;
        double trajectorySeconds = 0;
        string status = "completed";
        string? error = null;
        Exception? failure = null;
        phases.Add(new("setup", phase.Elapsed.TotalSeconds));

        // Simulate, streaming every output frame into the trajectory file.
        phase.Restart();
        // A trajectory that could not be written completely (disk full) is removed, not left behind as a result.
        try
        {
            using (var trajectory = TrajectoryWriter.Create(trajectoryPath, specJson, plannedFrames, signs, dimension))
            {
                try
                {
                    ProgressReporter.Run(console, plannedFrames, spec.Time.End, report =>
                        runner.Run(
                            frame =>
                            {
                                long start = Stopwatch.GetTimestamp();
                                var record = ToRecord(frame, phase.Elapsed.TotalSeconds);
                                trajectory.Append(frame.Index, record, frame.State);
                                frames.Add(record);
                                lastState = frame.State; // a snapshot the runner hands over
                                lastTime = record.Time;
                                trajectorySeconds += Stopwatch.GetElapsedTime(start).TotalSeconds;
                                report(record);
                            },
                            cancellationToken));
                }
                catch (OperationCanceledException exception)
                {
                    (status, error, failure) = ("cancelled", "cancelled", exception);
                }
                catch (SimulationException exception)
                {
                    (status, error, failure) = ("failed", exception.Message, exception);
                }
                phases.Add(new("simulation", phase.Elapsed.TotalSeconds - trajectorySeconds));
                phase.Restart();
                trajectory.Complete();
                phases.Add(new("trajectory", phase.Elapsed.TotalSeconds + trajectorySeconds));
            }
        }
        catch (Exception exception) when (OutputGuard.IsWriteFailure(exception))
        {
            throw OutputGuard.Removed(trajectoryPath, exception);
        }

        // Plot the energy history and the last configuration reached.
        phase.Restart();
        var outputs = new List<KeyValuePair<string, string>>(extraOutputs)
        {
            new("trajectory", trajectoryPath),
        };
        string caption = Caption(spec, signs.Length);
        if (frames.Count > 0)
        {
            string energyPath = Path.Combine(directory, EnergyPlotFile);
            OutputGuard.Write(energyPath, () => Plots.WriteEnergy(energyPath, frames, caption));
            outputs.Add(new("energy_plot", energyPath));
        }
        string particlesPath = Path.Combine(directory, ParticlesPlotFile);
        var initialPositions = Plots.Wrap(initial);
        var lastPositions = lastState is null ? initialPositions : Plots.Wrap(lastState);
        OutputGuard.Write(particlesPath, () => Plots.WriteParticles(particlesPath, initialPositions, lastPositions, lastTime, signs, caption));
        outputs.Add(new("particles_plot", particlesPath));
        phases.Add(new("plots", phase.Elapsed.TotalSeconds));

        string summaryPath = Path.Combine(directory, SummaryFile);
        outputs.Insert(0, new("summary", summaryPath));
        OutputGuard.Write(summaryPath, () => SummaryWriter.Write(summaryPath, new RunSummary(
            status, error, specJson, evaluatorName, runner.Evaluator.Parameters, integratorName, signs, dimension, plannedFrames, frames,
            total.Elapsed.TotalSeconds, phases, capabilities, fonts, outputs)));

        WriteTable(status, frames, plannedFrames, evaluatorName, integratorName, signs.Length, total.Elapsed, outputs);
        if (failure is not null)
        {
            // Keep the original exception type: the CLI maps it to its exit code and error line.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        }
        return ExitCodes.Success;
    }

    private static FrameRecord ToRecord(Frame frame, double wallSeconds)
    {
        var o = frame.Observables;
        return new FrameRecord(
            frame.Index, o.Time, o.Energy, o.MaxSpeed, (double[])o.Centroid.Clone(), o.BoundDipoles,
            o.AcceptedSteps, o.RejectedSteps, o.ForceEvaluations, wallSeconds);
    }

    private static string Caption(SimulationSpec spec, int count)
    {
        var system = spec.System;
        string kernel = system.Kernel.ToString().ToLowerInvariant();
        string regularization = system.Regularization.Type.ToString().ToLowerInvariant();
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{system.Dimension}D {kernel}, {system.Mobility.ToString().ToLowerInvariant()}, n = {count}, " +
            $"{regularization} δ = {system.Regularization.Delta:G4}");
    }

    private void WriteTable(
        string status,
        IReadOnlyList<FrameRecord> frames,
        int plannedFrames,
        string evaluator,
        string integrator,
        int count,
        TimeSpan wall,
        IReadOnlyList<KeyValuePair<string, string>> outputs)
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
        }
        table.AddRow("wall time", $"{wall.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture)} s");
        foreach (var (role, path) in outputs)
        {
            table.AddRow(Markup.Escape(role), Markup.Escape(path));
        }
        Tables.Write(console, table);
    }
}
