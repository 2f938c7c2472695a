using System.CommandLine;
using System.Globalization;
using HpcGB.Engine.Spec;

namespace HpcGB.Host.Cli;

/// <summary><c>hpcgb run SPEC.json [--out DIR]</c>: runs a spec and writes its outputs.</summary>
internal static class RunCommand
{
    public static Command Create(CliConsole console)
    {
        var spec = new Argument<string>("spec") { Description = "The simulation spec (JSON)" };
        var output = new Option<string?>("--out", "-o")
        {
            Description = "Output directory (default: runs/<spec file name>-<yyyyMMdd-HHmmss>)",
        };
        var checkpointEvery = new Option<string?>(CheckpointPolicy.Option)
        {
            Description = "Checkpoint into the output directory every N minutes (30m, the default), hours (2h) or frames (10f); "
                + "also on Ctrl+C / SIGTERM and at the end. Continue with 'hpcgb resume DIR'",
        };
        var command = new Command(
            "run", "Run a simulation; write summary.json, trajectory.h5, checkpoint.hpcgbckp, energy.png and particles.png (continuum: continuum.h5, densities.png, observables.png)")
        {
            spec,
            output,
            checkpointEvery,
        };
        command.SetAction((parseResult, cancellationToken) => CommandAction.Run(console, parseResult, cancellationToken, ct =>
        {
            if (Distributed.DistributedCommand.IsActive)
            {
                return RunDistributed(console, parseResult, parseResult.GetValue(spec)!, parseResult.GetValue(output),
                    parseResult.GetValue(checkpointEvery), ct);
            }
            string specPath = parseResult.GetValue(spec)!;
            var run = SpecLoader.LoadRun(specPath);
            var policy = CheckpointPolicy.Parse(parseResult.GetValue(checkpointEvery));
            string directory = parseResult.GetValue(output) ?? DefaultOutputDirectory(specPath, DateTime.Now);
            using var host = CliHost.Build(console, parseResult.GetValue(HpcgbCli.Verbose));
            if (run is ContinuumSpec continuum)
            {
                if (parseResult.GetValue(checkpointEvery) is not null)
                {
                    throw new SpecException(CheckpointPolicy.Option, "continuum runs do not checkpoint; only particle runs can be resumed");
                }
                var continuumPipeline = new ContinuumPipeline(console, host.Logger<ContinuumPipeline>());
                return continuumPipeline.Execute(continuum, directory, ct);
            }
            var pipeline = new RunPipeline(console, host.Logger<RunPipeline>());
            return pipeline.Execute((SimulationSpec)run, directory, RunOptions.Default with { Checkpoints = policy }, ct);
        }));
        return command;
    }

    /// <summary>One rank of <c>mpiexec -n K hpcgb run</c>, K &gt; 1: the system spread over the ranks (particle specs only).</summary>
    private static int RunDistributed(CliConsole console, ParseResult parseResult, string specPath, string? output, string? checkpointEvery,
        CancellationToken ct)
    {
        bool verbose = parseResult.GetValue(HpcgbCli.Verbose);
        return Distributed.DistributedCommand.Run(console, verbose, (communicator, own) =>
        {
            var policy = CheckpointPolicy.Parse(checkpointEvery);
            if (SpecLoader.LoadRun(specPath) is not SimulationSpec run)
            {
                throw new SpecException("$.model", "continuum runs do not run across MPI ranks; start them without mpiexec (or with -n 1)");
            }
            // Only rank 0 writes, so only its clock names the default directory.
            string directory = output ?? DefaultOutputDirectory(specPath, DateTime.Now);
            using var host = CliHost.Build(own, verbose);
            return new Distributed.DistributedRunPipeline(own, host.Logger<Distributed.DistributedRunPipeline>(), communicator).Execute(run, directory, policy, ct);
        });
    }

    /// <summary><c>runs/&lt;stem&gt;-&lt;yyyyMMdd-HHmmss&gt;</c>, with a numeric suffix if that already exists.</summary>
    internal static string DefaultOutputDirectory(string specPath, DateTime now)
    {
        string stem = Path.GetFileNameWithoutExtension(specPath);
        string baseName = Path.Combine("runs", $"{stem}-{now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}");
        string candidate = baseName;
        for (int suffix = 2; Directory.Exists(candidate); suffix++)
        {
            candidate = $"{baseName}-{suffix}";
        }
        return candidate;
    }
}
