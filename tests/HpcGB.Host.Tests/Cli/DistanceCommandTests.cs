using System.Text.Json;
using HpcGB.Engine.Analysis.Transport;
using HpcGB.Engine.Model;
using HpcGB.Engine.Spec;
using HpcGB.Host.Cli;
using HpcGB.Host.Output;

namespace HpcGB.Host.Tests.Cli;

/// <summary><c>hpcgb distance</c> on trajectories written by <c>hpcgb run</c> and by <see cref="TrajectoryWriter"/>.</summary>
public sealed class DistanceCommandTests : IClassFixture<CliHarness>
{
    private const double Delta = 0.01;
    private const int Dipoles = 16;

    private readonly CliHarness _harness;

    public DistanceCommandTests(CliHarness harness) => _harness = harness;

    [Fact]
    public void ReportsExactW2DipolesAndDriftAsJson()
    {
        // 16 dipoles of width 0.005 on a 4 × 4 lattice; frame 1 moves every + by (0.001, 0) and every − by (0.003, 0):
        // W₂(ρ⁺) = 0.001, W₂(ρ⁻) = 0.003, each centre drifts by 0.002 and every dipole persists.
        string path = WriteDipoleTrajectory("dipoles.h5");
        var result = CliHarness.Run("distance", path, path, "--frame", "0", "--frame-b", "-1", "--json");
        Assert.True(result.ExitCode == ExitCodes.Success, result.Stderr);
        var root = JsonDocument.Parse(result.Stdout).RootElement;

        Assert.Equal(0, root.GetProperty("a").GetProperty("frame").GetInt32());
        Assert.Equal(1, root.GetProperty("b").GetProperty("frame").GetInt32());
        Assert.Equal(0.5, root.GetProperty("b").GetProperty("time").GetDouble());
        var positive = root.GetProperty("w2").GetProperty("positive");
        Assert.Equal(0.001, positive.GetProperty("value").GetDouble(), 1e-12);
        Assert.Equal("assignment", positive.GetProperty("method").GetString());
        Assert.True(positive.GetProperty("exact").GetBoolean());
        Assert.Equal(JsonValueKind.Null, positive.GetProperty("epsilon").ValueKind);
        Assert.Equal(JsonValueKind.Null, positive.GetProperty("squared_gap_bound").ValueKind);
        Assert.Equal(0.003, root.GetProperty("w2").GetProperty("negative").GetProperty("value").GetDouble(), 1e-12);

        Assert.Equal(3 * Delta, root.GetProperty("a").GetProperty("bound_distance").GetDouble(), 1e-15);
        Assert.Equal(Dipoles, root.GetProperty("a").GetProperty("dipoles").GetInt32());
        // Width 0.005 falls in bin 1 of 10 on [0, 0.03).
        var counts = root.GetProperty("a").GetProperty("width_counts").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        Assert.Equal(Dipoles, counts[1]);
        Assert.Equal(Dipoles, counts.Sum());

        var drift = root.GetProperty("drift");
        Assert.Equal(Dipoles, drift.GetProperty("persisting").GetInt32());
        Assert.Equal(0.002, drift.GetProperty("max").GetDouble(), 1e-12);
        Assert.Equal(0.002 / (2.0 * Dipoles * 2 * Dipoles * Delta), drift.GetProperty("max_over_n2_delta").GetDouble(), 1e-12);
    }

    [Fact]
    public void ComparesTwoRunsAsTextWithTheEngineValue()
    {
        var spec = CliHarness.Tiny1D() with { Particles = new UniformParticles(40, 0.5) };
        string runA = _harness.PathOf("run-a");
        string runB = _harness.PathOf("run-b");
        Assert.Equal(ExitCodes.Success, CliHarness.Run("run", _harness.WriteSpec("a.json", spec), "--out", runA).ExitCode);
        Assert.Equal(ExitCodes.Success, CliHarness.Run("run", _harness.WriteSpec("b.json", spec with { Seed = 99 }), "--out", runB).ExitCode);
        string a = Path.Combine(runA, "trajectory.h5"), b = Path.Combine(runB, "trajectory.h5");

        var result = CliHarness.Run("distance", a, b);
        Assert.True(result.ExitCode == ExitCodes.Success, result.Stderr);
        Assert.Contains("W₂(ρ⁺) = ", result.Stdout);
        Assert.Contains("(circle, exact)", result.Stdout);
        Assert.Contains("bound dipoles", result.Stdout);

        using var readerA = TrajectoryReader.Open(a);
        using var readerB = TrajectoryReader.Open(b);
        var expected = TorusW2.PerSign(readerA.ReadFrame(readerA.FramesReached - 1), readerB.ReadFrame(readerB.FramesReached - 1));
        var json = JsonDocument.Parse(CliHarness.Run("distance", a, b, "--json").Stdout).RootElement;
        Assert.Equal(expected.Positive!.Value, json.GetProperty("w2").GetProperty("positive").GetProperty("value").GetDouble());
        Assert.Equal(expected.Negative!.Value, json.GetProperty("w2").GetProperty("negative").GetProperty("value").GetDouble());
    }

