using HpcGB.Engine.Analysis;
using HpcGB.Engine.Initialization;
using HpcGB.Engine.Model;

namespace HpcGB.Engine.Tests.Analysis;

public sealed class DipolePairerTests
{
    [Theory]
    [InlineData(1, 40)]
    [InlineData(2, 100)]
    public void FindsConstructedDipolesWithTheirWidthsAndCentres(int dimension, int dipoles)
    {
        // Centres on a lattice (spacing ≥ 0.1), widths up to 2δ, orientations random, some across the wall.
        const double delta = 1e-3;
        var random = new SeededRandom(5);
        int side = dimension == 1 ? dipoles : (int)Math.Sqrt(dipoles);
        var positions = Enumerable.Range(0, dimension).Select(_ => new double[2 * dipoles]).ToArray();
        var signs = new sbyte[2 * dipoles];
        var widths = new double[dipoles];
        var centres = new double[dipoles][];
        for (int k = 0; k < dipoles; k++)
        {
            widths[k] = random.NextDouble(0.1, 2) * delta;
            double angle = random.NextDouble(0, 2 * Math.PI);
            double[] direction = dimension == 1 ? [random.NextInt(2) == 0 ? 1 : -1] : [Math.Cos(angle), Math.Sin(angle)];
            centres[k] = dimension == 1 ? [(double)k / side] : [(double)(k / side) / side, (k % side + 0.5) / side];
            // + at index 2k+1, − at 2k: the pairer must not rely on order; positions unwrapped by whole periods.
            for (int a = 0; a < dimension; a++)
            {
                positions[a][2 * k + 1] = centres[k][a] + 0.5 * widths[k] * direction[a] + 3;
                positions[a][2 * k] = centres[k][a] - 0.5 * widths[k] * direction[a] - 1;
            }
            signs[2 * k + 1] = 1;
            signs[2 * k] = -1;
        }
        var state = new ParticleState(positions, signs);
        var pairs = DipolePairer.Pair(state, 3 * delta);
        Assert.Equal(dipoles, pairs.Length);
        for (int k = 0; k < dipoles; k++)
        {
            Assert.Equal(new DipolePair(2 * k + 1, 2 * k, pairs[k].Width), pairs[k]);
            Assert.Equal(widths[k], pairs[k].Width, 1e-12);
            var centre = pairs[k].Centre(state);
            for (int a = 0; a < dimension; a++)
            {
                Assert.Equal(0, Torus.Nearest(centre[a] - centres[k][a]), 1e-12);
            }
        }
        Assert.Empty(DipolePairer.Pair(state, 0.05 * delta));
    }

    [Fact]
    public void PairsMutualNearestNeighboursOnly()
    {
        // − at 0.5; + at 0.5005 and 0.5008; − at 0.5012: the nearest pairs are (0.5005, 0.5) and (0.5008, 0.5012).
        var state = new ParticleState([[0.5, 0.5005, 0.5008, 0.5012, 0.9]], [-1, 1, 1, -1, 1]);
        var pairs = DipolePairer.Pair(state, 0.003);
        Assert.Equal([(1, 0), (2, 3)], pairs.Select(p => (p.Positive, p.Negative)));
        Assert.Equal(2, BoundDipoles.Count(state, 0.003)); // 4 opposite-sign pairs are closer than 0.003
    }

    [Theory]
    [InlineData(1, 300, 0.003)]
    [InlineData(2, 400, 0.02)]
    [InlineData(2, 50, 0.6)]
    public void MatchesBruteForceMutualNearestNeighbours(int dimension, int n, double distance)
    {
        for (ulong seed = 1; seed <= 4; seed++)
        {
            var random = new SeededRandom(seed);
            var positions = Enumerable.Range(0, dimension).Select(_ => new double[n]).ToArray();
            var signs = new sbyte[n];
            for (int i = 0; i < n; i++)
            {
                signs[i] = random.NextInt(2) == 0 ? (sbyte)1 : (sbyte)-1;
                for (int a = 0; a < dimension; a++)
                {
                    positions[a][i] = random.NextDouble() + random.NextInt(3) - 1;
                }
            }
            var state = new ParticleState(positions, signs);
            Assert.Equal(BruteForce(state, distance), DipolePairer.Pair(state, distance).Select(p => (p.Positive, p.Negative)));
        }
    }

    [Fact]
    public void DriftFollowsPersistingDipolesOnly()
    {
        // Three dipoles; in the second state the first moves by (0.01, 0), the second by (0, −0.002), the third breaks.
        double[][] before = [[0.2, 0.2005, 0.6, 0.6, 0.9, 0.9001], [0.3, 0.3, 0.7, 0.7004, 0.1, 0.1]];
        double[][] after = [[0.21, 0.2105, 0.6, 0.6, 0.9, 0.95], [0.3, 0.3, 0.698, 0.6984, 0.1, 0.1]];
        sbyte[] signs = [1, -1, -1, 1, 1, -1];
        var drift = DipoleDrift.Measure(new ParticleState(before, signs), new ParticleState(after, signs), 0.003);
        Assert.Equal(3, drift.Pairs);
        Assert.Equal(2, drift.Persisting);
        Assert.Equal(0.01, drift.MaxDrift, 1e-12);
        Assert.Equal(0.006, drift.MeanDrift, 1e-12);
        Assert.Throws<ArgumentException>(() => DipoleDrift.Measure(
            new ParticleState(before, signs), new ParticleState(after, [1, -1, -1, 1, -1, 1]), 0.003));
    }

    [Fact]
    public void HistogramCountsEveryValue()
    {
        var histogram = Histogram.Of([-1, 0, 0.1, 0.25, 0.3, 0.999, 1, 2], 0, 1, 4);
        Assert.Equal([2L, 2, 0, 1], histogram.Counts);
        Assert.Equal(1, histogram.Below);
        Assert.Equal(2, histogram.Above);
        Assert.Equal(8, histogram.Total);
        Assert.Equal(0.75, histogram.Edge(3));
        Assert.Throws<ArgumentException>(() => Histogram.Of([double.NaN], 0, 1, 4));
        Assert.Throws<ArgumentException>(() => Histogram.Of([0.5], 1, 1, 4));
    }

    private static List<(int, int)> BruteForce(ParticleState state, double distance)
    {
        int Nearest(int i)
        {
            int best = -1;
            double best2 = distance * distance;
            for (int j = 0; j < state.Count; j++)
            {
                if (state.Signs[j] == state.Signs[i])
                {
                    continue;
                }
                double d2 = 0;
                for (int a = 0; a < state.Dimension; a++)
                {
                    double r = Torus.Nearest(Torus.Wrap(state.Positions[a][i]) - Torus.Wrap(state.Positions[a][j]));
                    d2 += r * r;
                }
                if (d2 < best2)
                {
                    best = j;
                    best2 = d2;
                }
            }
            return best;
        }
        var pairs = new List<(int, int)>();
        for (int i = 0; i < state.Count; i++)
        {
            if (state.Signs[i] > 0 && Nearest(i) is var j and >= 0 && Nearest(j) == i)
            {
                pairs.Add((i, j));
            }
        }
        return pairs;
    }
}
