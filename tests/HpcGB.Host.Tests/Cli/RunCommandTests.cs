using System.Text.Json;
using HpcGB.Engine.Spec;
using HpcGB.Host.Cli;
using PureHDF;

namespace HpcGB.Host.Tests.Cli;

/// <summary><c>hpcgb run</c> end to end in-process: every output file, readable back.</summary>
public sealed class RunCommandTests : IClassFixture<CliHarness>
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private readonly CliHarness _harness;

    public RunCommandTests(CliHarness harness) => _harness = harness;

    [Fact]
    public void TinySpecWritesEveryOutput()
    {
        var spec = CliHarness.Tiny2D();
        string specPath = _harness.WriteSpec("tiny2d.json", spec);
        string outDir = _harness.PathOf("tiny2d-out");

        var result = CliHarness.Run("run", specPath, "--out", outDir);

        Assert.True(result.ExitCode == ExitCodes.Success, result.Stderr);
        Assert.Contains(Path.GetFullPath(outDir), result.Stdout);
        Assert.Contains("final energy", result.Stdout);
        // Not a terminal: one plain progress line per output frame on stderr.
        Assert.Equal(3, result.Stderr.Split('\n').Count(line => line.StartsWith("frame ", StringComparison.Ordinal)));

        foreach (string file in new[] { "summary.json", "trajectory.h5", "energy.png", "particles.png" })
        {
            Assert.True(File.Exists(Path.Combine(outDir, file)), file);
        }
        AssertPng(Path.Combine(outDir, "energy.png"));
        AssertPng(Path.Combine(outDir, "particles.png"));
        AssertSummary(Path.Combine(outDir, "summary.json"), spec, frames: 3);
        AssertTrajectory(Path.Combine(outDir, "trajectory.h5"), spec, frames: 3, count: 6, dimension: 2);
    }

    [Fact]
    public void OneDimensionalSpecRuns()
    {
        var spec = CliHarness.Tiny1D();
        string outDir = _harness.PathOf("tiny1d-out");

        var result = CliHarness.Run("run", _harness.WriteSpec("tiny1d.json", spec), "--out", outDir);

        Assert.True(result.ExitCode == ExitCodes.Success, result.Stderr);
        AssertTrajectory(Path.Combine(outDir, "trajectory.h5"), spec, frames: 3, count: 6, dimension: 1);
        AssertPng(Path.Combine(outDir, "particles.png"));
        AssertPng(Path.Combine(outDir, "energy.png"));
    }

    /// <summary>A bad value, and an implicit-only setting with the default dp45 (refused, not ignored).</summary>
    [Theory]
    [InlineData("regularization", "delta", -1.0)]
    [InlineData("time", "max_order", 5.0)]
    public void InvalidSpecExitsTwoNamingThePath(string block, string key, double value)
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(SpecWriter.ToJson(CliHarness.Tiny2D()))!;
        json[block]![key] = value;
        string specPath = _harness.WriteText($"bad-{key}.json", json.ToJsonString());

        var result = CliHarness.Run("run", specPath, "--out", _harness.PathOf($"bad-out-{key}"));

        Assert.Equal(ExitCodes.InvalidInput, result.ExitCode);
        Assert.StartsWith($"error: $.{block}.{key}: ", result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
        Assert.False(Directory.Exists(_harness.PathOf($"bad-out-{key}")));
    }

    [Fact]
    public void MalformedJsonExitsTwo()
    {
        var result = CliHarness.Run("run", _harness.WriteText("broken.json", "{\"dimension\": 2,"));

        Assert.Equal(ExitCodes.InvalidInput, result.ExitCode);
        Assert.StartsWith("error: ", result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
    }

    [Fact]
    public void MissingSpecFileExitsTwo()
    {
        string missing = _harness.PathOf("does-not-exist.json");

        var result = CliHarness.Run("run", missing);

        Assert.Equal(ExitCodes.InvalidInput, result.ExitCode);
        Assert.Contains("error: spec file not found: ", result.Stderr);
        Assert.Contains(missing, result.Stderr);
    }

    [Fact]
    public void CollisionExitsOneWithoutStackTrace()
    {
        string outDir = _harness.PathOf("collision-out");

        var result = CliHarness.Run("run", _harness.WriteSpec("collision.json", CliHarness.Collision()), "--out", outDir);

        Assert.Equal(ExitCodes.RuntimeFailure, result.ExitCode);
        Assert.Contains("error: ", result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
        // The outputs of a failed run are still closed and say what happened.
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        Assert.Equal("failed", summary.RootElement.GetProperty("status").GetString());
        Assert.True(summary.RootElement.TryGetProperty("error", out _));
    }

    [Fact]
    public async Task CancellationExits130AndKeepsTheFramesReached()
    {
        string specPath = _harness.WriteSpec("cancel.json", CliHarness.Tiny2D());
        string outDir = _harness.PathOf("cancel-out");
        using var cancellation = new CancellationTokenSource();
        // Cancel as soon as the first frame's progress line is written.
        var stderr = new CancelOnWriteWriter("frame 1/", cancellation);
        var console = CliConsole.Captured(new StringWriter(), stderr);

        int code = await HpcgbCli.InvokeAsync(["run", specPath, "--out", outDir], console, cancellation.Token);

        Assert.Equal(ExitCodes.Cancelled, code);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        Assert.Equal("cancelled", summary.RootElement.GetProperty("status").GetString());
        Assert.Equal(1, summary.RootElement.GetProperty("observables").GetArrayLength());
        using var file = H5File.OpenRead(Path.Combine(outDir, "trajectory.h5"));
        double[] time = file.Dataset("time").Read<double[]>();
        Assert.Equal(3, time.Length);
        Assert.Equal(0.0, time[0]);
        Assert.True(double.IsNaN(time[1]) && double.IsNaN(time[2]));
        Assert.All(file.Dataset("positions").Read<double[,,]>().Cast<double>().Skip(6 * 2), x => Assert.True(double.IsNaN(x)));
    }

    [Fact]
    public void DefaultOutputDirectoryIsNamedAfterTheSpecAndTime()
    {
        string directory = RunCommand.DefaultOutputDirectory("/some/where/my-spec.json", new DateTime(2025, 3, 4, 5, 6, 7));

        Assert.Equal(Path.Combine("runs", "my-spec-20250304-050607"), directory);
    }

    private static void AssertPng(string path)
    {
        byte[] head = new byte[PngSignature.Length];
        using (var stream = File.OpenRead(path))
        {
            stream.ReadExactly(head);
        }
        Assert.Equal(PngSignature, head);
        Assert.True(new FileInfo(path).Length > 5_000, $"{path} is suspiciously small");
    }

    private static void AssertSummary(string path, SimulationSpec spec, int frames)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var root = document.RootElement;
        Assert.Equal("completed", root.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Object, root.GetProperty("spec").ValueKind);
        // The echo is the normalised spec: it reads back to the same spec.
        Assert.Equal(SpecWriter.ToJson(spec), SpecWriter.ToJson(SpecReader.Parse(root.GetProperty("spec").GetRawText())));
        Assert.Equal("reference", root.GetProperty("methods").GetProperty("evaluator").GetString());
        Assert.Equal("dp45", root.GetProperty("methods").GetProperty("integrator").GetString());
        var observables = root.GetProperty("observables");
        Assert.Equal(frames, observables.GetArrayLength());
        Assert.Equal(0.0, observables[0].GetProperty("time").GetDouble());
        Assert.Equal(spec.Time.End, observables[frames - 1].GetProperty("time").GetDouble());
        foreach (var row in observables.EnumerateArray())
        {
            Assert.Equal(JsonValueKind.Number, row.GetProperty("energy").ValueKind);
            Assert.Equal(spec.Dimension, row.GetProperty("centroid").GetArrayLength());
            Assert.True(row.GetProperty("max_speed").GetDouble() >= 0);
        }
        var timings = root.GetProperty("timings");
        Assert.True(timings.GetProperty("total_seconds").GetDouble() > 0);
        Assert.True(timings.GetProperty("phases_seconds").TryGetProperty("simulation", out _));
        Assert.False(string.IsNullOrEmpty(root.GetProperty("engine").GetProperty("version").GetString()));
        Assert.Equal(JsonValueKind.Object, root.GetProperty("capabilities").GetProperty("simd").ValueKind);
    }

    private static void AssertTrajectory(string path, SimulationSpec spec, int frames, int count, int dimension)
    {
        using var file = H5File.OpenRead(path);
        double[] time = file.Dataset("time").Read<double[]>();
        Assert.Equal(frames, time.Length);
        Assert.Equal(0.0, time[0]);
        Assert.Equal(spec.Time.End, time[^1]);

        var positions = file.Dataset("positions");
        Assert.Equal([(ulong)frames, (ulong)count, (ulong)dimension], positions.Space.Dimensions);
        Assert.All(positions.Read<double[]>(), x => Assert.True(x >= 0 && x < 1, $"{x} not wrapped"));

        sbyte[] signs = file.Dataset("signs").Read<sbyte[]>();
        Assert.Equal(count, signs.Length);
        Assert.All(signs, s => Assert.True(s is 1 or -1));
        Assert.Equal(1L, (long)file.Dataset("signs").Type.Size);

        Assert.Equal(frames, file.Dataset("energy").Read<double[]>().Length);
        Assert.Equal(frames, file.Dataset("max_speed").Read<double[]>().Length);
        Assert.Equal(frames, file.Dataset("bound_dipoles").Read<long[]>().Length);
        Assert.Equal([(ulong)frames, (ulong)dimension], file.Dataset("centroid").Space.Dimensions);

        string specJson = file.Attribute("spec").Read<string>();
        Assert.Equal(SpecWriter.ToJson(spec), specJson);
    }

    /// <summary>A stderr stand-in that cancels a token when a given text is written.</summary>
    private sealed class CancelOnWriteWriter(string trigger, CancellationTokenSource cancellation) : StringWriter
    {
        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            if (value is not null && value.Contains(trigger, StringComparison.Ordinal))
            {
                cancellation.Cancel();
            }
        }
    }
}
