using HpcGB.Host.Cli;
using HpcGB.Engine.Spec;
using HpcGB.Host.Experiments;
using HpcGB.Tests.Shared;

namespace HpcGB.Host.Tests.Experiments;

/// <summary>
/// The experiments' cores at CI size, asserting the paper's qualitative outcomes: in the slow regime the
/// distance particles–PDE falls with n; with short dipoles and fast δ_n it stays at the PDE's own motion while the
/// particles hardly move; the threshold sweep separates the two.
/// </summary>
public sealed class ExperimentCoreTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void ConvergenceDistanceDecreasesWithN(int caseIndex)
    {
        var c = ConvergenceExperiment.Cases(ExperimentScale.Ci)[caseIndex];
        var rows = ConvergenceExperiment.Run(c, CancellationToken.None).ToArray();

        for (int i = 1; i < rows.Length; i++)
        {
            Assert.True(rows[i].SupDistance < 0.8 * rows[i - 1].SupDistance,
                $"{c.Label}: n = {rows[i].N} distance {rows[i].SupDistance:E3} vs {rows[i - 1].SupDistance:E3} at n = {rows[i - 1].N}");
        }
        var fit = LogLogFit.Of(rows.Select(r => (double)r.N).ToArray(), rows.Select(r => r.SupDistance).ToArray());
        Assert.True(fit.Slope < -0.5, $"{c.Label}: fitted rate {fit.Slope:F2}");
        if (c.Dimension == 1)
        {
            // The exact circle W₂ per sign falls too.
            var w2 = LogLogFit.Of(rows.Select(r => (double)r.N).ToArray(), rows.Select(r => r.SupW2).ToArray());
            Assert.True(w2.Slope < -0.5, $"{c.Label}: W₂ rate {w2.Slope:F2}");
        }
        // The PDE really moves over the run, by more than the largest distance at the finest n.
        Assert.True(rows[^1].PdeMotion > 3 * rows[^1].SupDistance, $"PDE motion {rows[^1].PdeMotion:E3}");
        // Over the whole run, at the scales the kernel resolves, the particles stay on the PDE: in 1D (midpoint
        // quantiles, d_δ(0) at quadrature accuracy) within the solvers' tolerance, in 2D well inside the PDE's motion.
        foreach (var row in rows)
        {
            Assert.Equal(row.Times.Length, row.ResolvedDistances!.Length);
            double limit = c.Dimension == 1 ? 1e-4 : 0.1;
            Assert.True(row.SupResolved < limit * row.PdeMotion, $"n = {row.N}: sup_t d_δ {row.SupResolved:E3} vs PDE motion {row.PdeMotion:E3}");
            if (c.Dimension == 1)
            {
                Assert.True(row.InitialResolved < 1e-6, $"n = {row.N}: d_δ(0) = {row.InitialResolved:E3}");
            }
        }
    }

    [Fact]
    public void NonconvergenceDistanceStaysAtThePdeMotion()
    {
        var c = NonconvergenceExperiment.Cases(ExperimentScale.Ci)[0];
        foreach (var row in NonconvergenceExperiment.Run(c, CancellationToken.None))
        {
            Assert.True(row.PdeMotion > 0.01, $"n = {row.N}: the PDE barely moves ({row.PdeMotion:E3})");
            Assert.True(row.SupDistance > 0.8 * row.PdeMotion, $"n = {row.N}: distance {row.SupDistance:E3} vs PDE motion {row.PdeMotion:E3}");
            Assert.True(row.ParticleMotion < 1e-3 * row.PdeMotion, $"n = {row.N}: particles moved {row.ParticleMotion:E3}");
            Assert.True(row.CentreDrift <= (double)row.N * row.N * row.Delta, $"n = {row.N}: centre drift {row.CentreDrift:E3} above n²δ_n");
        }
    }

    [Fact]
    public void ThresholdSweepSeparatesSlowFromFastDelta()
    {
        var sweep = ThresholdExperiment.For(ExperimentScale.Ci);
        var slow = ThresholdExperiment.Run(sweep, sweep.Betas[0], CancellationToken.None).ToArray();
        var fast = ThresholdExperiment.Run(sweep, sweep.Betas[^1], CancellationToken.None).ToArray();

        Assert.True(slow[^1].SupDistance < 0.3 * slow[^1].PdeMotion, $"β = {sweep.Betas[0]}: {slow[^1].SupDistance:E3} vs {slow[^1].PdeMotion:E3}");
        Assert.True(slow[^1].SupDistance < slow[0].SupDistance, "slow δ_n: the distance should fall with n");
        Assert.True(fast[^1].SupDistance > 0.8 * fast[^1].PdeMotion, $"β = {sweep.Betas[^1]}: {fast[^1].SupDistance:E3} vs {fast[^1].PdeMotion:E3}");
    }

    [OpenClFact]
    public void ARunOnTheOpenClDeviceGivesTheCpuRow()
    {
        var c = ConvergenceExperiment.Cases(ExperimentScale.Ci)[0];
        var device = OpenClTestDevice.Device;
        var onDevice = ForcesSpec.Default with { Device = ForceDevice.OpenCl, OpenCl = new OpenClChoice(device.Platform, device.Index) };
        var cpu = ConvergenceExperiment.RunOne(c, 300, CancellationToken.None);
        var gpu = ConvergenceExperiment.RunOne(c, 300, CancellationToken.None, onDevice);

        Assert.Equal(cpu.SupDistance, gpu.SupDistance, cpu.SupDistance * 1e-4);
        Assert.Equal(cpu.ParticleMotion, gpu.ParticleMotion, cpu.ParticleMotion * 1e-4);
    }

    [Fact]
    public void UnknownExperimentExitsTwo()
    {
        var result = CliHarness.Run("experiment", "nonsense");

        Assert.Equal(ExitCodes.InvalidInput, result.ExitCode);
        Assert.Contains("nonsense", result.Stderr);
    }

    [Fact]
    public void FitRecoversAPowerLaw()
    {
        double[] x = [10, 100, 1000];
        var fit = LogLogFit.Of(x, x.Select(v => 3 * Math.Pow(v, -0.75)).ToArray());
        Assert.Equal(-0.75, fit.Slope, 12);
        Assert.Equal(3.0, fit.Prefactor, 10);
    }
}
