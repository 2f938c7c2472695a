using System.Text.Json;
using HpcGB.Host.Cli;

namespace HpcGB.Host.Tests.Cli;

/// <summary>
/// <c>hpcgb run</c> on the combinations the case table allows or refuses: a refused one exits 2 naming the field before
/// anything is written; an allowed one runs to the end.
/// </summary>
public sealed class CaseCapabilityTests : IClassFixture<CliHarness>
{
    private readonly CliHarness _harness;

    public CaseCapabilityTests(CliHarness harness) => _harness = harness;

    /// <summary>2D poisson (no closed-form kernel: Fourier-sum forces, a log-core Newton matrix) with each integrator.</summary>
    [Theory]
    [InlineData("implicit", "implicit")]
    [InlineData("auto", null)]
    [InlineData("dp45", "dp45")]
    public void TwoDimensionalPoissonRunsWithEveryIntegrator(string integrator, string? expected)
    {
        string spec = $$"""
            { "dimension": 2, "regularization": { "type": "poisson", "delta": 0.05 },
              "particles": { "init": "uniform", "n": 16 },
              "time": { "end": 0.01, "outputs": 3, "integrator": "{{integrator}}" }, "seed": 3 }
            """;
        string outDir = _harness.PathOf($"poisson-{integrator}");

        var result = CliHarness.Run("run", _harness.WriteText($"poisson-{integrator}.json", spec), "--out", outDir);

        Assert.True(result.ExitCode == ExitCodes.Success, result.Stderr);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, RunPipeline.SummaryFile)));
        Assert.Equal("completed", summary.RootElement.GetProperty("status").GetString());
        Assert.Equal(3, summary.RootElement.GetProperty("observables").GetArrayLength());
        var methods = summary.RootElement.GetProperty("methods");
        Assert.Equal("reference-fourier", methods.GetProperty("evaluator").GetString());
        string used = methods.GetProperty("integrator").GetString()!;
        Assert.Equal(expected ?? used, used);
    }

    [Fact]
    public void PmeForTwoDimensionalPoissonExitsTwoNamingTheMethod()
    {
        string spec = """
            { "dimension": 2, "regularization": { "type": "poisson", "delta": 0.05 },
              "particles": { "init": "uniform", "n": 16 }, "forces": { "method": "pme" } }
            """;
        string outDir = _harness.PathOf("poisson-pme");

        var result = CliHarness.Run("run", _harness.WriteText("poisson-pme.json", spec), "--out", outDir);

        Assert.Equal(ExitCodes.InvalidInput, result.ExitCode);
        Assert.StartsWith("error: $.forces.method: \"pme\" is not available for 2D log poisson: ", result.Stderr);
        Assert.Contains("docs/numerics.md §2", result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void PmeThatNeedsAnOversizedMeshExitsTwoNamingTheMethod()
    {
        // 1D gaussian at δ = 1e-7, n = 10⁵, tolerance 1e-8: the split's dropped tail is too large and the mesh alone
        // would need more than 2^25 points.
        string spec = """
            { "dimension": 1, "regularization": { "type": "gaussian", "delta": 1e-7 },
              "particles": { "init": "uniform", "n": 100000 }, "forces": { "method": "pme", "tolerance": 1e-8 } }
            """;
        string outDir = _harness.PathOf("oversized-mesh");

        var result = CliHarness.Run("run", _harness.WriteText("oversized-mesh.json", spec), "--out", outDir);

        Assert.Equal(ExitCodes.InvalidInput, result.ExitCode);
        Assert.StartsWith("error: $.forces.method: the fast path would need a ", result.Stderr);
        Assert.Contains("forces.method \"reference\"", result.Stderr);
        Assert.False(Directory.Exists(outDir));
    }
}
