using HpcGB.Engine.Analysis.Transport;
using static HpcGB.Engine.Tests.Analysis.Transport.TransportFixtures;

namespace HpcGB.Engine.Tests.Analysis.Transport;

public sealed class TorusAssignmentTests
{
    [Theory]
    [InlineData(1, false)]
    [InlineData(3, false)]
    [InlineData(6, false)]
    [InlineData(7, true)]
    public void MatchesBruteForceOverAllPermutations(int n, bool clustered)
    {
        for (ulong seed = 1; seed <= 10; seed++)
        {
            var x = RandomPoints(2, n, seed, clustered);
            var y = RandomPoints(2, n, seed + 40, clustered);
            var result = TorusAssignment.Between(x, y);
            Assert.Equal(TransportMethod.Assignment, result.Method);
            Assert.Equal(BruteForceSquared(x, y), result.Squared, 1e-14);
        }
    }

    [Fact]
    public void ASmallTranslationOfALatticeCostsItsLength()
    {
        // A k × k lattice moved by s with |s_a| < 1/(2k): every point's nearest image is its own copy, W₂ = |s|.
        const int k = 12;
        var x = new[]
        {
            Enumerable.Range(0, k * k).Select(i => (i / k + 0.5) / k).ToArray(),
            Enumerable.Range(0, k * k).Select(i => (i % k + 0.1) / k).ToArray(),
        };
        foreach (double[] s in new[] { new[] { 0.0, 0.0 }, [0.01, -0.02], [-0.4 / k, 0.3 / k] })
        {
            Assert.Equal(Math.Sqrt(s[0] * s[0] + s[1] * s[1]), TorusAssignment.Between(x, Shifted(x, s)).Value, 1e-12);
        }
    }

    [Fact]
    public void IsSymmetricAndTranslationInvariantAndAgreesWithTheCircleIn1D()
    {
        for (ulong seed = 1; seed <= 3; seed++)
        {
            var x = RandomPoints(2, 120, seed);
            var y = RandomPoints(2, 120, seed + 9);
            double w = TorusAssignment.Between(x, y).Value;
            Assert.Equal(w, TorusAssignment.Between(y, x).Value, 1e-13);
            Assert.Equal(w, TorusAssignment.Between(Shifted(x, 0.3, -1.7), Shifted(y, 0.3, -1.7)).Value, 1e-13);

            var x1 = RandomPoints(1, 120, seed);
            var y1 = RandomPoints(1, 120, seed + 9);
            Assert.Equal(CircleW2.Between(x1[0], y1[0]).Value, TorusAssignment.Between(x1, y1).Value, 1e-13);
        }
    }

    [Fact]
    public void RejectsDifferentCountsAndDimensions()
    {
        Assert.Contains("same number of points (3 and 2)", Assert.Throws<ArgumentException>(
            () => TorusAssignment.Between(RandomPoints(2, 3, 1), RandomPoints(2, 2, 1))).Message);
        Assert.Contains("dimensions 2 and 1", Assert.Throws<ArgumentException>(
            () => TorusAssignment.Between(RandomPoints(2, 3, 1), RandomPoints(1, 3, 1))).Message);
        Assert.Contains("x[1] has 2 entries", Assert.Throws<ArgumentException>(
            () => TorusAssignment.Between([[0.1, 0.2, 0.3], [0.1, 0.2]], RandomPoints(2, 3, 1))).Message);
    }
}
