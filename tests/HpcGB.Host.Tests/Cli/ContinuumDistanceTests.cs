using System.Text.Json;
using HpcGB.Engine.Continuum;
using HpcGB.Engine.Model;
using HpcGB.Engine.Spec;
using HpcGB.Host.Cli;
using HpcGB.Host.Output;

namespace HpcGB.Host.Tests.Cli;

/// <summary>
/// <c>hpcgb distance</c> between a particle run and a continuum run, against a hand computation, and between two
/// particle runs with different δ (each side counted with its own).
/// </summary>
public sealed class ContinuumDistanceTests : IClassFixture<CliHarness>
{
    /// <summary>A 1D continuum spec on 4 cells with δ = 0.02 (the particle runs use Tiny1D's 0.05).</summary>
    private const string ContinuumSpec = """
        { "model": "continuum", "dimension": 1, "kernel": "log", "regularization": { "type": "gaussian", "delta": 0.02 },
          "grid": [4], "densities": { "positive": { "mean": 1 }, "negative": { "mean": 1 } },
          "time": { "end": 1, "outputs": 3 } }
        """;

    private readonly CliHarness _harness;

    public ContinuumDistanceTests(CliHarness harness) => _harness = harness;

    [Fact]
    public void ParticlesAgainstContinuumMatchTheHandComputation()
    {
        // ρ⁺ = ρ⁻ = 1/2 on 4 cells; one + at the centre of cell 0 and one − at the centre of cell 2 (n = 2, mass 1/2
        // each). Cloud-in-cell puts each particle's mass 1/2 into its cell: μ⁺ = (2, 0, 0, 0), so μ⁺ − ρ⁺ = (3/2, −1/2,
        // −1/2, −1/2) with DFT coefficients c_0 = 0, c_±1 = 1/2, c_2 = 0 (Nyquist, left out): ‖·‖²_{H⁻¹} =
        // 2 · (1/2)² / 4π², ‖·‖ = √(1/2) / 2π; likewise for −. κ_n − κ = (2, 0, −2, 0): c_±1 = 1, c_2 = 0, ‖·‖ = √2 / 2π.
        // W₂ of a point against the uniform density on the circle: (∫_{−1/2}^{1/2} u² du)^{1/2} = 1/√12.
        var (particles, continuum) = WriteRuns("hand", particleTimes: [0.0, 0.5, 1.0]);

        var result = CliHarness.Run("distance", particles, continuum, "--json");

        Assert.True(result.ExitCode == ExitCodes.Success, result.Stderr);
        var root = JsonDocument.Parse(result.Stdout).RootElement;
        Assert.Equal(0.05, root.GetProperty("particles").GetProperty("delta").GetDouble());
        Assert.Equal(0.02, root.GetProperty("continuum").GetProperty("delta").GetDouble());
        var times = root.GetProperty("times");
        Assert.Equal(3, times.GetArrayLength());
        foreach (var row in times.EnumerateArray())
        {
            var h = row.GetProperty("h_minus_one");
            Assert.Equal(Math.Sqrt(0.5) / (2 * Math.PI), h.GetProperty("positive").GetDouble(), 1e-14);
            Assert.Equal(Math.Sqrt(0.5) / (2 * Math.PI), h.GetProperty("negative").GetDouble(), 1e-14);
            Assert.Equal(Math.Sqrt(2) / (2 * Math.PI), h.GetProperty("kappa").GetDouble(), 1e-14);
            Assert.Equal(1 / Math.Sqrt(12), row.GetProperty("w2").GetProperty("positive").GetDouble(), 1e-12);
            Assert.Equal(1 / Math.Sqrt(12), row.GetProperty("w2").GetProperty("negative").GetDouble(), 1e-12);
        }
    }

