using System.Text.Json;
using HpcGB.Host.Cli;
using PureHDF;

namespace HpcGB.Host.Tests.Cli;

/// <summary><c>hpcgb run</c> with a <c>"model": "continuum"</c> spec, end to end in-process.</summary>
public sealed class ContinuumRunTests : IClassFixture<CliHarness>
{
    private const string Spec2D = """
        { "model": "continuum", "dimension": 2, "kernel": "edge", "mobility": "glide",
          "external": { "modes": [ { "k": [1, 0], "sin": 0.08 } ] },
          "grid": [16, 8],
          "densities": { "positive": { "mean": 1, "modes": [ { "k": [1, 1], "cos": 0.4 } ] },
                         "negative": { "mean": 1, "modes": [ { "k": [0, 1], "sin": 0.4 } ] } },
          "time": { "end": 0.2, "outputs": 3 } }
        """;

    private readonly CliHarness _harness;

    public ContinuumRunTests(CliHarness harness) => _harness = harness;

    [Fact]
    public void WritesSummaryFieldsAndPlots()
    {
        string outDir = _harness.PathOf("continuum2d-out");

        var result = CliHarness.Run("run", _harness.WriteText("continuum2d.json", Spec2D), "--out", outDir);

        Assert.True(result.ExitCode == ExitCodes.Success, result.Stderr);
        Assert.Equal(3, result.Stderr.Split('\n').Count(line => line.StartsWith("frame ", StringComparison.Ordinal)));
        foreach (string png in new[] { "densities.png", "observables.png" })
        {
            Assert.True(new FileInfo(Path.Combine(outDir, png)).Length > 1000, png);
        }
        using (var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json"))))
        {
            var root = summary.RootElement;
            Assert.Equal("completed", root.GetProperty("status").GetString());
            var observables = root.GetProperty("observables");
            Assert.Equal(3, observables.GetArrayLength());
            Assert.Equal(0.5, observables[2].GetProperty("mass_positive").GetDouble(), 1e-13);
            Assert.True(observables[2].GetProperty("energy").GetDouble() < observables[0].GetProperty("energy").GetDouble());
        }
        using var file = H5File.OpenRead(Path.Combine(outDir, "continuum.h5"));
        Assert.Equal([0.0, 0.1, 0.2], file.Dataset("time").Read<double[]>());
        var positive = file.Dataset("positive");
        Assert.Equal([3UL, 16UL, 8UL], positive.Space.Dimensions);
        double[] values = positive.Read<double[]>();
        Assert.Equal(0.5, values.Take(128).Sum() / 128, 1e-13);
    }

    [Fact]
    public void InvalidContinuumSpecExitsTwoNamingThePath()
    {
        string bad = Spec2D.Replace("\"grid\": [16, 8]", "\"grid\": [16, 2]", StringComparison.Ordinal);

        var result = CliHarness.Run("run", _harness.WriteText("bad-continuum.json", bad), "--out", _harness.PathOf("bad-out"));

        Assert.Equal(ExitCodes.InvalidInput, result.ExitCode);
        Assert.Contains("$.grid[1]", result.Stderr);
    }
}
