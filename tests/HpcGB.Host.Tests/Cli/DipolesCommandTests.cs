using HpcGB.Engine.Model;
using HpcGB.Engine.Spec;
using HpcGB.Host.Cli;
using HpcGB.Host.Output;

namespace HpcGB.Host.Tests.Cli;

/// <summary>The dipole views: <see cref="DipoleSeries"/> against hand-made dipoles, <c>hpcgb dipoles</c>, and
/// <c>dipoles.png</c> written by <c>hpcgb run</c> exactly when a run has bound dipoles.</summary>
public sealed class DipolesCommandTests : IClassFixture<CliHarness>
{
    private const double Delta = 0.02;

    private readonly CliHarness _harness;

    public DipolesCommandTests(CliHarness harness) => _harness = harness;

    [Fact]
    public void SeriesMeasuresWidthsInDeltasAndCentreDrift()
    {
        // Four horizontal dipoles of widths 0.01 … 0.04 (bound distance 3δ = 0.06); at t = 1 every width is halved
        // about the same centre, and the centres of dipoles 0 and 1 move by (0.001, 0), those of 2 and 3 by (0, 0.002).
        string path = WriteTrajectory("four-dipoles.h5");
        using var reader = TrajectoryReader.Open(path);

        var series = DipoleSeries.Measure(reader, CancellationToken.None);

        Assert.Equal(3 * Delta, series.BoundDistance, 1e-15);
        Assert.Equal(8.0 * 8 * Delta, series.DriftScale, 1e-12);
        var (first, last) = (series.Frames[0], series.Frames[1]);
        Assert.Equal(4, first.Dipoles);
        Assert.Equal([0.01, 0.013, 0.025, 0.037, 0.04], first.Widths, (a, b) => Math.Abs(a - b) < 1e-12);
        Assert.Equal(0, first.MaxDrift);
        Assert.Equal(4, last.Persisting);
        Assert.Equal([0.005, 0.0065, 0.0125, 0.0185, 0.02], last.Widths, (a, b) => Math.Abs(a - b) < 1e-12);
        Assert.Equal(0.002, last.MaxDrift, 1e-12);
        Assert.Equal(0.0015, last.MeanDrift, 1e-12);
    }

    [Fact]
    public void CommandPrintsTheTableAndWritesThePicture()
    {
        string path = WriteTrajectory("cli-dipoles.h5");
        string png = _harness.PathOf("cli-dipoles.png");

        var result = CliHarness.Run("dipoles", path, "--out", png);

        Assert.True(result.ExitCode == ExitCodes.Success, result.Stderr);
        Assert.Contains("n²δ = 1.28", result.Stdout);
        Assert.Contains("0.625", result.Stdout); // median width / δ at t = 1: 0.0125 / 0.02
        Assert.True(new FileInfo(png).Length > 10_000);
    }

    [Fact]
    public void RunWritesDipolesPngOnlyWhenThereAreDipoles()
    {
        var far = CliHarness.Tiny2D() with { Particles = new ExplicitParticles([[0.1, 0.1], [0.6, 0.6]], [1, -1]) };
        var close = CliHarness.Tiny2D() with { Particles = new ExplicitParticles([[0.1, 0.1], [0.12, 0.1], [0.6, 0.6]], [1, -1, 1]) };
        string farRun = _harness.PathOf("far"), closeRun = _harness.PathOf("close");

        Assert.Equal(ExitCodes.Success, CliHarness.Run("run", _harness.WriteSpec("far.json", far), "--out", farRun).ExitCode);
        Assert.Equal(ExitCodes.Success, CliHarness.Run("run", _harness.WriteSpec("close.json", close), "--out", closeRun).ExitCode);

        Assert.False(File.Exists(Path.Combine(farRun, "dipoles.png")));
        Assert.True(File.Exists(Path.Combine(closeRun, "dipoles.png")));
        Assert.Contains("no bound dipoles in any frame", CliHarness.Run("dipoles", farRun).Stdout);
    }

    private string WriteTrajectory(string name)
    {
        var spec = CliHarness.Tiny2D() with
        {
            System = CliHarness.Tiny2D().System with { Regularization = new Regularization(RegularizationType.Gaussian, Delta) },
        };
        double[] widths = [0.01, 0.02, 0.03, 0.04];
        double[][] shift = [[0.001, 0], [0.001, 0], [0, 0.002], [0, 0.002]];
        var signs = Enumerable.Range(0, 8).Select(i => i % 2 == 0 ? (sbyte)1 : (sbyte)-1).ToArray();
        double[] x0 = new double[8], y0 = new double[8], x1 = new double[8], y1 = new double[8];
        for (int k = 0; k < 4; k++)
        {
            double cx = 0.2 + 0.2 * k, cy = 0.3 + 0.1 * k;
            (x0[2 * k], x0[2 * k + 1], y0[2 * k], y0[2 * k + 1]) = (cx - widths[k] / 2, cx + widths[k] / 2, cy, cy);
            double dx = cx + shift[k][0], dy = cy + shift[k][1];
            (x1[2 * k], x1[2 * k + 1], y1[2 * k], y1[2 * k + 1]) = (dx - widths[k] / 4, dx + widths[k] / 4, dy, dy);
        }
        string path = _harness.PathOf(name);
        using var writer = TrajectoryWriter.Create(path, SpecWriter.ToJson(spec), frames: 2, signs, dimension: 2);
        writer.Append(0, new FrameRecord(0, 0.0, 0, 0, [0, 0], 4, 0, 0, 0, 0), new ParticleState([x0, y0], signs));
        writer.Append(1, new FrameRecord(1, 1.0, 0, 0, [0, 0], 4, 0, 0, 0, 0), new ParticleState([x1, y1], signs));
        writer.Complete();
        return path;
    }
}
