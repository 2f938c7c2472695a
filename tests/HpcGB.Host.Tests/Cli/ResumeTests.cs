using System.Diagnostics;
using System.Text.Json;
using HpcGB.Engine.Model;
using HpcGB.Engine.Spec;
using HpcGB.Host.Cli;
using PureHDF;

namespace HpcGB.Host.Tests.Cli;

/// <summary>
/// <c>hpcgb run</c> checkpoints, <c>hpcgb resume</c> continues and extends: an interrupted run resumed, and a finished
/// run extended, give the files of an uninterrupted run bit for bit (all but the wall-clock times).
/// </summary>
public sealed class ResumeTests : IClassFixture<CliHarness>
{
    private readonly CliHarness _harness;

    public ResumeTests(CliHarness harness) => _harness = harness;

    /// <summary>40 particles in a cos field, exact forces, DP45 at rtol 1e-8: the particles move visibly in T = 0.05.</summary>
    private static SimulationSpec Spec(double end, int outputs) => new SimulationSpec(
        new SystemModel(2, KernelType.Log, MobilityType.Isotropic, new Regularization(RegularizationType.Gaussian, 0.02),
            new ExternalPotential([new FourierMode([1, 0], 0.3, 0.0)], [0.0, 0.0])),
        new UniformParticles(40, 0.5),
        TimeSpec.Default with { End = end, Outputs = outputs, Rtol = 1e-8, Atol = 1e-10 },
        ForcesSpec.Default with { Method = ForceMethod.Reference },
        Seed: 5) { Outputs = new OutputsSpec(Velocities: true) };

    /// <summary>The same run under the implicit integrator at order ≤ 5 with the error per unit of time: its
    /// checkpoint carries the BDF history and the spec its settings.</summary>
    private static SimulationSpec ImplicitSpec(double end, int outputs) => Spec(end, outputs) with
    {
        Time = Spec(end, outputs).Time with { Integrator = IntegratorType.Implicit, MaxOrder = 5, Error = ErrorControl.PerUnitTime },
    };

