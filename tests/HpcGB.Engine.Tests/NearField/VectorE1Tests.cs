using System.Runtime.Intrinsics;
using HpcGB.Engine.Forces.NearField.Simd;
using HpcGB.Engine.Numerics;
using Xunit.Abstractions;

namespace HpcGB.Engine.Tests.NearField;

/// <summary>
/// <see cref="VectorE1"/> in every width on a dense log grid against a double-double reference
/// (<see cref="ExtendedReference"/>). Not against <see cref="ExponentialIntegral.E1"/>: its continued fraction
/// never meets its 1e-17 stopping test for t in (1, 2), runs 500 steps, and is off by up to 1.2e-14 there (it is
/// ≈ 2e-16 elsewhere); the agreement with it is checked to 2e-14.
/// </summary>
public class VectorE1Tests(ITestOutputHelper output)
{
    private const int Points = 200_000;

    /// <summary>Log-spaced t from 1e-12 to <paramref name="upper"/>, plus the regime boundary t = 1 and its neighbours.</summary>
    private static double[] Grid(double upper, int points = Points)
    {
        var t = new double[points + 3];
        double a = Math.Log(1e-12), b = Math.Log(upper);
        for (int k = 0; k < points; k++)
        {
            t[k] = Math.Exp(a + (b - a) * k / (points - 1));
        }
        t[points] = 1.0;
        t[points + 1] = Math.BitDecrement(1.0);
        t[points + 2] = Math.BitIncrement(1.0);
        return t;
    }

    /// <summary>The brief's range t ∈ (0, 60] and the rest of the double range of e^{−t}, to 700.</summary>
    [Fact]
    public void E1IsAccurateInEveryWidth()
    {
        const double tolerance = 1e-15;
        var t = Grid(700.0);
        var expected = t.Select(ExtendedReference.E1).ToArray();
        var worst = new double[3];
        var worstTo60 = new double[3];
        for (int k = 0; k + 8 <= t.Length; k += 8)
        {
            var w256a = VectorE1.E1(Vector256.Create(t, k));
            var w256b = VectorE1.E1(Vector256.Create(t, k + 4));
            var w512 = VectorE1.E1(Vector512.Create(t, k));
            for (int l = 0; l < 8; l++)
            {
                double e = expected[k + l];
                double[] errors =
                [
                    Relative(VectorE1.E1(t[k + l]), e),
                    Relative(l < 4 ? w256a[l] : w256b[l - 4], e),
                    Relative(w512[l], e),
                ];
                for (int w = 0; w < 3; w++)
                {
                    worst[w] = Math.Max(worst[w], errors[w]);
                    if (t[k + l] <= 60)
                    {
                        worstTo60[w] = Math.Max(worstTo60[w], errors[w]);
                    }
                }
            }
        }
        output.WriteLine($"E1, {t.Length} points: max relative error on (0, 60] scalar {worstTo60[0]:E2}, " +
            $"Vector256 {worstTo60[1]:E2}, Vector512 {worstTo60[2]:E2}; on (0, 700] {worst[0]:E2}, {worst[1]:E2}, {worst[2]:E2}");
        Assert.True(worst.Max() <= tolerance, $"{worst.Max():E2}");
        double library = 0;
        for (int k = 0; k < t.Length; k += 10)
        {
            library = Math.Max(library, Relative(VectorE1.E1(t[k]), ExponentialIntegral.E1(t[k])));
        }
        output.WriteLine($"agreement with ExponentialIntegral.E1: {library:E2}");
        Assert.True(library <= 2e-14, $"{library:E2}");
    }

    /// <summary>
    /// The near-field energies' E1 from the caller's e^{−t} (<see cref="VectorExp"/>, as the operators pass it): the
    /// fit written in t with one division, on (0, 700] in both widths.
    /// </summary>
    [Fact]
    public void E1FromTheCallersExponentialIsAccurate()
    {
        const double tolerance = 1e-15;
        var t = Grid(700.0);
        double worst256 = 0, worst512 = 0;
        for (int k = 0; k + 8 <= t.Length; k += 8)
        {
            var t512 = Vector512.Create(t, k);
            var w512 = VectorE1.E1(t512, VectorExp.Exp(-t512));
            var lower = Vector256.Create(t, k);
            var upper = Vector256.Create(t, k + 4);
            var w256a = VectorE1.E1(lower, VectorExp.Exp(-lower));
            var w256b = VectorE1.E1(upper, VectorExp.Exp(-upper));
            for (int l = 0; l < 8; l++)
            {
                double e = ExtendedReference.E1(t[k + l]);
                worst512 = Math.Max(worst512, Relative(w512[l], e));
                worst256 = Math.Max(worst256, Relative(l < 4 ? w256a[l] : w256b[l - 4], e));
            }
        }
        output.WriteLine($"E1(t, e^-t), {t.Length} points on (0, 700]: max relative error Vector256 {worst256:E2}, Vector512 {worst512:E2}");
        Assert.True(Math.Max(worst256, worst512) <= tolerance, $"{Math.Max(worst256, worst512):E2}");
    }

