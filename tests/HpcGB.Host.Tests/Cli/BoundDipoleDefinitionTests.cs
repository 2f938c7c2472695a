using System.Text.Json;
using HpcGB.Engine.Spec;
using HpcGB.Host.Cli;

namespace HpcGB.Host.Tests.Cli;

/// <summary>
/// One bound-dipole definition (docs/spec.md): summary.json, trajectory.h5 and <c>hpcgb distance</c> count the same
/// dipoles of the same frame. Before, the run counted every opposite-sign pair closer than 3δ and <c>distance</c>
/// mutual nearest pairs, so a + with two − nearby was 2 dipoles in one and 1 in the other (169 vs 126 on the demo).
/// </summary>
public sealed class BoundDipoleDefinitionTests : IClassFixture<CliHarness>
{
    private readonly CliHarness _harness;

    public BoundDipoleDefinitionTests(CliHarness harness) => _harness = harness;

    [Fact]
    public void TheRunAndDistanceCountTheSameDipoles()
    {
        // δ = 0.01, r_b = 0.03: a + with two − at 0.004 and 0.005 (one dipole, two close pairs), a lone dipole, and
        // two far particles.
        var spec = CliHarness.Tiny2D() with
        {
            Particles = new ExplicitParticles(
                [[0.5, 0.5], [0.504, 0.5], [0.495, 0.5], [0.2, 0.2], [0.2, 0.21], [0.8, 0.3], [0.3, 0.8]],
                [1, -1, -1, 1, -1, 1, -1]),
            System = CliHarness.Tiny2D().System with { Regularization = new(Engine.Model.RegularizationType.Gaussian, 0.01) },
            Time = TimeSpec.Default with { End = 1e-6, Outputs = 2 },
        };
        string run = _harness.PathOf("bound-dipoles");
        var result = CliHarness.Run("run", _harness.WriteSpec("bound.json", spec), "--out", run);
        Assert.True(result.ExitCode == ExitCodes.Success, result.Stderr);

        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, RunPipeline.SummaryFile)));
        long fromSummary = summary.RootElement.GetProperty("observables")[0].GetProperty("bound_dipoles").GetInt64();
        var distance = CliHarness.Run("distance", Path.Combine(run, RunPipeline.TrajectoryFile), Path.Combine(run, RunPipeline.TrajectoryFile), "--frame", "0", "--json");
        Assert.True(distance.ExitCode == ExitCodes.Success, distance.Stderr);
        using var report = JsonDocument.Parse(distance.Stdout);
        Assert.Equal(0.03, report.RootElement.GetProperty("a").GetProperty("bound_distance").GetDouble(), 1e-15);

        Assert.Equal(2, fromSummary);
        Assert.Equal(fromSummary, report.RootElement.GetProperty("a").GetProperty("dipoles").GetInt64());
    }
}
