using HpcGB.Engine.Analysis.Transport;
using static HpcGB.Engine.Tests.Analysis.Transport.TransportFixtures;

namespace HpcGB.Engine.Tests.Analysis.Transport;

public sealed class SinkhornTests
{
    [Theory]
    [InlineData(1e-2, 1e-8)]
    [InlineData(1e-3, 1e-6)]
    [InlineData(1e-4, 1e-4)] // Sinkhorn slows down like e^(−c/ε): a loose marginal tolerance keeps this under a second
    public void ApproachesTheExactDistanceWithinTheStatedEntropicGap(double epsilon, double tolerance)
    {
        // For a coupling, W₂² ≤ ⟨P, C⟩ ≤ W₂² + ε ln n; the rows miss their marginals by ≤ tolerance in ℓ¹, and repairing
        // them (Altschuler–Weed–Rigollet rounding) moves ⟨P, C⟩ by at most 2 · tolerance · max C = tolerance in 2D.
        const int n = 80;
        var options = new SinkhornOptions(Epsilon: epsilon, Tolerance: tolerance);
        for (ulong seed = 1; seed <= 3; seed++)
        {
            var x = RandomPoints(2, n, seed);
            var y = RandomPoints(2, n, seed + 20);
            double exact = TorusAssignment.Between(x, y).Squared;
            var result = Sinkhorn.Between(x, y, options);
            Assert.Equal(TransportMethod.Sinkhorn, result.Method);
            Assert.Equal(epsilon, result.Epsilon);
            Assert.False(result.IsExact);
            Assert.InRange(result.Squared, exact - tolerance, exact + epsilon * Math.Log(n) + tolerance);
        }
    }

    [Fact]
    public void ConvergesWithAndWithoutOverRelaxationToTheSamePlan()
    {
        var x = RandomPoints(2, 150, 3, clustered: true);
        var y = RandomPoints(2, 150, 4);
        // Both stop within 1e-8 of the marginals, so their costs differ by at most 2 · 1e-8 · max C (1e-8 in 2D).
        double plain = Sinkhorn.Between(x, y, new SinkhornOptions(Epsilon: 1e-2, Tolerance: 1e-8, Relaxation: 1)).Squared;
        double relaxed = Sinkhorn.Between(x, y, new SinkhornOptions(Epsilon: 1e-2, Tolerance: 1e-8, Relaxation: 1.5)).Squared;
        Assert.Equal(plain, relaxed, 1e-8);
    }

    [Fact]
    public void HandlesUnequalCountsAndOneDimension()
    {
        // Two copies of each point against the points themselves: the same measure, so ⟨P, C⟩ ≤ ε ln 60.
        var y = RandomPoints(1, 60, 6);
        var x = new[] { y[0].Concat(y[0]).ToArray() };
        var options = new SinkhornOptions(Epsilon: 1e-3, Tolerance: 1e-8);
        var result = Sinkhorn.Between(x, y, options);
        Assert.InRange(result.Squared, 0, 1e-3 * Math.Log(60) + 1e-8);

        var a = RandomPoints(1, 45, 7);
        double exact = CircleW2.Between(a[0], y[0]).Squared;
        Assert.InRange(Sinkhorn.Between(a, y, options).Squared, exact - 1e-8, exact + 1e-3 * Math.Log(45) + 1e-8);
    }

    [Fact]
    public void RejectsBadOptionsAndReportsNonConvergence()
    {
        var x = RandomPoints(2, 20, 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => Sinkhorn.Between(x, x, new SinkhornOptions(Epsilon: 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Sinkhorn.Between(x, x, new SinkhornOptions(Relaxation: 2)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Sinkhorn.Between(x, x, new SinkhornOptions(Scaling: 1)));
        var failure = Assert.Throws<InvalidOperationException>(
            () => Sinkhorn.Between(x, RandomPoints(2, 20, 2), new SinkhornOptions(Epsilon: 1e-4, Tolerance: 1e-12, MaxIterations: 3)));
        Assert.Contains("did not converge in 3 iterations", failure.Message);
    }
}
