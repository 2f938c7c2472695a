using HpcGB.Engine.Kernels;
using HpcGB.Engine.Model;
using HpcGB.Engine.Numerics;

namespace HpcGB.Engine.Tests.Kernels;

/// <summary>
/// At δ = 1e-6 and 1e-9 Fourier sums are out of reach: compare with the free-space closed forms near 0
/// (docs/numerics.md §1–2), whose neglected smooth terms are O(r² + δ²) ≤ 1e-10 at r ≤ 10δ.
/// </summary>
public class NearCoreClosedFormTests
{
    private const double CIso = -1.3105329259115;

    public static TheoryData<double> Deltas => new() { 1e-6, 1e-9 };

    [Theory]
    [MemberData(nameof(Deltas))]
    public void GaussianLog2DIsFreeSpaceFormNearZero(double delta)
    {
        var kernel = new GaussianLogKernel2D(delta);
        Assert.Equal(0.5 * ExponentialIntegral.EulerGamma - 0.5 * Math.Log(2 * delta * delta) + CIso, kernel.SelfValue!.Value, 10);
        foreach (var (x1, x2) in CorePoints(delta))
        {
            double r2 = x1 * x1 + x2 * x2, t = r2 / (2 * delta * delta);
            // −ln r − ½E1(t) + C_iso + (π/2)r² (+ πδ² from the regularisation), gradient −(1 − e^{−t}) x/r².
            double expected = -0.5 * Math.Log(r2) - 0.5 * ExponentialIntegral.E1(t) + CIso + Math.PI / 2 * r2;
            Assert.Equal(expected, kernel.Potential(x1, x2), 9);
            kernel.Gradient(x1, x2, out double g1, out double g2);
            double w = -(1 - Math.Exp(-t)) / r2;
            AssertRelative(w * x1 + Math.PI * x1, g1, 1e-9);
            AssertRelative(w * x2 + Math.PI * x2, g2, 1e-9);
        }
    }

    [Theory]
    [MemberData(nameof(Deltas))]
    public void GaussianEdgeIsFreeSpaceFormNearZero(double delta)
    {
        var kernel = new GaussianEdgeKernel(delta);
        Assert.Equal(0.5 + 0.5 * ExponentialIntegral.EulerGamma - 0.5 * Math.Log(2 * delta * delta) + CIso, kernel.SelfValue!.Value, 10);
        foreach (var (x1, x2) in CorePoints(delta))
        {
            double r2 = x1 * x1 + x2 * x2, t = r2 / (2 * delta * delta);
            // −ln r + x1²/r² + C_edge − s_δ, s_δ = ½E1(t) − e^{−t} x2²/r².
            double expected = -0.5 * Math.Log(r2) + x1 * x1 / r2 + CIso - 0.5
                - (0.5 * ExponentialIntegral.E1(t) - Math.Exp(-t) * x2 * x2 / r2);
            Assert.Equal(expected, kernel.Potential(x1, x2), 9);
        }
    }

    [Theory]
    [MemberData(nameof(Deltas))]
    public void GaussianLog1DIsSmoothedLogarithmNearZero(double delta)
    {
        var kernel = new GaussianLogKernel1D(delta);
        foreach (double x in new[] { 0.0, 0.3 * delta, delta, 4 * delta, 30 * delta })
        {
            // V(x) = −ln|2πx| + π²x²/6 + O(x⁴) smoothed at width δ: −ln 2π − ln δ − ℓ(x/δ) + π²(x² + δ²)/6.
            double expected = -Math.Log(2 * Math.PI) - Math.Log(delta) - GaussianLog.Value(x / delta)
                + Math.PI * Math.PI * (x * x + delta * delta) / 6;
            double actual = x == 0 ? kernel.SelfValue!.Value : kernel.Potential(x, 0);
            Assert.Equal(expected, actual, 9);
            if (x > 0)
            {
                kernel.Gradient(x, 0, out double g, out _);
                AssertRelative(-GaussianLog.Derivative(x / delta) / delta + Math.PI * Math.PI * x / 3, g, 1e-9);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Deltas))]
    public void PoissonLog1DIsPaperModelNearZero(double delta)
    {
        // −½ ln(s² + δ²) − ln 2π + πδ + O(s², δ²), docs/numerics.md §2.
        var kernel = new PoissonLogKernel1D(delta);
        foreach (double s in new[] { 0.5 * delta, 3 * delta })
        {
            double expected = -0.5 * Math.Log(s * s + delta * delta) - Math.Log(2 * Math.PI) + Math.PI * delta;
            Assert.Equal(expected, kernel.Potential(s, 0), 9);
        }
    }

    private static IEnumerable<(double, double)> CorePoints(double delta)
    {
        foreach (double f in new[] { 0.01, 0.5, 1.0, 3.0, 10.0 })
        {
            yield return (0.6 * f * delta, 0.8 * f * delta);
            yield return (f * delta, 0);
            yield return (0, -f * delta);
        }
    }

    private static void AssertRelative(double expected, double actual, double tolerance) =>
        Assert.True(Math.Abs(actual - expected) <= tolerance * Math.Max(Math.Abs(expected), 1.0 / 1e-3),
            $"{actual:R} vs {expected:R}");
}