    [Theory]
    [InlineData("dp45")]
    [InlineData("implicit")]
    public void AnInterruptedRunResumesBitIdentically(string integrator)
    {
        var spec = integrator == "implicit" ? ImplicitSpec(0.05, 6) : Spec(0.05, 6);
        string specPath = _harness.WriteSpec($"resume-{integrator}.json", spec);
        string straight = _harness.PathOf($"straight-{integrator}");
        Assert.Equal(ExitCodes.Success, CliHarness.Run("run", specPath, "--out", straight).ExitCode);
        using (var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(straight, RunPipeline.SummaryFile))))
        {
            // The summary's normalised spec states the settings the run used.
            var time = summary.RootElement.GetProperty("spec").GetProperty("time");
            Assert.Equal(integrator, time.GetProperty("integrator").GetString());
            Assert.Equal(integrator == "implicit", time.TryGetProperty("max_order", out var maxOrder));
            if (integrator == "implicit")
            {
                Assert.Equal(5, maxOrder.GetInt32());
                Assert.Equal("per_unit_time", time.GetProperty("error").GetString());
            }
        }

        // Cancel (what Ctrl+C and SIGTERM do) while frame 2 is reported: the run stops with frames 0 … 2 written and
        // checkpointed there.
        string interrupted = _harness.PathOf($"interrupted-{integrator}");
        var first = RunCancelledAt(2, "run", specPath, "--out", interrupted, "--checkpoint-every", "1f");
        Assert.Equal(ExitCodes.Cancelled, first.ExitCode);
        using (var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(interrupted, RunPipeline.SummaryFile))))
        {
            Assert.Equal("cancelled", summary.RootElement.GetProperty("status").GetString());
            Assert.Equal(3, summary.RootElement.GetProperty("observables").GetArrayLength());
        }
        Assert.Equal([], Directory.GetFiles(interrupted, "*.partial").Concat(Directory.GetFiles(interrupted, "*.tmp")));

        var resumed = CliHarness.Run("resume", interrupted);
        Assert.True(resumed.ExitCode == ExitCodes.Success, resumed.Stderr);
        Assert.StartsWith("frame 4/6", resumed.Stderr); // it continued from the checkpoint, not from t = 0
        AssertSameRun(straight, interrupted);
    }

    /// <summary>The one call a batch of runs uses: the same spec into a directory holding its interrupted run continues
    /// it; another spec starts afresh.</summary>
    [Fact]
    public void ExecuteOrResumeContinuesAnUnfinishedRunOfTheSameSpec()
    {
        var spec = Spec(0.05, 6);
        string straight = _harness.PathOf("batch-straight");
        Assert.Equal(ExitCodes.Success, CliHarness.Run("run", _harness.WriteSpec("batch.json", spec), "--out", straight).ExitCode);
        string batch = _harness.PathOf("batch");
        Assert.Equal(ExitCodes.Cancelled, RunCancelledAt(1, "run", _harness.WriteSpec("batch.json", spec), "--out", batch).ExitCode);

        Assert.True(RunResumption.IsUnfinishedRunOf(batch, spec));
        Assert.False(RunResumption.IsUnfinishedRunOf(batch, spec with { Seed = 6 }));
        var stderr = new StringWriter();
        var pipeline = new RunPipeline(CliConsole.Captured(new StringWriter(), stderr), Microsoft.Extensions.Logging.Abstractions.NullLogger<RunPipeline>.Instance);
        Assert.Equal(ExitCodes.Success, pipeline.ExecuteOrResume(spec, batch, RunOptions.Default, CancellationToken.None));
        Assert.StartsWith("frame 3/6", stderr.ToString());
        AssertSameRun(straight, batch);
        Assert.False(RunResumption.IsUnfinishedRunOf(batch, spec));
    }

    [Fact]
    public void AnExtendedRunEqualsALongerRunFromTheStart()
    {
        string shortRun = _harness.PathOf("short");
        Assert.Equal(ExitCodes.Success, CliHarness.Run("run", _harness.WriteSpec("short.json", Spec(0.05, 6)), "--out", shortRun).ExitCode);
        string longRun = _harness.PathOf("long");
        Assert.Equal(ExitCodes.Success, CliHarness.Run("run", _harness.WriteSpec("long.json", Spec(0.1, 11)), "--out", longRun).ExitCode);

        var extended = CliHarness.Run("resume", shortRun, "--end", "0.1");
        Assert.True(extended.ExitCode == ExitCodes.Success, extended.Stderr);
        Assert.StartsWith("frame 7/11", extended.Stderr);
        AssertSameRun(longRun, shortRun);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(shortRun, RunPipeline.SummaryFile)));
        Assert.Equal(11, summary.RootElement.GetProperty("observables").GetArrayLength());
        Assert.Equal(0.1, summary.RootElement.GetProperty("spec").GetProperty("time").GetProperty("end").GetDouble());
    }

    [Fact]
    public void ResumeRefusesWhatItCannotContinue()
    {
        string run = _harness.PathOf("refuse");
        Assert.Equal(ExitCodes.Success, CliHarness.Run("run", _harness.WriteSpec("refuse.json", Spec(0.05, 6)), "--out", run).ExitCode);

        var finished = CliHarness.Run("resume", run);
        Assert.Equal(ExitCodes.InvalidInput, finished.ExitCode);
        Assert.Contains("--end: the run is finished at t = 0.05", finished.Stderr);

        var offGrid = CliHarness.Run("resume", run, "--end", "0.105");
        Assert.Equal(ExitCodes.InvalidInput, offGrid.ExitCode);
        Assert.Contains("not a whole number of output intervals", offGrid.Stderr);

        var earlier = CliHarness.Run("resume", run, "--end", "0.01");
        Assert.Equal(ExitCodes.InvalidInput, earlier.ExitCode);

        var nothing = CliHarness.Run("resume", _harness.PathOf("no-such-run"));
        Assert.Equal(ExitCodes.InvalidInput, nothing.ExitCode);
        Assert.Single(nothing.Stderr.Trim().Split('\n'));

        File.WriteAllBytes(Path.Combine(run, RunPipeline.CheckpointFileName), [1, 2, 3]);
        var corrupt = CliHarness.Run("resume", run, "--end", "0.1");
        Assert.Equal(ExitCodes.InvalidInput, corrupt.ExitCode);
        Assert.Contains("unreadable checkpoint", corrupt.Stderr);

        var badPolicy = CliHarness.Run("run", _harness.WriteSpec("policy.json", Spec(0.05, 6)), "--out", _harness.PathOf("policy"), "--checkpoint-every", "5 parsecs");
        Assert.Equal(ExitCodes.InvalidInput, badPolicy.ExitCode);
        Assert.StartsWith("error: --checkpoint-every:", badPolicy.Stderr);

        string continuum = _harness.WriteText("continuum.json", """
            { "model": "continuum", "dimension": 1, "grid": 16,
              "densities": { "positive": { "mean": 1 }, "negative": { "mean": 1 } }, "time": { "end": 0.01, "outputs": 2 } }
            """);
        var pde = CliHarness.Run("run", continuum, "--out", _harness.PathOf("pde"), "--checkpoint-every", "1f");
        Assert.Equal(ExitCodes.InvalidInput, pde.ExitCode);
        Assert.Contains("continuum runs do not checkpoint", pde.Stderr);
    }

    /// <summary>h5py reads a resumed trajectory exactly like an uninterrupted one: same datasets, shapes, types,
    /// attributes and values (the wall-clock column aside).</summary>
    [H5pyFact]
    public void H5pyReadsAResumedFileLikeAnUninterruptedOne()
    {
        string specPath = _harness.WriteSpec("h5py.json", Spec(0.05, 6));
        string straight = _harness.PathOf("h5py-straight");
        Assert.Equal(ExitCodes.Success, CliHarness.Run("run", specPath, "--out", straight).ExitCode);
        string interrupted = _harness.PathOf("h5py-interrupted");
        Assert.Equal(ExitCodes.Cancelled, RunCancelledAt(3, "run", specPath, "--out", interrupted).ExitCode);
        Assert.Equal(ExitCodes.Success, CliHarness.Run("resume", interrupted).ExitCode);

        const string script = """
            import sys, h5py, numpy as np
            a, b = h5py.File(sys.argv[1], "r"), h5py.File(sys.argv[2], "r")
            assert sorted(a.keys()) == sorted(b.keys()), (list(a.keys()), list(b.keys()))
            assert dict(a.attrs) == dict(b.attrs)
            for name in a:
                x, y = a[name], b[name]
                assert x.shape == y.shape and x.dtype == y.dtype, name
                assert dict(x.attrs) == dict(y.attrs), name
                assert np.array_equal(x[()], y[()]), name
            assert a["positions"].shape == (6, 40, 2) and not np.isnan(b["positions"][()]).any()
            print("same", len(a.keys()))
            """;
        var python = Process.Start(new ProcessStartInfo(H5pyFactAttribute.Python, ["-c", script,
            Path.Combine(straight, RunPipeline.TrajectoryFile), Path.Combine(interrupted, RunPipeline.TrajectoryFile)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        string output = python.StandardOutput.ReadToEnd();
        string error = python.StandardError.ReadToEnd();
        python.WaitForExit();
        Assert.True(python.ExitCode == 0, error);
        Assert.StartsWith("same 11", output);
    }

    /// <summary>Runs the CLI in-process and cancels it while frame <paramref name="frame"/> is reported.</summary>
    private static CliResult RunCancelledAt(int frame, params string[] args)
    {
        using var cancel = new CancellationTokenSource();
        var stdout = new StringWriter();
        var stderr = new CancellingWriter($"frame {frame + 1}/", cancel);
        int code = HpcgbCli.InvokeAsync(args, Host.Cli.CliConsole.Captured(stdout, stderr), cancel.Token).GetAwaiter().GetResult();
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Every dataset and attribute of the two runs' trajectories and summaries agrees bit for bit, wall times aside.</summary>
    private static void AssertSameRun(string expectedDirectory, string actualDirectory)
    {
        using var expected = H5File.OpenRead(Path.Combine(expectedDirectory, RunPipeline.TrajectoryFile));
        using var actual = H5File.OpenRead(Path.Combine(actualDirectory, RunPipeline.TrajectoryFile));
        Assert.Equal(expected.Attribute("spec").Read<string>(), actual.Attribute("spec").Read<string>());
        foreach (string name in new[] { "time", "positions", "velocities", "energy", "max_speed", "centroid" })
        {
            Assert.Equal(expected.Dataset(name).Read<double[]>(), actual.Dataset(name).Read<double[]>());
        }
        foreach (string name in new[] { "bound_dipoles", "accepted_steps", "rejected_steps", "force_evaluations" })
        {
            Assert.Equal(expected.Dataset(name).Read<long[]>(), actual.Dataset(name).Read<long[]>());
        }
        Assert.DoesNotContain(actual.Dataset("positions").Read<double[]>(), double.IsNaN);

        using var expectedSummary = JsonDocument.Parse(File.ReadAllText(Path.Combine(expectedDirectory, RunPipeline.SummaryFile)));
        using var actualSummary = JsonDocument.Parse(File.ReadAllText(Path.Combine(actualDirectory, RunPipeline.SummaryFile)));
        Assert.Equal("completed", actualSummary.RootElement.GetProperty("status").GetString());
        var expectedRows = expectedSummary.RootElement.GetProperty("observables").EnumerateArray().Select(WithoutWall).ToArray();
        var actualRows = actualSummary.RootElement.GetProperty("observables").EnumerateArray().Select(WithoutWall).ToArray();
        Assert.Equal(expectedRows, actualRows);
    }

    private static string WithoutWall(JsonElement row) =>
        string.Join(",", row.EnumerateObject().Where(p => p.Name != "wall_seconds").Select(p => $"{p.Name}={p.Value.GetRawText()}"));

    /// <summary>Captured stderr that cancels when a progress line containing <paramref name="marker"/> is written.</summary>
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
}
