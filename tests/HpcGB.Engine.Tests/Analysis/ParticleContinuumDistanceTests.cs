using HpcGB.Engine.Analysis;
using HpcGB.Engine.Continuum;
using HpcGB.Engine.Model;

namespace HpcGB.Engine.Tests.Analysis;

/// <summary><see cref="ParticleContinuumDistance"/>: its parts are the H^{−1} and W₂ distances it names.</summary>
public sealed class ParticleContinuumDistanceTests
{
    [Fact]
    public void PartsMatchTheirDefinitions1D()
    {
        var grid = new ContinuumGrid(32);
        double[] positive = Enumerable.Range(0, 32).Select(j => 0.5 + 0.2 * Math.Cos(2 * Math.PI * (j + 0.5) / 32)).ToArray();
        double[] negative = Enumerable.Range(0, 32).Select(j => 0.5 - 0.2 * Math.Cos(2 * Math.PI * (j + 0.5) / 32)).ToArray();
        var state = new ParticleState([[0.1, 0.35, 0.6, 0.9, 0.05, 0.5]], [1, 1, 1, -1, -1, -1]);

        var d = ParticleContinuumDistance.Measure(grid, state, positive, negative);

        Assert.Equal(HMinusOneDistance.Between(grid, state, +1, positive), d.Positive, 1e-15);
        Assert.Equal(HMinusOneDistance.Between(grid, state, -1, negative), d.Negative, 1e-15);
        double[] kappaN = ParticleDeposit.CloudInCell(grid, state, +1).Zip(ParticleDeposit.CloudInCell(grid, state, -1), (p, m) => p - m).ToArray();
        double[] kappa = positive.Zip(negative, (p, m) => p - m).ToArray();
        Assert.Equal(HMinusOneDistance.Between(grid, kappaN, kappa), d.Kappa, 1e-15);
        var w2 = Engine.Analysis.Transport.TorusW2.PerSign(
            state, new Engine.Analysis.Transport.PiecewiseConstantDensity(positive), new Engine.Analysis.Transport.PiecewiseConstantDensity(negative));
        Assert.Equal(w2.Positive!.Value + w2.Negative!.Value, d.W2Sum, 1e-15);
        Assert.Equal(d.Positive + d.Negative, d.Sum);
    }

    [Fact]
    public void TwoDimensionsHaveNoW2()
    {
        var grid = new ContinuumGrid(8, 8);
        double[] half = Enumerable.Repeat(0.5, 64).ToArray();
        var state = new ParticleState([[0.3, 0.7], [0.2, 0.9]], [1, -1]);

        var d = ParticleContinuumDistance.Measure(grid, state, half, half);

        Assert.Null(d.W2);
        Assert.True(double.IsNaN(d.W2Sum));
        Assert.True(d.Kappa > 0);
    }
}
