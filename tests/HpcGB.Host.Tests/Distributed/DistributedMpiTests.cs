using System.Text.Json;
using HpcGB.Engine.Model;
using HpcGB.Engine.Spec;
using HpcGB.Host.Cli;
using HpcGB.Host.Output;
using HpcGB.Host.Tests.Sweeps;
using Xunit.Abstractions;

namespace HpcGB.Host.Tests.Distributed;

/// <summary>
/// <c>hpcgb forces --json</c> and <c>hpcgb run</c> under MPICH's <c>mpiexec -n K</c> (K = 1 … 4, oversubscribed on
/// small machines) against the same commands run serially in this process: one JSON document / one table on stdout
/// (rank 0 alone prints), velocities equal to 1e-12, a DP45 run's frames to 1e-10, a glide run whose particles cross
/// several slabs in the serial order, a run stopped by SIGTERM resumed on 2 ranks (bit for bit) and serially, a serial
/// checkpoint extended on 2 ranks, implicit runs (close dipoles, gliding edges) to 1e-10, and too many ranks refused
/// with one line naming the limit. K = 1 is a plain
/// run: its output is the serial one byte for byte. (The engine's in-process tests cover every configuration and
/// kernel; these check the MPI transport and the command line.)
/// </summary>
public sealed class DistributedMpiTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);
    private readonly CliHarness _harness = new();

    [MpiFact]
    public void Forces_json_equals_the_serial_evaluation_on_one_to_four_ranks()
    {
        foreach (var (name, spec) in new[] { ("mixed-log", DistributedSpecs.MixedLog()), ("slip-plane-edge", DistributedSpecs.SlipPlaneEdge()) })
        {
            string file = _harness.WriteSpec($"{name}.json", spec);
            var serial = CliHarness.Run("forces", file, "--json");
            Assert.True(serial.ExitCode == 0, serial.Stderr);
            var expected = Velocities(serial.Stdout);
            foreach (int ranks in new[] { 1, 2, 3, 4 })
            {
                using var job = new MpiJob(ranks, "forces", file, "--json");
                var result = job.Wait(Timeout);
                Assert.True(result.ExitCode == 0, $"{name}, {ranks} ranks: {MpiJob.Failure(result)}");
                Assert.Single(result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
                if (ranks == 1)
                {
                    Assert.Equal(serial.Stdout, result.Stdout);
                    continue;
                }
                var actual = Velocities(result.Stdout);
                double worst = WorstRelative(expected, actual);
                output.WriteLine($"{name}, {ranks} ranks: worst relative velocity difference {worst:E2}");
                Assert.True(worst <= 1e-12, $"{name}, {ranks} ranks: velocities differ by {worst:E2}");
                Assert.Equal(ranks, JsonDocument.Parse(result.Stdout).RootElement.GetProperty("parameters").GetProperty("ranks").GetInt32());
            }
        }
    }

    [MpiFact]
    public void A_dp45_run_writes_the_serial_outputs_on_two_to_four_ranks()
    {
        string file = _harness.WriteSpec("smooth.json", DistributedSpecs.SmoothRun());
        var serial = CliHarness.Run("run", file, "--out", _harness.PathOf("serial"));
        Assert.True(serial.ExitCode == 0, serial.Stderr);
        foreach (int ranks in new[] { 2, 3, 4 })
        {
            string directory = _harness.PathOf($"ranks-{ranks}");
            using var job = new MpiJob(ranks, "run", file, "--out", directory);
            var result = job.Wait(Timeout);
            Assert.True(result.ExitCode == 0, $"{ranks} ranks: {MpiJob.Failure(result)}");
            Assert.Single(result.Stdout.Split('\n'), line => line.StartsWith("output directory:", StringComparison.Ordinal));
            Assert.Single(result.Stdout.Split('\n'), line => line.Contains("force evaluations", StringComparison.Ordinal));
            CompareTrajectories(_harness.PathOf("serial"), directory, 1e-10, $"{ranks} ranks");
            foreach (string plot in new[] { RunPipeline.EnergyPlotFile, RunPipeline.ParticlesPlotFile })
            {
                Assert.True(File.Exists(Path.Combine(directory, plot)), plot);
            }
            using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, RunPipeline.SummaryFile)));
            var root = summary.RootElement;
            Assert.Equal("completed", root.GetProperty("status").GetString());
            Assert.Equal(ranks, root.GetProperty("distributed").GetProperty("ranks").GetInt32());
            Assert.True(root.GetProperty("distributed").GetProperty("traffic").GetProperty("transpose").GetProperty("bytes_sent_total").GetInt64() > 0);
        }
    }

    [MpiFact]
    public void Glide_particles_crossing_several_slabs_come_out_in_the_serial_order()
    {
        // + particles move right and − left by 0.75 periods: every particle crosses two or more of the three slabs.
        var spec = DistributedSpecs.SlipPlaneEdge(new TimeSpec(0.25, IntegratorType.Dp45, 1e-6, 1e-9, 4, 1e-3), force: 3.0);
        string file = _harness.WriteSpec("glide.json", spec);
        var serial = CliHarness.Run("run", file, "--out", _harness.PathOf("glide-serial"));
        Assert.True(serial.ExitCode == 0, serial.Stderr);
        string directory = _harness.PathOf("glide-3");
        using var job = new MpiJob(3, "run", file, "--out", directory);
        var result = job.Wait(Timeout);
        Assert.True(result.ExitCode == 0, result.Stderr);
        CompareTrajectories(_harness.PathOf("glide-serial"), directory, 1e-10, "glide, 3 ranks");
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, RunPipeline.SummaryFile)));
        Assert.True(summary.RootElement.GetProperty("distributed").GetProperty("traffic").GetProperty("migration").GetProperty("bytes_sent_total").GetInt64() > 0);
    }

    [MpiFact]
    public void More_ranks_than_the_system_allows_are_refused_once_naming_the_limit()
    {
        string file = _harness.WriteSpec("small.json", DistributedSpecs.SmoothRun() with { Particles = new UniformParticles(150, 0.5) });
        using var job = new MpiJob(4, "forces", file, "--json");
        var result = job.Wait(Timeout);
        output.WriteLine(result.Stderr);
        Assert.Equal(ExitCodes.InvalidInput, result.ExitCode);
        Assert.Equal("", result.Stdout);
        var errors = result.Stderr.Split('\n').Where(line => line.StartsWith("error:", StringComparison.Ordinal)).ToArray();
        var line = Assert.Single(errors);
        Assert.Contains("4 ranks", line, StringComparison.Ordinal);
        Assert.Contains("at most", line, StringComparison.Ordinal);
    }

    [MpiFact]
    public void An_implicit_run_writes_the_serial_outputs_on_one_to_four_ranks()
    {
        // Close dipoles (3δ, δ = 1e-3), log kernel; edge dislocations gliding across slabs.
        var time = new TimeSpec(0.01, IntegratorType.Implicit, 1e-6, 1e-9, 3, 1e-3);
        foreach (var (name, spec, rankCounts) in new[]
        {
            ("dipoles-log", DistributedSpecs.DipolesLog(time), new[] { 1, 2, 3, 4 }),
            ("glide-edge", DistributedSpecs.SlipPlaneEdge(time with { End = 0.05 }, force: 3.0), new[] { 2 }),
        })
        {
            string file = _harness.WriteSpec($"{name}-implicit.json", spec);
            var serial = CliHarness.Run("run", file, "--out", _harness.PathOf($"{name}-serial"));
            Assert.True(serial.ExitCode == 0, serial.Stderr);
            foreach (int ranks in rankCounts)
            {
                string directory = _harness.PathOf($"{name}-{ranks}");
                using var job = new MpiJob(ranks, "run", file, "--out", directory);
                var result = job.Wait(Timeout);
                Assert.True(result.ExitCode == 0, $"{name}, {ranks} ranks: {MpiJob.Failure(result)}");
                CompareTrajectories(_harness.PathOf($"{name}-serial"), directory, 1e-10, $"{name}, {ranks} ranks");
                using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, RunPipeline.SummaryFile)));
                var root = summary.RootElement;
                Assert.Equal("implicit", root.GetProperty("methods").GetProperty("integrator").GetString());
                if (ranks > 1)
                {
                    Assert.True(root.GetProperty("distributed").GetProperty("traffic").GetProperty("conjugategradient").GetProperty("bytes_sent_total").GetInt64() > 0);
                }
            }
        }
    }

    [MpiFact]
    public void A_missing_run_directory_is_refused_once_naming_it()
    {
        using var job = new MpiJob(2, "resume", _harness.PathOf("missing"));
        var result = job.Wait(Timeout);
        output.WriteLine(result.Stderr);
        Assert.Equal(ExitCodes.InvalidInput, result.ExitCode);
        Assert.Equal("", result.Stdout);
        var line = Assert.Single(result.Stderr.Split('\n'), l => l.StartsWith("error:", StringComparison.Ordinal));
        Assert.StartsWith($"error: {_harness.PathOf("missing")}: ", line, StringComparison.Ordinal);
    }

    [MpiFact]
    public void A_run_stopped_by_sigterm_resumes_across_ranks_bit_for_bit_and_checkpoints_move_between_serial_and_ranks()
    {
        var spec = DistributedSpecs.SmoothRun() with { Time = new TimeSpec(0.2, IntegratorType.Dp45, 1e-6, 1e-9, 21, 1e-3) };
        string file = _harness.WriteSpec("long.json", spec);
        string half = _harness.WriteSpec("half.json", spec with { Time = spec.Time with { End = 0.1, Outputs = 11 } });
        var serial = CliHarness.Run("run", file, "--out", _harness.PathOf("serial"));
        Assert.True(serial.ExitCode == 0, serial.Stderr);
        using (var whole = new MpiJob(2, "run", file, "--out", _harness.PathOf("whole")))
        {
            var result = whole.Wait(Timeout);
            Assert.True(result.ExitCode == 0, result.Stderr);
        }

        // SIGTERM to mpiexec once the first checkpoint is there: every rank stops, rank 0 checkpoints the last frame.
        string stopped = _harness.PathOf("stopped");
        using (var job = new MpiJob(2, "run", file, "--out", stopped, "--checkpoint-every", "1f"))
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (!File.Exists(Path.Combine(stopped, RunPipeline.CheckpointFileName)) && !job.HasExited && clock.Elapsed < Timeout)
            {
                Thread.Sleep(20);
            }
            job.Terminate();
            var result = job.Wait(Timeout);
            // Every rank ends with the serial exit code 130, but what mpiexec itself returns after forwarding SIGTERM
            // depends on Hydra's timing (130 or 0 seen here), so the test checks the ranks' own account instead.
            output.WriteLine($"mpiexec exit code {result.ExitCode}");
            Assert.Contains("error: cancelled", result.Stderr, StringComparison.Ordinal);
        }
        using (var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(stopped, RunPipeline.SummaryFile))))
        {
            Assert.Equal("cancelled", summary.RootElement.GetProperty("status").GetString());
        }
        CopyDirectory(stopped, _harness.PathOf("stopped-serial"));

        // Resumed on 2 ranks: the uninterrupted 2-rank run bit for bit; serially: the serial run to 1e-10.
        using (var resume = new MpiJob(2, "resume", stopped))
        {
            var result = resume.Wait(Timeout);
            Assert.True(result.ExitCode == 0, result.Stderr);
        }
        CompareTrajectories(_harness.PathOf("whole"), stopped, 0, "resumed on 2 ranks vs 2 ranks");
        var serialResume = CliHarness.Run("resume", _harness.PathOf("stopped-serial"));
        Assert.True(serialResume.ExitCode == 0, serialResume.Stderr);
        CompareTrajectories(_harness.PathOf("serial"), _harness.PathOf("stopped-serial"), 1e-10, "2-rank checkpoint resumed serially");

        // A serial run's checkpoint, extended on 2 ranks.
        var first = CliHarness.Run("run", half, "--out", _harness.PathOf("half"));
        Assert.True(first.ExitCode == 0, first.Stderr);
        using (var extend = new MpiJob(2, "resume", _harness.PathOf("half"), "--end", "0.2"))
        {
            var result = extend.Wait(Timeout);
            Assert.True(result.ExitCode == 0, result.Stderr);
        }
        CompareTrajectories(_harness.PathOf("serial"), _harness.PathOf("half"), 1e-10, "serial checkpoint extended on 2 ranks");
    }

    public void Dispose() => _harness.Dispose();

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string path in Directory.GetFiles(from))
        {
            File.Copy(path, Path.Combine(to, Path.GetFileName(path)));
        }
    }

    private static double[][] Velocities(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("velocities").EnumerateArray()
            .Select(v => v.EnumerateArray().Select(c => c.GetDouble()).ToArray()).ToArray();
    }

    /// <summary>max over particles of |Δv_i| / max(|v_i|, RMS |v|).</summary>
    private static double WorstRelative(double[][] expected, double[][] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        double rms = Math.Sqrt(expected.Average(v => v.Sum(c => c * c)));
        return expected.Zip(actual, (e, a) => Math.Sqrt(e.Zip(a, (x, y) => (x - y) * (x - y)).Sum()) / Math.Max(Math.Sqrt(e.Sum(c => c * c)), rms)).Max();
    }

    private void CompareTrajectories(string serialDirectory, string directory, double tolerance, string label)
    {
        using var expected = TrajectoryReader.Open(Path.Combine(serialDirectory, RunPipeline.TrajectoryFile));
        using var actual = TrajectoryReader.Open(Path.Combine(directory, RunPipeline.TrajectoryFile));
        Assert.Equal(expected.Frames, actual.Frames);
        Assert.Equal(expected.Signs, actual.Signs);
        Assert.Equal(expected.Times, actual.Times);
        for (int f = 0; f < expected.Frames; f++)
        {
            var a = expected.ReadFrame(f);
            var b = actual.ReadFrame(f);
            double worst = 0;
            for (int axis = 0; axis < a.Dimension; axis++)
            {
                for (int i = 0; i < a.Count; i++)
                {
                    worst = Math.Max(worst, Math.Abs(Torus.Nearest(a.Positions[axis][i] - b.Positions[axis][i])));
                }
            }
            output.WriteLine($"{label}: frame {f}, largest position difference {worst:E2}");
            Assert.True(worst <= tolerance, $"{label}: frame {f} differs by {worst:E2}");
        }
    }
}
