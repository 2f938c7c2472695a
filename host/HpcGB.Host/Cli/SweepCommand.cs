using System.CommandLine;
using System.Globalization;
using HpcGB.Engine.Spec;
using HpcGB.Host.Sweeps;
using HpcGB.Interop.Mpi;

namespace HpcGB.Host.Cli;

/// <summary>
/// <c>hpcgb sweep SWEEP.json [--out DIR] [--threads N] [--retry-failed]</c>: every run of a sweep file, serially or
/// — started under <c>mpiexec</c> — across the MPI ranks; resumes into an existing <c>DIR</c>.
/// </summary>
internal static class SweepCommand
{
    public static Command Create(CliConsole console)
    {
        var file = new Argument<string>("sweep") { Description = "The sweep file: { \"base\": {spec}, \"vary\": { \"dotted.path\": [values] } }" };
        var output = new Option<string?>("--out", "-o")
        {
            Description = "Output directory (default: runs/<sweep file name>); a rerun into it skips the runs already complete",
        };
        var threads = new Option<int?>("--threads")
        {
            Description = "Force threads per run (sets forces.threads of every run); under mpiexec: per rank",
        };
        threads.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is int t && (t < 1 || t > SpecReader.MaxThreads))
            {
                result.AddError($"--threads: must be 1 … {SpecReader.MaxThreads}, got {t}");
            }
        });
        var retryFailed = new Option<bool>("--retry-failed") { Description = "Run again the runs an earlier invocation recorded as failed" };
        var command = new Command(
            "sweep", "Run a parameter sweep (serially, or across MPI ranks under mpiexec); write runs/<i>/, sweep.csv and sweep.md")
        {
            file, output, threads, retryFailed,
        };
        command.SetAction((parseResult, cancellationToken) =>
        {
            // Only rank 0 speaks; the other ranks of an MPI job validate the same file and stay quiet.
            var rankConsole = SweepExecution.IsCoordinator ? console : console with { Out = TextWriter.Null, Error = TextWriter.Null };
            return CommandAction.Run(rankConsole, parseResult, cancellationToken, ct =>
                Execute(rankConsole, parseResult.GetValue(file)!, parseResult.GetValue(output), parseResult.GetValue(threads),
                    parseResult.GetValue(retryFailed), ct));
        });
        return command;
    }

    private static int Execute(CliConsole console, string sweepPath, string? output, int? threads, bool retryFailed, CancellationToken ct)
    {
        var sweep = SweepReader.ReadFile(sweepPath);
        var runs = SweepPlan.Expand(sweep, threads);
        string directory = Path.GetFullPath(output ?? Path.Combine("runs", Path.GetFileNameWithoutExtension(sweepPath)));
        if (SweepExecution.IsCoordinator)
        {
            Directory.CreateDirectory(Path.Combine(directory, "runs"));
            console.Out.WriteLine($"output directory: {directory}");
            WarnIfOversubscribed(console, runs);
        }
        var work = new SpecSweepWork(directory, Path.GetFileName(sweepPath), sweep, runs, retryFailed);
        var timing = SweepExecution.Run(work, console, ct);
        if (timing is null)
        {
            return ExitCodes.Success;
        }
        int failed = work.Results.Count(r => r is { Succeeded: false });
        console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{runs.Count} runs: {runs.Count - failed} completed, {failed} failed ({timing.Skipped} were already complete)"));
        console.Out.WriteLine(SweepTables.Timing(timing));
        console.Out.WriteLine($"tables: {Path.Combine(directory, SweepTables.CsvFile)}, {Path.Combine(directory, SweepTables.MarkdownFile)}");
        if (failed > 0)
        {
            console.Error.WriteLine($"error: {failed} of {runs.Count} runs failed (messages in {SweepTables.MarkdownFile}; rerun with --retry-failed to try them again)");
            return ExitCodes.RuntimeFailure;
        }
        return ExitCodes.Success;
    }

    /// <summary>Ranks on this node × threads per run beyond the cores slow every run down: say so.</summary>
    private static void WarnIfOversubscribed(CliConsole console, IReadOnlyList<SweepRun> runs)
    {
        int ranks = MpiLaunch.LocalRanks ?? 1;
        int threads = runs.Count == 0 ? 1 : runs.Max(r => r.Spec.Forces.EffectiveThreads);
        if (ranks > 1 && ranks * threads > Environment.ProcessorCount)
        {
            console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"warning: {ranks} ranks on this node × {threads} threads per run > {Environment.ProcessorCount} cores; pass --threads {Math.Max(1, Environment.ProcessorCount / ranks)}"));
        }
    }
}
