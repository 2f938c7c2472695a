using System.Diagnostics;
using HpcGB.Host.Sweeps;

namespace HpcGB.Host.Tests.Sweeps;

/// <summary>The serial sweep every MPI sweep is compared with (run once, in this process).</summary>
public sealed class SerialSweepFixture : IDisposable
{
    public const int Runs = 8;

    public SerialSweepFixture()
    {
        SweepFile = Harness.WriteText("small.json", SweepFixtures.Small(seeds: 2));
        var result = CliHarness.Run("sweep", SweepFile, "--out", Output);
        Assert.True(result.ExitCode == 0, result.Stderr);
    }

    public CliHarness Harness { get; } = new();

    public string SweepFile { get; }

    public string Output => Harness.PathOf("serial");

    public void Dispose() => Harness.Dispose();
}

/// <summary>
/// <c>hpcgb sweep</c> under MPICH's <c>mpiexec</c> with 1, 2 and 3 ranks (oversubscribed on small machines): the
/// outputs equal the serial sweep's run by run (trajectory and plots byte for byte, summary.json but for timings and
/// paths); a worker killed with SIGKILL mid-sweep (MPICH then ends the whole job) loses only runs in flight, and a
/// rerun completes the table.
/// </summary>
public sealed class MpiSweepTests(SerialSweepFixture serial) : IClassFixture<SerialSweepFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    [MpiFact]
    public void One_two_and_three_ranks_give_the_serial_outputs()
    {
        foreach (int ranks in new[] { 1, 2, 3 })
        {
            string output = serial.Harness.PathOf($"ranks-{ranks}");
            using var job = new MpiJob(ranks, "sweep", serial.SweepFile, "--out", output);
            var result = job.Wait(Timeout);
            Assert.True(result.ExitCode == 0, $"mpiexec -n {ranks}: {MpiJob.Failure(result)}");
            Assert.Contains($"{SerialSweepFixture.Runs} runs: {SerialSweepFixture.Runs} completed, 0 failed", result.Stdout, StringComparison.Ordinal);
            Assert.Contains($"on {ranks} rank", result.Stdout, StringComparison.Ordinal);
            SweepFixtures.AssertSameRuns(serial.Output, output, SerialSweepFixture.Runs);
            Assert.Equal(SweepFixtures.TableWithoutWallTime(serial.Output), SweepFixtures.TableWithoutWallTime(output));
        }
    }

    [MpiFact]
    public void A_killed_worker_loses_only_runs_in_flight_and_a_rerun_completes_the_table()
    {
        string output = serial.Harness.PathOf("killed");
        using (var job = new MpiJob(3, "sweep", serial.SweepFile, "--out", output))
        {
            // Kill rank 2 once some runs have finished and before all have.
            var clock = Stopwatch.StartNew();
            while (Finished(output) < 2 && !job.HasExited && clock.Elapsed < Timeout)
            {
                Thread.Sleep(50);
            }
            int? worker = job.RankProcess(2);
            if (job.HasExited)
            {
                Assert.Fail($"the job ended before a worker could be killed ({Finished(output)} runs finished): {MpiJob.Failure(job.Wait(Timeout))}");
            }
            Assert.True(worker is not null, $"rank 2 not found among mpiexec's descendants ({Finished(output)} runs finished)");
            try
            {
                Process.GetProcessById(worker!.Value).Kill();
            }
            catch (ArgumentException)
            {
                Assert.Fail($"rank 2 (pid {worker}) ended before it could be killed: {MpiJob.Failure(job.Wait(Timeout))}");
            }
            var killed = job.Wait(Timeout);
            Assert.NotEqual(0, killed.ExitCode);
        }
        int kept = Finished(output);
        Assert.InRange(kept, 2, SerialSweepFixture.Runs - 1);
        var table = File.ReadAllText(Path.Combine(output, SweepTables.CsvFile));
        Assert.Contains(",pending,", table, StringComparison.Ordinal);

        using var rerun = new MpiJob(2, "sweep", serial.SweepFile, "--out", output);
        var result = rerun.Wait(Timeout);
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains($"({kept} were already complete)", result.Stdout, StringComparison.Ordinal);
        SweepFixtures.AssertSameRuns(serial.Output, output, SerialSweepFixture.Runs);
        Assert.Equal(SweepFixtures.TableWithoutWallTime(serial.Output), SweepFixtures.TableWithoutWallTime(output));
    }

    private static int Finished(string output) =>
        Enumerable.Range(0, SerialSweepFixture.Runs).Count(i => File.Exists(Path.Combine(SpecSweepWork.RunDirectory(output, i), SweepRunRecord.FileName)));
}

/// <summary><c>mpiexec -n 3 hpcgb info</c>: MPI.NET over MPICH passes byte[] and double[] messages, all-reduces and
/// meets at a barrier on every rank, a null dereference stays an exception (UCX's signal handlers left out), and
/// UCX's memory hooks are off (they patched libc's munmap/madvise under the runtime's threads);
/// only rank 0 prints.</summary>
public sealed class MpiSelfCheckTests
{
    [MpiFact]
    public void Info_under_mpiexec_checks_messages_reductions_and_the_barrier()
    {
        using var job = new MpiJob(3, "info");
        var result = job.Wait(TimeSpan.FromMinutes(2));
        Assert.True(result.ExitCode == 0, MpiJob.Failure(result));
        Assert.Contains("rank 0 of 3 (libmpich.so.12): send/receive, all-reduce, barrier, fault signals ok, UCX memory hooks none", result.Stdout, StringComparison.Ordinal);
        Assert.Single(result.Stdout.Split('\n'), line => line.Contains("HpcGB engine", StringComparison.Ordinal));
    }
}
