using System.Text.Json;
using HpcGB.Engine.Spec;
using HpcGB.Host.Cli;

namespace HpcGB.Host.Tests.Cli;

/// <summary>
/// Issue 18, accuracy made visible: summary.json and the final table say what rtol bounds and, for the implicit
/// integrator, estimate the global error (its local error estimates added up; the engine's setting-1 tests check
/// that estimate against a tight reference).
/// </summary>
public sealed class AccuracyReportTests : IClassFixture<CliHarness>
{
    private readonly CliHarness _harness;

    public AccuracyReportTests(CliHarness harness) => _harness = harness;

    [Theory]
    [InlineData(IntegratorType.Implicit, ErrorControl.PerStep, "per_step", true)]
    [InlineData(IntegratorType.Implicit, ErrorControl.PerUnitTime, "per_unit_time", true)]
    [InlineData(IntegratorType.Dp45, ErrorControl.PerStep, "per_step", false)]
    public void TheSummaryAndTableSayWhatRtolBounds(IntegratorType integrator, ErrorControl error, string control, bool estimated)
    {
        var tiny = CliHarness.Tiny2D();
        var spec = tiny with { Time = tiny.Time with { Integrator = integrator, Error = error, End = 0.05 } };
        string outDir = _harness.PathOf($"accuracy-{integrator}-{error}");

        var result = CliHarness.Run("run", _harness.WriteSpec($"accuracy-{integrator}-{error}.json", spec), "--out", outDir);

        Assert.True(result.ExitCode == ExitCodes.Success, result.Stderr);
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        var accuracy = document.RootElement.GetProperty("accuracy");
        Assert.Equal(control, accuracy.GetProperty("control").GetString());
        Assert.Contains("rtol", accuracy.GetProperty("meaning").GetString());
        var estimate = accuracy.GetProperty("global_error_estimate");
        if (estimated)
        {
            // A moving system's local errors add up to something positive, far below the torus.
            Assert.InRange(estimate.GetDouble(), 1e-15, 1e-3);
            Assert.Contains("global error (estimate)", result.Stdout);
        }
        else
        {
            Assert.Equal(JsonValueKind.Null, estimate.ValueKind);
            Assert.DoesNotContain("global error (estimate)", result.Stdout);
        }
    }
}
