using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using HpcGB.Host.Experiments;
using HpcGB.Host.Sweeps;
using HpcGB.Engine.Spec;

namespace HpcGB.Host.Cli;

/// <summary>
/// <c>hpcgb experiment NAME [--scale small|medium|large] [--out DIR] [--device cpu|opencl|auto]</c>: the paper's results as runs of particles
/// against the Groma–Balogh PDE (docs/experiments.md); each writes results.csv, results.md and log–log PNGs. The runs
/// go through the sweep machinery: serially, or across MPI ranks under <c>mpiexec</c>; a rerun into the same directory
/// skips the runs already done (<c>runs/&lt;i&gt;/row.json</c>).
/// </summary>
internal static class ExperimentCommand
{
    public static Command Create(CliConsole console)
    {
        var name = new Argument<string>("name")
        {
            Description = "convergence | nonconvergence | threshold",
        };
        name.AcceptOnlyFromAmong(ConvergenceExperiment.Name, NonconvergenceExperiment.Name, ThresholdExperiment.Name);
        var scale = new Option<string>("--scale")
        {
            Description = "small (a few minutes), medium (4× the particles), large (16×)",
            DefaultValueFactory = _ => "small",
        };
        scale.AcceptOnlyFromAmong("small", "medium", "large");
        var output = new Option<string?>("--out", "-o")
        {
            Description = "Output directory (default: runs/experiment-<name>-<scale>)",
        };
        var device = new Option<string>("--device")
        {
            Description = "where the particles' fast path runs: cpu, opencl (platform 0, device 0) or auto (forces.device)",
            DefaultValueFactory = _ => "cpu",
        };
        device.AcceptOnlyFromAmong("cpu", "opencl", "auto");
        var command = new Command("experiment", "Run a paper experiment: particles vs the Groma–Balogh PDE") { name, scale, output, device };
        command.SetAction((parseResult, cancellationToken) => CommandAction.Run(
            SweepExecution.IsCoordinator ? console : console with { Out = TextWriter.Null, Error = TextWriter.Null }, parseResult, cancellationToken, ct =>
        {
            string experiment = parseResult.GetValue(name)!;
            string scaleName = parseResult.GetValue(scale)!;
            var level = scaleName switch
            {
                "medium" => ExperimentScale.Medium,
                "large" => ExperimentScale.Large,
                _ => ExperimentScale.Small,
            };
            string directory = Path.GetFullPath(
                parseResult.GetValue(output) ?? Path.Combine("runs", $"experiment-{experiment}-{scaleName}"));
            bool coordinator = SweepExecution.IsCoordinator;
            if (coordinator)
            {
                Directory.CreateDirectory(directory);
                console.Out.WriteLine($"output directory: {directory}");
            }
            var forces = ForcesSpec.Default with
            {
                Device = parseResult.GetValue(device) switch { "opencl" => ForceDevice.OpenCl, "auto" => ForceDevice.Auto, _ => ForceDevice.Cpu },
            };
            var clock = Stopwatch.StartNew();
            switch (experiment)
            {
                case ConvergenceExperiment.Name:
                    ConvergenceExperiment.Execute(level, directory, console.Error, ct, forces);
                    break;
                case NonconvergenceExperiment.Name:
                    NonconvergenceExperiment.Execute(level, directory, console.Error, ct, forces);
                    break;
                default:
                    ThresholdExperiment.Execute(level, directory, console.Error, ct, forces);
                    break;
            }
            if (!coordinator)
            {
                return ExitCodes.Success;
            }
            console.Out.Write(File.ReadAllText(Path.Combine(directory, "results.md")));
            console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wall time {clock.Elapsed.TotalSeconds:F1} s"));
            return ExitCodes.Success;
        }));
        return command;
    }
}
