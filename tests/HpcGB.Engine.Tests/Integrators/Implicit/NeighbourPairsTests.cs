using HpcGB.Engine.Integrators.Implicit;
using HpcGB.Engine.Model;

namespace HpcGB.Engine.Tests.Integrators.Implicit;

/// <summary>The pair list of the Newton matrix against the plain O(n²) search, across the periodic seams.</summary>
public sealed class NeighbourPairsTests
{
    [Theory]
    [InlineData(2, 300, 0.07)]
    [InlineData(2, 300, 0.25)]
    [InlineData(2, 50, 0.3)] // m < 3: all pairs tested
    [InlineData(2, 1000, 0.02)]
    [InlineData(1, 200, 0.01)]
    [InlineData(1, 200, 0.2)]
    public void FindsExactlyThePairsWithinTheRadius(int d, int n, double radius)
    {
        var random = new Random(n + d);
        var state = ParticleState.Zeros(d, Enumerable.Range(0, n).Select(i => (sbyte)(i % 2 == 0 ? 1 : -1)).ToArray());
        for (int a = 0; a < d; a++)
        {
            for (int i = 0; i < n; i++)
            {
                // Unwrapped positions, some within 1e-3 of the seams.
                double x = i % 10 == 0 ? 1e-3 * random.NextDouble() : random.NextDouble();
                state.Positions[a][i] = x + random.Next(-2, 3);
            }
        }
        var expected = new HashSet<(int, int)>();
        for (int i = 0; i < n; i++)
        {
            for (int j = i + 1; j < n; j++)
            {
                double r2 = 0;
                for (int a = 0; a < d; a++)
                {
                    double e = Torus.Nearest(state.Positions[a][i] - state.Positions[a][j]);
                    r2 += e * e;
                }
                if (r2 < radius * radius)
                {
                    expected.Add((i, j));
                }
            }
        }
        var pairs = new NeighbourPairs();
        pairs.Build(state, radius);
        var found = new HashSet<(int, int)>();
        for (int p = 0; p < pairs.Count; p++)
        {
            Assert.True(pairs.First(p) < pairs.Second(p));
            Assert.True(found.Add((pairs.First(p), pairs.Second(p))), "a pair listed twice");
        }
        Assert.NotEmpty(expected);
        Assert.Equal(expected.Count, found.Count);
        Assert.True(expected.SetEquals(found));
    }
}
