using HpcGB.Engine.Analysis;
using HpcGB.Engine.Continuum;
using HpcGB.Engine.Model;

namespace HpcGB.Engine.Tests.Continuum;

public sealed class HMinusOneDistanceTests
{
    [Theory]
    [InlineData(1, 3)]
    [InlineData(2, 5)]
    public void NormOfOneModeIsItsClosedForm(int dimension, int k)
    {
        // f = a cos 2πk·x as cell averages: f̂_{±k} = aD/2 with D the sinc damping, ‖f‖² = 2(aD/2)²/(4π²|k|²) + mean².
        var grid = dimension == 1 ? new ContinuumGrid(64) : new ContinuumGrid(32, 16);
        int[] wave = dimension == 1 ? [k] : [k, 2];
        var values = InitialDensity.CellAverages(grid, new ModeDensity(1.5, [new FourierMode(wave, 0.7, 0.0)]), "$");
        double damping = 1, kk = 0;
        for (int a = 0; a < dimension; a++)
        {
            double z = Math.PI * wave[a] / grid.Shape[a];
            damping *= Math.Sin(z) / z;
            kk += wave[a] * wave[a];
        }
        double expected = Math.Sqrt(2 * Math.Pow(0.35 * damping, 2) / (4 * Math.PI * Math.PI * kk) + 1.5 * 1.5);
        Assert.Equal(expected, HMinusOneDistance.Norm(grid, values), 1e-13);
    }

    [Fact]
    public void DepositKeepsEachSignsMassAndIsLinearBetweenCentres()
    {
        var grid = new ContinuumGrid(8, 4);
        // One + particle a quarter of the way between the centres of cells (1, 2) and (2, 3), one − particle.
        var state = new ParticleState([[(1.5 + 0.25) / 8, 0.3], [(2.5 + 0.25) / 4, 0.9]], [1, -1]);
        double[] plus = ParticleDeposit.CloudInCell(grid, state, +1);
        double volume = grid.CellVolume;
        Assert.Equal(0.5, plus.Sum() * volume, 1e-15);
        Assert.Equal(0.5 * 0.75 * 0.75, plus[1 * 4 + 2] * volume, 1e-15);
        Assert.Equal(0.5 * 0.25 * 0.25, plus[2 * 4 + 3] * volume, 1e-15);
        Assert.Equal(0.5, ParticleDeposit.CloudInCell(grid, state, -1).Sum() * volume, 1e-15);
    }

    [Fact]
    public void DistanceOfQuantisedParticlesShrinksWithN()
    {
        // Quantised (Lemma 2.4) particles of a smooth density: ‖μ_n − ρ‖_{H^{−1}} falls as n grows.
        var grid = new ContinuumGrid(256);
        var density = InitialDensity.CellAverages(grid, ContinuumProblems.Positive(1), "$");
        double previous = double.PositiveInfinity;
        foreach (int n in new[] { 250, 1000, 4000 })
        {
            var state = ContinuumProblems.Particles(grid, density, density, n);
            double distance = HMinusOneDistance.Between(grid, state, +1, density);
            Assert.True(distance < 0.6 * previous, $"n = {n}: {distance:E3} after {previous:E3}");
            previous = distance;
        }
    }
}
