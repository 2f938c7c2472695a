using HpcGB.Engine.Analysis;
using HpcGB.Engine.Initialization;
using HpcGB.Engine.Model;

namespace HpcGB.Engine.Tests.Analysis;

public sealed class DipoleCounterTests
{
    [Theory]
    [InlineData(1, 300, 0.002)]
    [InlineData(1, 50, 0.4)] // fewer than three cells: neighbour cells coincide and must be visited once
    [InlineData(2, 500, 0.01)]
    [InlineData(2, 500, 0.07)]
    [InlineData(2, 60, 0.45)]
    [InlineData(2, 60, 0.8)] // a single cell
    [InlineData(2, 400, 1e-9)]
    public void MatchesBruteForceOnRandomConfigurations(int dimension, int n, double distance)
    {
        for (ulong seed = 1; seed <= 5; seed++)
        {
            var state = RandomState(dimension, n, seed, clustered: distance < 0.01);
            Assert.Equal(BruteForce(state, distance), DipoleCounter.CountBound(state, distance));
        }
    }

    [Fact]
    public void CountsPairsAcrossThePeriodicBoundaryAndWithUnwrappedPositions()
    {
        // + at x1 = 0.999 (given unwrapped as −0.001 + 1) and − at 0.001, 2 apart by 0.002 through the wall;
        // a second − at 1.0015 (unwrapped) is close to the same + : two pairs share one particle.
        var state = new ParticleState([[0.999, 5.001, 1.0015], [0.5, -2.5, 0.5004]], [1, -1, -1]);
        Assert.Equal(2, DipoleCounter.CountBound(state, 0.003));
        Assert.Equal(1, DipoleCounter.CountBound(state, 0.0025));
        Assert.Equal(0, DipoleCounter.CountBound(state, 0.0019));
    }

    [Fact]
    public void SameSignPairsDoNotCount()
    {
        var state = new ParticleState([[0.1, 0.1001, 0.7, 0.7001]], [1, 1, -1, -1]);
        Assert.Equal(0, DipoleCounter.CountBound(state, 0.01));
    }

    private static ParticleState RandomState(int dimension, int n, ulong seed, bool clustered)
    {
        var random = new SeededRandom(seed);
        var positions = Enumerable.Range(0, dimension).Select(_ => new double[n]).ToArray();
        var signs = new sbyte[n];
        for (int i = 0; i < n; i++)
        {
            signs[i] = random.NextInt(2) == 0 ? (sbyte)1 : (sbyte)-1;
            for (int a = 0; a < dimension; a++)
            {
                // Clustered: half the particles sit right next to the previous one, some across the wall;
                // shifted by whole periods so the counter must wrap.
                positions[a][i] = clustered && i % 2 == 1
                    ? positions[a][i - 1] + random.NextDouble(-0.01, 0.01)
                    : random.NextDouble() + random.NextInt(5) - 2;
            }
        }
        return new ParticleState(positions, signs);
    }

    private static long BruteForce(ParticleState state, double distance)
    {
        long pairs = 0;
        for (int i = 0; i < state.Count; i++)
        {
            for (int j = 0; j < state.Count; j++)
            {
                if (state.Signs[i] == 1 && state.Signs[j] == -1)
                {
                    double r2 = state.Positions.Sum(x => Math.Pow(Torus.Nearest(x[i] - x[j]), 2));
                    if (r2 < distance * distance)
                    {
                        pairs++;
                    }
                }
            }
        }
        return pairs;
    }
}
