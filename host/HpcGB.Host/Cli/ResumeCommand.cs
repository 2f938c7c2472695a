using System.CommandLine;

namespace HpcGB.Host.Cli;

/// <summary>
/// <c>hpcgb resume DIR [--end T2] [--checkpoint-every E]</c>: continues the run in DIR from its checkpoint — an
/// interrupted run to its end, bit for bit as if it had never stopped, or a finished one to a later end T2 (more frames
/// at the same interval; trajectory, summary and plots rewritten). Under <c>mpiexec -n K</c> the run continues across
/// the K ranks, whatever number of ranks (or a serial run) wrote the checkpoint.
/// </summary>
internal static class ResumeCommand
{
    public static Command Create(CliConsole console)
    {
        var directory = new Argument<string>("dir") { Description = "The output directory of 'hpcgb run'" };
        var end = new Option<double?>(RunResumption.EndOption)
        {
            Description = "Extend the run to this time, with more frames at the same output interval",
        };
        var checkpointEvery = new Option<string?>(CheckpointPolicy.Option)
        {
            Description = "Checkpoint every N minutes (30m, the default), hours (2h) or frames (10f)",
        };
        var command = new Command("resume", "Continue an interrupted run, or extend a finished one with --end")
        {
            directory,
            end,
            checkpointEvery,
        };
        command.SetAction((parseResult, cancellationToken) => CommandAction.Run(console, parseResult, cancellationToken, ct =>
        {
            if (Distributed.DistributedCommand.IsActive)
            {
                bool verbose = parseResult.GetValue(HpcgbCli.Verbose);
                return Distributed.DistributedCommand.Run(console, verbose, (communicator, own) =>
                {
                    var everyRank = CheckpointPolicy.Parse(parseResult.GetValue(checkpointEvery));
                    using var distributedHost = CliHost.Build(own, verbose);
                    return new Distributed.DistributedRunPipeline(own, distributedHost.Logger<Distributed.DistributedRunPipeline>(), communicator)
                        .Resume(parseResult.GetValue(directory)!, parseResult.GetValue(end), everyRank, ct);
                });
            }
            var policy = CheckpointPolicy.Parse(parseResult.GetValue(checkpointEvery));
            using var host = CliHost.Build(console, parseResult.GetValue(HpcgbCli.Verbose));
            var pipeline = new RunPipeline(console, host.Logger<RunPipeline>());
            return pipeline.Resume(parseResult.GetValue(directory)!, parseResult.GetValue(end), RunOptions.Default with { Checkpoints = policy }, ct);
        }));
        return command;
    }
}
