using HpcGB.Engine.Analysis.Transport;
using HpcGB.Engine.Initialization;
using static HpcGB.Engine.Tests.Analysis.Transport.TransportFixtures;

namespace HpcGB.Engine.Tests.Analysis.Transport;

public sealed class CircleW2Tests
{
    [Theory]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(5, false)]
    [InlineData(7, false)]
    [InlineData(7, true)]
    public void MatchesBruteForceOverAllPermutations(int n, bool clustered)
    {
        for (ulong seed = 1; seed <= 20; seed++)
        {
            var x = RandomPoints(1, n, seed, clustered);
            var y = RandomPoints(1, n, seed + 100, clustered);
            var result = CircleW2.Between(x[0], y[0]);
            Assert.Equal(TransportMethod.Circle, result.Method);
            Assert.True(result.IsExact);
            // Both sides are sums of n squares below ¼: round-off well under 1e-15.
            Assert.Equal(BruteForceSquared(x, y), result.Squared, 1e-14);
        }
    }

    [Theory]
    [InlineData(60, false)]
    [InlineData(300, false)]
    [InlineData(200, true)]
    public void MatchesTheAssignmentSolverWithCircleDistances(int n, bool clustered)
    {
        for (ulong seed = 1; seed <= 4; seed++)
        {
            var x = RandomPoints(1, n, seed, clustered);
            var y = RandomPoints(1, n, seed + 7, clustered);
            var cost = CostMatrix(x, y);
            int[] match = AssignmentSolver.Solve(cost, n);
            double exact = Enumerable.Range(0, n).Sum(i => cost[i * n + match[i]]) / n;
            Assert.Equal(exact, CircleW2.Between(x[0], y[0]).Squared, 1e-13);
        }
    }

    [Fact]
    public void ASmallRotationOfAGridCostsItsLength()
    {
        // n equally spaced points rotated by |s| ≤ 1/(2n): each point's nearest image is its own copy, W₂ = |s|.
        const int n = 500;
        var x = new[] { Enumerable.Range(0, n).Select(i => (i + 0.25) / n).ToArray() };
        foreach (double s in new[] { 0.0, 1e-9, 0.3 / n, -0.5 / n })
        {
            Assert.Equal(Math.Abs(s), CircleW2.Between(x[0], Shifted(x, s)[0]).Value, 1e-15);
        }
    }

    [Fact]
    public void IsSymmetricAndTranslationInvariant()
    {
        var random = new SeededRandom(11);
        for (ulong seed = 1; seed <= 10; seed++)
        {
            var x = RandomPoints(1, 257, seed);
            var y = RandomPoints(1, 257, seed + 50);
            double w = CircleW2.Between(x[0], y[0]).Value;
            Assert.Equal(w, CircleW2.Between(y[0], x[0]).Value, 1e-14);
            double c = random.NextDouble(-3, 3);
            Assert.Equal(w, CircleW2.Between(Shifted(x, c)[0], Shifted(y, c)[0]).Value, 1e-13);
        }
    }

    [Fact]
    public void IdenticalSetsInAnyOrderAreAtDistanceZero()
    {
        var x = RandomPoints(1, 1000, 5);
        var permuted = x[0].Reverse().Select(v => v + 3).ToArray();
        Assert.Equal(0, CircleW2.Between(x[0], permuted).Value, 1e-15);
    }

    [Theory]
    [InlineData(1, 2)]
    [InlineData(3, 7)]
    [InlineData(10, 4)]
    [InlineData(12, 18)]
    public void DifferentCountsMatchTheEqualCountFormulaOnReplicatedPoints(int n, int m)
    {
        // Each x repeated m/g times and each y n/g times (g = gcd) is the same pair of measures with equal counts.
        int g = (int)System.Numerics.BigInteger.GreatestCommonDivisor(n, m);
        for (ulong seed = 1; seed <= 10; seed++)
        {
            var x = RandomPoints(1, n, seed, clustered: seed % 3 == 0)[0];
            var y = RandomPoints(1, m, seed + 30, clustered: seed % 3 == 0)[0];
            var xr = x.SelectMany(v => Enumerable.Repeat(v, m / g)).ToArray();
            var yr = y.SelectMany(v => Enumerable.Repeat(v, n / g)).ToArray();
            double expected = CircleW2.Between(xr, yr).Squared;
            Assert.Equal(expected, CircleW2.Between(x, y).Squared, 1e-14);
            Assert.Equal(expected, CircleW2.Between(y, x).Squared, 1e-14);
        }
    }

    [Fact]
    public void RejectsOneEmptySetAndNonFinitePositions()
    {
        var one = Assert.Throws<ArgumentException>(() => CircleW2.Between([0.1, 0.2], []));
        Assert.Contains("one measure is empty (2 and 0 points)", one.Message);
        var two = Assert.Throws<ArgumentException>(() => CircleW2.Between([0.1, double.NaN], [0.3, 0.4]));
        Assert.Contains("x[1] is not finite", two.Message);
    }
}
