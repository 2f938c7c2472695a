using System.Text.Json;
using HpcGB.Engine.Distributed;
using HpcGB.Engine.Simulation;
using HpcGB.Engine.Spec;
using HpcGB.Interop.Mpi;

namespace HpcGB.Host.Cli.Distributed;

/// <summary>
/// How <c>hpcgb run</c>, <c>hpcgb resume</c> and <c>hpcgb forces</c> behave as one rank of <c>mpiexec -n K</c> with K &gt; 1: the ranks
/// share one system (docs/distributed.md); rank 0 writes every output and prints, the others print nothing. Failures
/// every rank meets alike (a bad spec, too many ranks, a collision, a cancellation) end every rank with the serial
/// exit code and rank 0's one line; a failure of one rank alone is printed by that rank and ends the whole job
/// (<c>MPI_Abort</c>), since the others would wait for it forever. With one rank the commands are plain runs and
/// never load MPI.
/// </summary>
internal static class DistributedCommand
{
    /// <summary>True when this process is one of several MPI ranks (the launcher's <c>PMI_SIZE</c> &gt; 1).</summary>
    public static bool IsActive => MpiLaunch.IsUnderLauncher && (MpiLaunch.LauncherSize ?? 1) > 1;

    /// <summary>Starts MPI, runs <paramref name="body"/> with this rank's console (silent but on rank 0) and maps failures.</summary>
    public static int Run(CliConsole console, bool verbose, Func<MpiCommunicator, CliConsole, int> body)
    {
        using var communicator = MpiCommunicator.Start();
        var own = communicator.Rank == 0 ? console : CliConsole.Captured(TextWriter.Null, TextWriter.Null);
        try
        {
            return body(communicator, own);
        }
        catch (RankFailedException failed)
        {
            return failed.ExitCode;
        }
        catch (Exception exception) when (IsAgreed(exception))
        {
            return ErrorReporter.Report(exception, own.Error, verbose);
        }
        catch (Exception exception)
        {
            console.Error.Write($"rank {communicator.Rank} of {communicator.Size}: ");
            int code = ErrorReporter.Report(exception, console.Error, verbose);
            console.Error.Flush();
            communicator.Abort(code);
            return code;
        }
    }

    /// <summary>Failures that every rank meets at the same point (so none waits for another).</summary>
    private static bool IsAgreed(Exception exception) => exception is SpecException or SpecFileNotFoundException or JsonException
        or SlabLimitException or SimulationException or OperationCanceledException;
}
