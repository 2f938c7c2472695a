using HpcGB.Engine.Numerics;

namespace HpcGB.Engine.Tests.Numerics;

/// <summary>Special functions against tabulated high-precision values (Abramowitz–Stegun, DLMF).</summary>
public class SpecialFunctionTests
{
    [Theory]
    [InlineData(0.01, 4.0379295765381134)]
    [InlineData(0.5, 0.55977359477616081175)]
    [InlineData(1.0, 0.21938393439552027368)]
    [InlineData(1.5, 0.10001958240663265190)]
    [InlineData(2.0, 0.048900510708061119567)]
    [InlineData(10.0, 4.1569689296853242774e-6)]
    [InlineData(50.0, 3.7832640295504590187e-24)]
    public void E1MatchesTables(double t, double expected) =>
        Assert.True(Math.Abs(ExponentialIntegral.E1(t) - expected) <= 2e-15 * expected, $"{ExponentialIntegral.E1(t):R}");

    [Theory]
    [InlineData(0.5, 0.42443638350202229)]
    [InlineData(1.0, 0.53807950691276841914)]
    [InlineData(2.0, 0.30134038892379196603)]
    [InlineData(5.0, 0.10213407442427684)]
    public void GaussianLogDerivativeIsScaledDawson(double v, double dawson)
    {
        // ℓ'(u) = √2 F(u/√2)
        double actual = GaussianLog.Derivative(v * Math.Sqrt(2)) / Math.Sqrt(2);
        Assert.True(Math.Abs(actual - dawson) <= 1e-15 * 4, $"{actual:R} vs {dawson:R}");
    }

    [Fact]
    public void GaussianLogIsTheIntegralOfItsDerivative()
    {
        // Composite Gauss–Legendre of ℓ' over [0, u] reproduces ℓ(u) − ℓ(0), across the asymptotic switch at 12.
        double[] nodes = [-0.9061798459386640, -0.5384693101056831, 0.0, 0.5384693101056831, 0.9061798459386640];
        double[] weights = [0.2369268850561891, 0.4786286704993665, 0.5688888888888889, 0.4786286704993665, 0.2369268850561891];
        double integral = 0;
        const double h = 0.01;
        for (double a = 0; a < 20 - 1e-12; a += h)
        {
            for (int q = 0; q < 5; q++)
            {
                integral += h / 2 * weights[q] * GaussianLog.Derivative(a + h / 2 * (1 + nodes[q]));
            }
            double b = a + h;
            if (Math.Abs(b - Math.Round(b)) < 1e-9 && Math.Round(b) % 4 == 0)
            {
                Assert.Equal(GaussianLog.Value(b) - GaussianLog.AtZero, integral, 12);
            }
        }
        Assert.Equal(Math.Log(1e6) - 0.5e-12, GaussianLog.Value(1e6), 14);
    }

    [Fact]
    public void HurwitzZetaMatchesKnownValues()
    {
        Assert.Equal(Math.PI * Math.PI / 6, HurwitzZeta.Value(2, 1.0), 15);
        Assert.Equal(1.2020569031595942854, HurwitzZeta.Value(3, 1.0), 15);
        Assert.Equal(Math.PI * Math.PI / 2, HurwitzZeta.Value(2, 0.5), 14);
        // Σ_{n≠0} (x+n)^{−2} = π²/sin²(πx) − 1/x²
        double x = 0.3;
        double expected = Math.PI * Math.PI / Math.Pow(Math.Sin(Math.PI * x), 2) - 1 / (x * x);
        Assert.Equal(expected, HurwitzZeta.ImageSum(2, x), 13);
        Span<double> all = stackalloc double[16];
        foreach (double y in new[] { -0.5, -0.2, 0.0, 1e-9, 0.37, 0.5 })
        {
            HurwitzZeta.ImageSums(y, all);
            for (int p = 2; p <= 17; p++)
            {
                double single = HurwitzZeta.ImageSum(p, y);
                Assert.True(Math.Abs(all[p - 2] - single) <= 1e-14 * (Math.Abs(single) + 1), $"p = {p}, x = {y}: {all[p - 2]:R} vs {single:R}");
            }
        }
    }

    [Fact]
    public void ExpM1IsAccurateNearZero()
    {
        Assert.True(Math.Abs(SpecialMath.ExpM1(1e-10) - (1e-10 + 5e-21)) <= 1e-26);
        Assert.Equal(Math.Exp(0.5) - 1, SpecialMath.ExpM1(0.5), 15);
        Assert.Equal(Math.Exp(-3.0) - 1, SpecialMath.ExpM1(-3.0), 15);
    }
}