    [Fact]
    public void EinIsAccurateInEveryWidth()
    {
        var t = Grid(60.0, 50_000);
        double worst = 0;
        for (int k = 0; k + 4 <= t.Length; k += 4)
        {
            var v = VectorE1.Ein(Vector256.Create(t, k));
            var w = VectorE1.Ein(Vector512.Create([t[k], t[k + 1], t[k + 2], t[k + 3], t[k], t[k + 1], t[k + 2], t[k + 3]]));
            for (int l = 0; l < 4; l++)
            {
                double e = ReferenceEin(t[k + l]);
                worst = Math.Max(worst, Relative(v[l], e));
                worst = Math.Max(worst, Relative(w[l], e));
                worst = Math.Max(worst, Relative(VectorE1.Ein(t[k + l]), e));
            }
        }
        output.WriteLine($"Ein on [1e-12, 60], {t.Length} points: max relative error {worst:E2}");
        Assert.True(worst <= 1e-15, $"{worst:E2}");
    }

    [Fact]
    public void EdgeValues()
    {
        Assert.Equal(double.PositiveInfinity, VectorE1.E1(0.0));
        Assert.Equal(0.0, VectorE1.E1(800.0));
        Assert.Equal(0.0, VectorE1.Ein(0.0));
        Assert.True(double.IsNaN(VectorE1.E1(-1.0)));
        var lanes = VectorE1.E1(Vector256.Create(0.5, 1.0, 2.0, 800.0));
        Assert.Equal(0.0, lanes[3]);
        Assert.Equal(VectorE1.E1(0.5), lanes[0], 15);
    }

    /// <summary>
    /// The callers'-exponential overload takes its logarithm from the exponent bits for normal t and from the runtime's
    /// below: t = 0 gives +∞, and subnormal t (in a vector with normal lanes too) and the smallest normals are exact
    /// to the same 1e-15 as the grid.
    /// </summary>
    [Fact]
    public void E1FromTheCallersExponentialAtTinyT()
    {
        double[] t = [0.0, 4.9e-324, 1e-310, double.Epsilon * 1e6, 2.2250738585072014e-308, 2.3e-308, 1e-300, 0.25];
        var t256 = Vector256.Create(t, 0);
        var w256 = VectorE1.E1(t256, VectorExp.Exp(-t256));
        var t512 = Vector512.Create(t, 0);
        var w512 = VectorE1.E1(t512, VectorExp.Exp(-t512));
        var normal = Vector256.Create(t, 4);
        var w256Normal = VectorE1.E1(normal, VectorExp.Exp(-normal));
        Assert.Equal(double.PositiveInfinity, w256[0]);
        Assert.Equal(double.PositiveInfinity, w512[0]);
        for (int l = 1; l < t.Length; l++)
        {
            double e = ExtendedReference.E1(t[l]);
            Assert.True(Relative(w512[l], e) <= 1e-15, $"t = {t[l]:E3}: {w512[l]} vs {e}");
            double w = l < 4 ? w256[l] : w256Normal[l - 4];
            Assert.True(Relative(w, e) <= 1e-15, $"t = {t[l]:E3}: {w} vs {e}");
        }
    }

    private static double ReferenceEin(double t) =>
        t <= 1.0 ? ExtendedReference.Ein(t).Value
        : ((DoubleDouble)ExtendedReference.E1(t) + DoubleDouble.EulerGamma + Math.Log(t)).Value;

    private static double Relative(double actual, double expected) =>
        expected == 0 ? Math.Abs(actual) : Math.Abs(actual - expected) / Math.Abs(expected);
}
