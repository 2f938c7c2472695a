using System.Diagnostics;
using HpcGB.Host.Cli;
using HpcGB.Interop.Mpi;

namespace HpcGB.Host.Sweeps;

/// <summary>
/// Runs an <see cref="ISweepWork"/>: in this process, one run after the other, or — when the process is a rank of an
/// MPI job (<see cref="MpiLaunch.IsUnderLauncher"/>) — across the ranks (<see cref="MpiSweep"/>). Without a launcher
/// MPI is neither needed nor loaded.
/// </summary>
internal static class SweepExecution
{
    /// <summary>True on the rank that schedules and writes the tables (every serial process).</summary>
    public static bool IsCoordinator => MpiLaunch.LauncherRank is null or 0;

    /// <summary>Runs every run not already complete; returns the timing on the coordinator, null on other ranks.</summary>
    public static SweepTiming? Run(ISweepWork work, CliConsole console, CancellationToken cancellationToken) =>
        MpiLaunch.IsUnderLauncher ? MpiSweep.Run(work, console, cancellationToken) : RunSerially(work, console, cancellationToken);

    private static SweepTiming RunSerially(ISweepWork work, CliConsole console, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var pending = SweepQueue.Resume(work);
        var progress = new SweepProgress(console, work.Count, pending.Skipped, pending.Cost);
        double runSeconds = 0, coordination = 0;
        progress.Started(running: 0);
        foreach (int index in pending.Indices.Order())
        {
            cancellationToken.ThrowIfCancellationRequested();
            progress.Started(running: 1);
            var run = Stopwatch.StartNew();
            byte[] result = SweepQueue.Execute(work, index, cancellationToken);
            runSeconds += run.Elapsed.TotalSeconds;
            var handling = Stopwatch.StartNew();
            bool succeeded = work.Record(index, result);
            work.Publish(null);
            coordination += handling.Elapsed.TotalSeconds;
            progress.Finished(succeeded, work.Cost(index), running: 0);
        }
        progress.End();
        var timing = new SweepTiming(1, clock.Elapsed.TotalSeconds, runSeconds, coordination, pending.Indices.Count, pending.Skipped);
        work.Publish(timing);
        return timing;
    }
}

/// <summary>The runs still to do after a resume check, and the shared way of executing one.</summary>
internal sealed record SweepQueue(IReadOnlyList<int> Indices, int Skipped, double Cost)
{
    /// <summary>Records the runs already complete and verified; the rest in hand-out order (largest cost first).</summary>
    public static SweepQueue Resume(ISweepWork work)
    {
        var pending = new List<int>();
        for (int index = 0; index < work.Count; index++)
        {
            if (work.Completed(index) is { } result)
            {
                work.Record(index, result);
            }
            else
            {
                pending.Add(index);
            }
        }
        work.Publish(null);
        var ordered = pending.OrderByDescending(work.Cost).ThenBy(i => i).ToArray();
        return new SweepQueue(ordered, work.Count - ordered.Length, ordered.Sum(work.Cost));
    }

    /// <summary>Executes one run; anything it throws other than cancellation becomes its failure result.</summary>
    public static byte[] Execute(ISweepWork work, int index, CancellationToken cancellationToken)
    {
        try
        {
            return work.Execute(index, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception exception)
        {
            return work.Failure(index, exception.Message);
        }
    }
}