    [Fact]
    public void OnlyCommonTimesAreComparedInEitherOrder()
    {
        // Particle frames at t = 0, 0.25, 0.75; continuum frames at 0, 0.5, 1: only t = 0 is common.
        var (particles, continuum) = WriteRuns("times", particleTimes: [0.0, 0.25, 0.75]);

        var result = CliHarness.Run("distance", Path.GetDirectoryName(continuum)!, particles, "--json");

        Assert.True(result.ExitCode == ExitCodes.Success, result.Stderr);
        var times = JsonDocument.Parse(result.Stdout).RootElement.GetProperty("times");
        Assert.Equal(1, times.GetArrayLength());
        Assert.Equal(0.0, times[0].GetProperty("t").GetDouble());
        var text = CliHarness.Run("distance", particles, continuum);
        Assert.Contains("note: the runs have different δ", text.Stdout);

        var noMatch = CliHarness.Run("distance", particles, continuum, "--frame", "1");
        Assert.Equal(ExitCodes.InvalidInput, noMatch.ExitCode);
        Assert.Contains("--frame", noMatch.Stderr);
        Assert.Contains("no frame at t = 0.25", noMatch.Stderr);
        var bound = CliHarness.Run("distance", particles, continuum, "--bound-distance", "0.1");
        Assert.Equal(ExitCodes.InvalidInput, bound.ExitCode);
        Assert.Contains("applies to two trajectories only", bound.Stderr);
    }

    [Fact]
    public void TwoTrajectoriesWithDifferentDeltaUseTheirOwn()
    {
        // The same dipoles of width 0.005 in both files: bound under A's δ = 0.01 (3δ = 0.03), not under B's
        // δ = 0.001 (3δ = 0.003). Counting B with A's δ (the old behaviour) finds 4 dipoles in B.
        string a = WriteDipoles("wide-delta.h5", 0.01), b = WriteDipoles("narrow-delta.h5", 0.001);

        var result = CliHarness.Run("distance", a, b, "--json");

        Assert.True(result.ExitCode == ExitCodes.Success, result.Stderr);
        var root = JsonDocument.Parse(result.Stdout).RootElement;
        Assert.Equal(0.03, root.GetProperty("a").GetProperty("bound_distance").GetDouble(), 1e-15);
        Assert.Equal(0.003, root.GetProperty("b").GetProperty("bound_distance").GetDouble(), 1e-15);
        Assert.Equal(0.001, root.GetProperty("b").GetProperty("delta").GetDouble());
        Assert.Equal(4, root.GetProperty("a").GetProperty("dipoles").GetInt32());
        Assert.Equal(0, root.GetProperty("b").GetProperty("dipoles").GetInt32());
        Assert.Equal(0, root.GetProperty("drift").GetProperty("persisting").GetInt32());
    }

    private (string Particles, string Continuum) WriteRuns(string name, double[] particleTimes)
    {
        string continuumDir = _harness.PathOf(name + "-continuum");
        Directory.CreateDirectory(continuumDir);
        string continuum = Path.Combine(continuumDir, "continuum.h5");
        double[] half = [0.5, 0.5, 0.5, 0.5];
        var frames = new[] { 0.0, 0.5, 1.0 }
            .Select((t, i) => new ContinuumFrame(i, new ContinuumObservables(t, 0.5, 0.5, 0, 0, 0, 0.5, i), half, half))
            .ToArray();
        string specJson = SpecWriter.ToJson((ContinuumSpec)SpecReader.ParseRun(ContinuumSpec));
        ContinuumWriter.Write(continuum, specJson, [4], 3, frames);

        string particles = _harness.PathOf(name + "-particles.h5");
        sbyte[] signs = [1, -1];
        var state = new ParticleState([[0.125, 0.625]], signs);
        using var writer = TrajectoryWriter.Create(particles, SpecWriter.ToJson(CliHarness.Tiny1D()), particleTimes.Length, signs, dimension: 1);
        for (int i = 0; i < particleTimes.Length; i++)
        {
            writer.Append(i, new FrameRecord(i, particleTimes[i], 0, 0, [0], 0, 0, 0, 0, 0), state);
        }
        writer.Complete();
        return (particles, continuum);
    }

    private string WriteDipoles(string name, double delta)
    {
        var spec = CliHarness.Tiny2D() with
        {
            System = CliHarness.Tiny2D().System with { Regularization = new Regularization(RegularizationType.Gaussian, delta) },
        };
        sbyte[] signs = [1, -1, 1, -1, 1, -1, 1, -1];
        double[] x = [0.2, 0.205, 0.4, 0.405, 0.6, 0.605, 0.8, 0.805];
        double[] y = [0.2, 0.2, 0.4, 0.4, 0.6, 0.6, 0.8, 0.8];
        string path = _harness.PathOf(name);
        using var writer = TrajectoryWriter.Create(path, SpecWriter.ToJson(spec), frames: 1, signs, dimension: 2);
        writer.Append(0, new FrameRecord(0, 0, 0, 0, [0, 0], 0, 0, 0, 0, 0), new ParticleState([x, y], signs));
        writer.Complete();
        return path;
    }
}
