using HpcGB.Host.Cli;
using System.Text.Json;
using HpcGB.Host.Sweeps;

namespace HpcGB.Host.Tests.Sweeps;

/// <summary><c>hpcgb sweep</c> in this process: outputs per run, tables, resuming, failed runs, no MPI.</summary>
public sealed class SerialSweepTests : IDisposable
{
    private readonly CliHarness _harness = new();

    [Fact]
    public void A_sweep_writes_every_run_and_the_tables_and_a_rerun_skips_them()
    {
        string file = _harness.WriteText("small.json", SweepFixtures.Small(seeds: 1));
        string output = _harness.PathOf("out");
        var first = CliHarness.Run("sweep", file, "--out", output);
        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.Contains("4 runs: 4 completed, 0 failed (0 were already complete)", first.Stdout, StringComparison.Ordinal);
        for (int index = 0; index < 4; index++)
        {
            string run = SpecSweepWork.RunDirectory(output, index);
            foreach (string name in new[] { "summary.json", "trajectory.h5", "energy.png", "particles.png", SweepRunRecord.FileName })
            {
                Assert.True(File.Exists(Path.Combine(run, name)), $"run {index}: {name}");
            }
        }
        var table = File.ReadAllLines(Path.Combine(output, SweepTables.CsvFile));
        Assert.StartsWith("run,particles.n,regularization.delta,seed,particles,status,", table[0], StringComparison.Ordinal);
        Assert.Equal(5, table.Length);
        Assert.StartsWith("3,24,0.1,1,24,completed,3,0.02,", table[4], StringComparison.Ordinal);
        Assert.Contains("| 3 | 24 | 0.1 | 1 | 24 | completed |", File.ReadAllText(Path.Combine(output, SweepTables.MarkdownFile)), StringComparison.Ordinal);
        // No MPI without mpiexec: the MPI.NET assembly was never loaded.
        Assert.DoesNotContain(AppDomain.CurrentDomain.GetAssemblies(), a => a.GetName().Name == "MPI");

        var stamp = File.GetLastWriteTimeUtc(Path.Combine(SpecSweepWork.RunDirectory(output, 2), "trajectory.h5"));
        var second = CliHarness.Run("sweep", file, "--out", output);
        Assert.True(second.ExitCode == 0, second.Stderr);
        Assert.Contains("(4 were already complete)", second.Stdout, StringComparison.Ordinal);
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(Path.Combine(SpecSweepWork.RunDirectory(output, 2), "trajectory.h5")));
        Assert.Equal(table, File.ReadAllLines(Path.Combine(output, SweepTables.CsvFile)));
    }

    [Fact]
    public void A_damaged_or_unfinished_run_runs_again_and_only_it()
    {
        string file = _harness.WriteText("small.json", SweepFixtures.Small(seeds: 1));
        string output = _harness.PathOf("out");
        Assert.Equal(0, CliHarness.Run("sweep", file, "--out", output).ExitCode);
        string reference = _harness.PathOf("reference");
        CopyDirectory(output, reference);

        // Run 1 loses a byte of its trajectory; run 3 lost its record (it was cut short before finishing).
        string damaged = Path.Combine(SpecSweepWork.RunDirectory(output, 1), "trajectory.h5");
        File.WriteAllBytes(damaged, File.ReadAllBytes(damaged)[..^1]);
        File.Delete(Path.Combine(SpecSweepWork.RunDirectory(output, 3), SweepRunRecord.FileName));
        var rerun = CliHarness.Run("sweep", file, "--out", output);
        Assert.True(rerun.ExitCode == 0, rerun.Stderr);
        Assert.Contains("(2 were already complete)", rerun.Stdout, StringComparison.Ordinal);
        SweepFixtures.AssertSameRuns(reference, output, 4);
    }

    [Fact]
    public void A_run_cut_short_with_a_checkpoint_continues_from_it()
    {
        string file = _harness.WriteText("small.json", SweepFixtures.Small(seeds: 1));
        string reference = _harness.PathOf("reference");
        Assert.Equal(0, CliHarness.Run("sweep", file, "--out", reference).ExitCode);

        // Run 1 as a killed rank leaves it: stopped after frame 1 with a checkpoint there.
        string output = _harness.PathOf("out");
        var run = SweepPlan.Expand(SweepReader.ReadFile(file))[1];
        string runDirectory = SpecSweepWork.RunDirectory(output, 1);
        string spec = _harness.WriteText("run1.json", run.SpecJson);
        Assert.Equal(130, RunCancelledAtFrame(1, "run", spec, "--out", runDirectory, "--checkpoint-every", "1f"));
        double[] wallBefore = WallSeconds(runDirectory)[..2];

        var sweep = CliHarness.Run("sweep", file, "--out", output);
        Assert.True(sweep.ExitCode == 0, sweep.Stderr);
        Assert.Contains("(0 were already complete)", sweep.Stdout, StringComparison.Ordinal);
        // Frames 0 and 1 were carried over from the checkpointed run (with their wall times), not recomputed.
        Assert.Equal(wallBefore, WallSeconds(runDirectory)[..2]);
        SweepFixtures.AssertSameRuns(reference, output, 4);
    }

    [Fact]
    public void A_failing_run_is_recorded_with_its_message_and_the_others_complete()
    {
        // Two opposite charges 1e-3 apart without regularisation collapse (the explicit steps stall); regularised, they relax.
        string file = _harness.WriteText("collide.json", """
            { "base": { "dimension": 1, "particles": { "positions": [[0.5], [0.501]], "signs": [1, -1] },
                        "time": { "end": 1, "outputs": 3 }, "regularization": { "delta": 0.01 } },
              "vary": { "regularization.type": ["gaussian", "none", "poisson"] } }
            """);
        string output = _harness.PathOf("out");
        var result = CliHarness.Run("sweep", file, "--out", output);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("3 runs: 2 completed, 1 failed", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("error: 1 of 3 runs failed", result.Stderr, StringComparison.Ordinal);
        var table = File.ReadAllLines(Path.Combine(output, SweepTables.CsvFile));
        Assert.Contains(",failed,", table[2], StringComparison.Ordinal);
        Assert.Contains("too stiff", table[2], StringComparison.Ordinal);
        Assert.Contains(",completed,", table[1], StringComparison.Ordinal);
        Assert.Contains(",completed,", table[3], StringComparison.Ordinal);
        Assert.Contains("- run 1: ", File.ReadAllText(Path.Combine(output, SweepTables.MarkdownFile)), StringComparison.Ordinal);

        // A failure is a finished run: a rerun keeps it, unless asked to retry.
        Assert.Contains("(3 were already complete)", CliHarness.Run("sweep", file, "--out", output).Stdout, StringComparison.Ordinal);
        Assert.Contains("(2 were already complete)", CliHarness.Run("sweep", file, "--out", output, "--retry-failed").Stdout, StringComparison.Ordinal);
    }

    /// <summary>Each frame's wall time in the run's summary.json.</summary>
    private static double[] WallSeconds(string runDirectory)
    {
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(runDirectory, "summary.json")));
        return summary.RootElement.GetProperty("observables").EnumerateArray().Select(f => f.GetProperty("wall_seconds").GetDouble()).ToArray();
    }

    /// <summary>Runs the CLI in-process and cancels it (as Ctrl+C would) when frame <paramref name="frame"/> is reported.</summary>
    private static int RunCancelledAtFrame(int frame, params string[] args)
    {
        using var cancel = new CancellationTokenSource();
        var stderr = new CancellingWriter($"frame {frame + 1}/", cancel);
        return HpcgbCli.InvokeAsync(args, CliConsole.Captured(new StringWriter(), stderr), cancel.Token).GetAwaiter().GetResult();
    }

    private sealed class CancellingWriter(string marker, CancellationTokenSource cancel) : StringWriter
    {
        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            if (value?.Contains(marker, StringComparison.Ordinal) == true)
            {
                cancel.Cancel();
            }
        }
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (string directory in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(directory.Replace(from, to, StringComparison.Ordinal));
        }
        foreach (string file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, file.Replace(from, to, StringComparison.Ordinal));
        }
    }

    public void Dispose() => _harness.Dispose();
}