    [Fact]
    public void DifferentCountsIn2DGoEntropicAndSayTheirEpsilon()
    {
        // 32 particles against 20 (Tiny2D-like uniform run): assignment needs equal counts, so Sinkhorn answers,
        // with the ε given; the frames hold different particles, so there is no drift.
        string dipoles = WriteDipoleTrajectory("sixteen-dipoles.h5");
        string runDir = _harness.PathOf("run-20");
        var spec = CliHarness.Tiny2D() with { Particles = new UniformParticles(20, 0.5) };
        Assert.Equal(ExitCodes.Success, CliHarness.Run("run", _harness.WriteSpec("twenty.json", spec), "--out", runDir).ExitCode);
        string other = Path.Combine(runDir, "trajectory.h5");

        var result = CliHarness.Run("distance", dipoles, other, "--frame", "0", "--epsilon", "0.01", "--json");
        Assert.True(result.ExitCode == ExitCodes.Success, result.Stderr);
        var root = JsonDocument.Parse(result.Stdout).RootElement;
        var positive = root.GetProperty("w2").GetProperty("positive");
        Assert.Equal("sinkhorn", positive.GetProperty("method").GetString());
        Assert.False(positive.GetProperty("exact").GetBoolean());
        Assert.Equal(0.01, positive.GetProperty("epsilon").GetDouble());
        Assert.Equal(0.01 * Math.Log(10), positive.GetProperty("squared_gap_bound").GetDouble(), 1e-15);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("drift").ValueKind);

        var text = CliHarness.Run("distance", dipoles, other, "--frame", "0", "--epsilon", "0.01");
        Assert.Contains("(sinkhorn, entropic ε = 0.01;", text.Stdout);
        Assert.Contains("dipole drift: not measured", text.Stdout);
    }

    [Fact]
    public void BadInputExitsWithCode2AndNamesTheProblem()
    {
        string path = WriteDipoleTrajectory("bad-input.h5");
        var missing = CliHarness.Run("distance", path, _harness.PathOf("nope.h5"));
        Assert.Equal(ExitCodes.InvalidInput, missing.ExitCode);
        Assert.Contains("nope.h5: no such run directory or file", missing.Stderr);

        var frame = CliHarness.Run("distance", path, path, "--frame", "5");
        Assert.Equal(ExitCodes.InvalidInput, frame.ExitCode);
        Assert.Contains("--frame: frame 5 is out of range", frame.Stderr);

        var epsilon = CliHarness.Run("distance", path, path, "--epsilon", "-1");
        Assert.Equal(ExitCodes.InvalidInput, epsilon.ExitCode);
        Assert.Contains("--epsilon must be positive", epsilon.Stderr);

        string notHdf5 = _harness.WriteText("not.h5", "plain text");
        var garbage = CliHarness.Run("distance", path, notHdf5);
        Assert.Equal(ExitCodes.InvalidInput, garbage.ExitCode);
        Assert.Contains("not a readable HDF5 file", garbage.Stderr);

        var oneD = Path.Combine(_harness.PathOf("run-1d"), "trajectory.h5");
        Assert.Equal(ExitCodes.Success, CliHarness.Run(
            "run", _harness.WriteSpec("one-d.json", CliHarness.Tiny1D()), "--out", _harness.PathOf("run-1d")).ExitCode);
        var dimensions = CliHarness.Run("distance", path, oneD);
        Assert.Equal(ExitCodes.InvalidInput, dimensions.ExitCode);
        Assert.Contains("holds a 1D run", dimensions.Stderr);
    }

    private string WriteDipoleTrajectory(string name)
    {
        var spec = CliHarness.Tiny2D() with
        {
            System = CliHarness.Tiny2D().System with { Regularization = new Regularization(RegularizationType.Gaussian, Delta) },
        };
        int n = 2 * Dipoles;
        var signs = Enumerable.Range(0, n).Select(i => i % 2 == 0 ? (sbyte)1 : (sbyte)-1).ToArray();
        var x = new double[n];
        var y = new double[n];
        for (int k = 0; k < Dipoles; k++)
        {
            double cx = (k / 4 + 0.5) / 4, cy = (k % 4 + 0.5) / 4;
            (x[2 * k], y[2 * k]) = (cx - 0.0025, cy);
            (x[2 * k + 1], y[2 * k + 1]) = (cx + 0.0025, cy);
        }
        var before = new ParticleState([x, y], signs);
        var after = new ParticleState(
            [x.Select((v, i) => v + (signs[i] > 0 ? 0.001 : 0.003)).ToArray(), (double[])y.Clone()], signs);
        string path = _harness.PathOf(name);
        using var writer = TrajectoryWriter.Create(path, SpecWriter.ToJson(spec), frames: 3, signs, dimension: 2);
        writer.Append(0, Record(0, 0.0), before);
        writer.Append(1, Record(1, 0.5), after);
        writer.Complete();
        return path;
    }

    private static FrameRecord Record(int index, double time) => new(index, time, 0, 0, [0, 0], 0, 0, 0, 0, 0);
}
