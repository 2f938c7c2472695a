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
        var pairs = new NeighbourPairs();
        pairs.Build(state, radius);
        AssertExactly(state, radius, pairs);
    }

    /// <summary>
    /// Moved particles, small steps (the Verlet list is filtered) and large ones (searched again): the list is
    /// always exactly the pairs within the radius, in lexicographic order, the same as a fresh search's.
    /// </summary>
    [Theory]
    [InlineData(2, 1000, 0.03)]
    [InlineData(1, 300, 0.02)]
    public void StaysExactAsParticlesMove(int d, int n, double radius)
    {
        var random = new Random(7 * n + d);
        var state = ParticleState.Zeros(d, Enumerable.Range(0, n).Select(i => (sbyte)(i % 2 == 0 ? 1 : -1)).ToArray());
        for (int a = 0; a < d; a++)
        {
            for (int i = 0; i < n; i++)
            {
                state.Positions[a][i] = random.NextDouble();
            }
        }
        var pairs = new NeighbourPairs();
        int builds = 0;
        foreach (double move in new[] { 0.0, 0.02, 0.05, 0.1, 0.2, 0.05, 1.0, 0.01, 0.1 })
        {
            for (int a = 0; a < d; a++)
            {
                for (int i = 0; i < n; i++)
                {
                    state.Positions[a][i] += move * radius * (2 * random.NextDouble() - 1);
                }
            }
            pairs.Build(state, radius);
            builds++;
            AssertExactly(state, radius, pairs);
            var fresh = new NeighbourPairs();
            fresh.Build(state, radius);
            Assert.Equal(fresh.Count, pairs.Count);
            for (int p = 0; p < pairs.Count; p++)
            {
                Assert.Equal((fresh.First(p), fresh.Second(p)), (pairs.First(p), pairs.Second(p)));
                Assert.True(p == 0 || (pairs.First(p - 1), pairs.Second(p - 1)).CompareTo((pairs.First(p), pairs.Second(p))) < 0);
            }
        }
        // Searched at the first build and after the moves of 0.2 r and r (past half the skin, r/4); the rest filter.
        Assert.InRange(pairs.Searches, 2, builds - 3);
    }

    /// <summary>
    /// The filter in chunks of rows (on lent helpers or the caller) keeps the serial filter's list, in its order, on
    /// clustered particles (rows of very different lengths) through moves that filter and moves that search again.
    /// </summary>
    [Theory]
    [InlineData(2, false)]
    [InlineData(3, true)]
    public void TheChunkedFilterIsTheSerialOne(int threads, bool lent)
    {
        var random = new Random(threads);
        int n = 1500;
        var state = ParticleState.Zeros(2, new sbyte[n]);
        for (int i = 0; i < n; i++)
        {
            // A third in a disc of radius 0.05, the rest uniform.
            double spread = i % 3 == 0 ? 0.05 : 1.0;
            state.Positions[0][i] = 0.5 + spread * (random.NextDouble() - 0.5);
            state.Positions[1][i] = 0.5 + spread * (random.NextDouble() - 0.5);
        }
        var split = new PassSplit { Threads = threads, Helpers = lent ? new HpcGB.Engine.Forces.Ewald.HelperScheduler(threads - 1) : null };
        var chunked = new NeighbourPairs(split);
        var serial = new NeighbourPairs();
        double radius = 0.02;
        foreach (double move in new[] { 0.0, 0.05, 0.1, 1.0, 0.02 })
        {
            for (int a = 0; a < 2; a++)
            {
                for (int i = 0; i < n; i++)
                {
                    state.Positions[a][i] += move * radius * (2 * random.NextDouble() - 1);
                }
            }
            chunked.Build(state, radius);
            serial.Build(state, radius);
            Assert.True(split.Chunks(2 * serial.Count) > 1, $"{serial.Count} pairs: too few to split");
            Assert.Equal(serial.Count, chunked.Count);
            for (int p = 0; p < serial.Count; p++)
            {
                Assert.Equal((serial.First(p), serial.Second(p)), (chunked.First(p), chunked.Second(p)));
            }
        }
    }

    private static void AssertExactly(ParticleState state, double radius, NeighbourPairs pairs)
    {
        int n = state.Count, d = state.Dimension;
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
