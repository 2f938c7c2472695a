using System.Runtime.Intrinsics;
using HpcGB.Engine.Forces.NearField;
using HpcGB.Engine.Numerics;
using Xunit.Abstractions;

namespace HpcGB.Engine.Tests.NearField;

/// <summary>The four short-range operators: widths agree, gradients are the derivative of the potentials, cut-off, r → 0.</summary>
public class ShortRangeOperatorTests(ITestOutputHelper output)
{
    private const double Sigma = 0.02;
    private const double Cutoff = 0.15;

    public static TheoryData<ShortRangeKind> Kinds() => [.. NearFieldSystems.Kinds(2).Union(NearFieldSystems.Kinds(1))];

    /// <summary>Random differences from 1e-4 σ to beyond the cut-off (some lanes out of range); 1D kinds on the x1 axis.</summary>
    private static (double[] X1, double[] X2, double[] R2) Samples(ShortRangeKind kind, int count, int seed, double minR = 1e-4 * Sigma)
    {
        bool oneDimensional = NearFieldSystems.DimensionOf(kind) == 1;
        var random = new Random(seed);
        var (x1, x2, r2) = (new double[count], new double[count], new double[count]);
        for (int k = 0; k < count; k++)
        {
            double r = Math.Exp(Math.Log(minR) + (Math.Log(1.2 * Cutoff) - Math.Log(minR)) * random.NextDouble());
            double theta = oneDimensional ? Math.PI * random.Next(2) : 2 * Math.PI * random.NextDouble();
            x1[k] = r * Math.Cos(theta);
            x2[k] = oneDimensional ? 0.0 : r * Math.Sin(theta);
            r2[k] = x1[k] * x1[k] + x2[k] * x2[k];
        }
        return (x1, x2, r2);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void VectorOverloadsEqualTheScalarReference(ShortRangeKind kind)
    {
        var op = NearFieldSystems.Operator(kind, Sigma, 0.2 * Sigma, Cutoff);
        var (x1, x2, r2) = Samples(kind, 8 * 4000, 1);
        double gradient = 0, potential = 0;
        for (int k = 0; k < x1.Length; k += 8)
        {
            op.Invoke(Vector256.Create(x1, k), Vector256.Create(x2, k), Vector256.Create(r2, k), out var a1, out var a2);
            op.Invoke(Vector512.Create(x1, k), Vector512.Create(x2, k), Vector512.Create(r2, k), out var b1, out var b2);
            var p256 = op.Potential(Vector256.Create(x1, k), Vector256.Create(x2, k), Vector256.Create(r2, k));
            var p512 = op.Potential(Vector512.Create(x1, k), Vector512.Create(x2, k), Vector512.Create(r2, k));
            for (int l = 0; l < 8; l++)
            {
                int i = k + l;
                op.Invoke(x1[i], x2[i], r2[i], out double g1, out double g2);
                double s = op.Potential(x1[i], x2[i], r2[i]);
                if (r2[i] >= op.CutoffSquared)
                {
                    Assert.True(g1 == 0 && g2 == 0 && s == 0, "beyond the cut-off everything is 0");
                    Assert.True(b1[l] == 0 && b2[l] == 0 && p512[l] == 0, "Vector512 beyond the cut-off");
                    if (l < 4)
                    {
                        Assert.True(a1[l] == 0 && a2[l] == 0 && p256[l] == 0, "Vector256 beyond the cut-off");
                    }
                    continue;
                }
                // Relative to the size of the terms: |∇s| + e^{−t}/r for the singular kinds and r/(r² + δ²) for
                // PoissonLog1D (whose brackets cancel where the force changes sign: at t ≈ 4.8 for PoissonLog1D, where
                // one ulp of e^{−t} is 5e-14 of |∇s|), |s| + ½E1(t) for the potential (which changes sign for edge).
                double r = Math.Sqrt(r2[i]), t = r2[i] / (2 * Sigma * Sigma);
                double norm = Math.Sqrt(g1 * g1 + g2 * g2) + (op.IsSingularAtOrigin ? Math.Exp(-t) / r : 0.0)
                    + (kind == ShortRangeKind.PoissonLog1D ? r / (r2[i] + 0.2 * Sigma * (0.2 * Sigma)) : 0.0);
                double size = Math.Abs(s) + 0.5 * HpcGB.Engine.Numerics.ExponentialIntegral.E1(t);
                gradient = Math.Max(gradient, Math.Max(Math.Abs(b1[l] - g1), Math.Abs(b2[l] - g2)) / norm);
                potential = Math.Max(potential, Math.Abs(p512[l] - s) / size);
                if (l < 4)
                {
                    gradient = Math.Max(gradient, Math.Max(Math.Abs(a1[l] - g1), Math.Abs(a2[l] - g2)) / norm);
                    potential = Math.Max(potential, Math.Abs(p256[l] - s) / size);
                }
            }
        }
        output.WriteLine($"{kind}: vector vs scalar, gradient {gradient:E2}, potential {potential:E2}");
        Assert.True(gradient <= 1e-14, $"gradient {gradient:E2}");
        Assert.True(potential <= 1e-14, $"potential {potential:E2}");
    }

    /// <summary>
    /// The fused overloads the energy loops call: the gradient bit for bit that of <c>Invoke</c> of the same width, the
    /// potential that of the scalar reference to 1e-14 of the size of its terms (as above). δ/σ = 10⁻⁶ takes the
    /// shortcut where every lane in range has u = κr² ≥ 40 (s = ½E1(r²/2σ²) from the gradient's exponential) in
    /// some vectors and the full E1 difference in those with a pair inside ~9δ.
    /// </summary>
    [Theory]
    [MemberData(nameof(KindsAndDeltas))]
    public void FusedOverloadsAreInvokeAndPotential(ShortRangeKind kind, double deltaOverSigma)
    {
        double delta = deltaOverSigma * Sigma;
        var op = NearFieldSystems.Operator(kind, Sigma, delta, Cutoff);
        var (x1, x2, r2) = Samples(kind, 8 * 4000, 2, Math.Min(1e-4 * Sigma, 0.1 * delta));
        double potential = 0;
        for (int k = 0; k < x1.Length; k += 8)
        {
            var (v1, v2, vr) = (Vector512.Create(x1, k), Vector512.Create(x2, k), Vector512.Create(r2, k));
            op.InvokeWithPotential(v1, v2, vr, out var b1, out var b2, out var p512);
            op.Invoke(v1, v2, vr, out var c1, out var c2);
            Assert.Equal(c1, b1);
            Assert.Equal(c2, b2);
            var p256 = new double[8];
            for (int half = 0; half < 8; half += 4)
            {
                var (u1, u2, ur) = (Vector256.Create(x1, k + half), Vector256.Create(x2, k + half), Vector256.Create(r2, k + half));
                op.InvokeWithPotential(u1, u2, ur, out var a1, out var a2, out var p);
                op.Invoke(u1, u2, ur, out var d1, out var d2);
                Assert.Equal(d1, a1);
                Assert.Equal(d2, a2);
                p.CopyTo(p256, half);
            }
            for (int l = 0; l < 8; l++)
            {
                int i = k + l;
                double s = op.Potential(x1[i], x2[i], r2[i]);
                if (r2[i] >= op.CutoffSquared)
                {
                    Assert.True(p512[l] == 0 && p256[l] == 0, "beyond the cut-off the potential is 0");
                    continue;
                }
                double size = Math.Abs(s) + 0.5 * ExponentialIntegral.E1(r2[i] / (2 * Sigma * Sigma));
                potential = Math.Max(potential, Math.Max(Math.Abs(p512[l] - s), Math.Abs(p256[l] - s)) / size);
            }
        }
        output.WriteLine($"{kind}, δ/σ = {deltaOverSigma:G2}: fused potential vs scalar {potential:E2}");
        Assert.True(potential <= 1e-14, $"potential {potential:E2}");
    }

    public static TheoryData<ShortRangeKind, double> KindsAndDeltas()
    {
        var data = new TheoryData<ShortRangeKind, double>();
        foreach (var kind in NearFieldSystems.Kinds(2).Union(NearFieldSystems.Kinds(1)))
        {
            data.Add(kind, 0.2);
            if (kind is ShortRangeKind.GaussianLog or ShortRangeKind.GaussianEdge or ShortRangeKind.GaussianLog1D)
            {
                data.Add(kind, 1e-6);
            }
        }
        return data;
    }

    /// <summary>
    /// The operators skip the exponential of u where every lane has u ≥ their negligible exponent (gaussian log 40,
    /// gaussian edge 40 + 2 ln(σ/δ)) and take φ(u) = 1/u and the edge's H factor 1/σ² − e^{−u}/δ² = 1/σ²: the full
    /// formulas give exactly these bits there.
    /// </summary>
    [Theory]
    [InlineData(1.001)]
    [InlineData(9.3)]
    [InlineData(1e4)]
    public void SkippedExponentialChangesNoBit(double sigmaOverDelta)
    {
        const double delta = 1e-4;
        double sigma = sigmaOverDelta * delta;
        double negligible = ShortRangeMath.NegligibleExponent + 2 * Math.Log(sigmaOverDelta);
        double inverseSigma2 = 1 / (sigma * sigma), inverseDelta2 = 1 / (delta * delta);
        var random = new Random(3);
        for (int k = 0; k < 20_000; k++)
        {
            var u = Vector512.Create(Enumerable.Range(0, 8).Select(_ => negligible * (1 + 20 * random.NextDouble() * random.NextDouble())).ToArray());
            var full = ShortRangeMath.Phi(u, out var qFull);
            Assert.Equal(Vector512<double>.One / u, full);
            var hFull = Vector512.FusedMultiplyAdd(-qFull, Vector512.Create(inverseDelta2), Vector512.Create(inverseSigma2));
            Assert.Equal(Vector512.Create(inverseSigma2), hFull);
            var u256 = u.GetLower();
            Assert.Equal(Vector256<double>.One / u256, ShortRangeMath.Phi(u256, out _));
        }
    }

    /// <summary>
    /// The cluster pair loop masks no lane beyond r_c: its padding (a difference of about −10³ per axis, r² ≈ 2·10⁶), the
    /// stand-in r² = r_c² at (0, 0) for the self pairs, and pairs just beyond r_c must give exactly ±0 from the operator
    /// itself (gradient and potential, both widths), beside in-range lanes near and far (both branches of the skips).
    /// </summary>
    [Theory]
    [MemberData(nameof(Kinds))]
    public void FiniteLanesBeyondTheCutoffGiveExactlyZeroUnmasked(ShortRangeKind kind)
    {
        bool oneDimensional = NearFieldSystems.DimensionOf(kind) == 1;
        foreach (double deltaOverSigma in new[] { 0.2, 1e-3 })
        {
            var op = NearFieldSystems.Operator(kind, Sigma, deltaOverSigma * Sigma, Cutoff);
            double rc2 = op.CutoffSquared, far = 0.3 - ClusterGrid.PaddingCoordinate;
            (double X1, double X2)[] beyond = [(far, oneDimensional ? 0 : far - 0.2), (0, 0), (1.01 * Cutoff, 0), (0, oneDimensional ? 0 : -1.5 * Cutoff)];
            var random = new Random(7);
            for (int k = 0; k < 2000; k++)
            {
                var (x1, x2, r2) = (new double[8], new double[8], new double[8]);
                var outside = new bool[8];
                for (int l = 0; l < 8; l++)
                {
                    outside[l] = l % 4 != 0 && random.Next(2) == 0;
                    double r = (k % 2 == 0 ? 1e-3 : 3) * Sigma * (1 + random.NextDouble());
                    (x1[l], x2[l]) = outside[l] ? beyond[random.Next(beyond.Length)] : (r, 0.0);
                    r2[l] = outside[l] && x1[l] == 0 && x2[l] == 0 ? rc2 : x1[l] * x1[l] + x2[l] * x2[l];
                }
                op.InvokeWithPotential(Vector512.Create(x1), Vector512.Create(x2), Vector512.Create(r2), out var g1, out var g2, out var s);
                op.Invoke(Vector512.Create(x1), Vector512.Create(x2), Vector512.Create(r2), out var f1, out var f2);
                op.InvokeWithPotential(Vector256.Create(x1), Vector256.Create(x2), Vector256.Create(r2), out var a1, out var a2, out var p);
                op.Invoke(Vector256.Create(x1, 4), Vector256.Create(x2, 4), Vector256.Create(r2, 4), out var b1, out var b2);
                for (int l = 0; l < 8; l++)
                {
                    if (outside[l])
                    {
                        Assert.True(g1[l] == 0 && g2[l] == 0 && s[l] == 0 && f1[l] == 0 && f2[l] == 0, $"{kind} lane {l} at ({x1[l]}, {x2[l]}), 512 bits");
                        Assert.True(l < 4 ? a1[l] == 0 && a2[l] == 0 && p[l] == 0 : b1[l - 4] == 0 && b2[l - 4] == 0, $"{kind} lane {l}, 256 bits");
                    }
                }
            }
        }
    }

    /// <summary>
    /// Lanes out of range (NaN, far and infinite r², the self pairs' r_c² stand-in, pairs just
    /// beyond r_c) leak into no lane in range (forces and energy, 256 and 512 bits): after the pair loops' bitwise mask
    /// the out-of-range lanes are exactly 0, and every in-range lane keeps each bit it has in a vector of in-range
    /// lanes only, except beside NaN lanes, which make the vector take the full φ(u) (κφ(u) e_σ instead of e_σ/r² can
    /// then differ in the last bit): there within 1e-14. (The cluster pair loop's padding is finite and far: no NaN.)
    /// </summary>
    [Theory]
    [InlineData(ShortRangeKind.GaussianLog, 0.2)]
    [InlineData(ShortRangeKind.GaussianLog, 1e-3)]
    [InlineData(ShortRangeKind.GaussianEdge, 0.2)]
    [InlineData(ShortRangeKind.GaussianEdge, 1e-3)]
    public void OutOfRangeLanesChangeNoInRangeBit(ShortRangeKind kind, double deltaOverSigma)
    {
        var op = NearFieldSystems.Operator(kind, Sigma, deltaOverSigma * Sigma, Cutoff);
        double rc2 = op.CutoffSquared;
        (double X1, double X2, double R2)[] garbage =
        [
            (double.NaN, double.NaN, double.NaN), (1e150, 0, 1e300), (1e200, 1e200, double.PositiveInfinity),
            (0, 0, rc2), (1.1 * Cutoff, 0, 1.21 * rc2), (0.6 * Cutoff, 0.9 * Cutoff, 1.17 * rc2),
        ];
        var random = new Random(5);
        for (int k = 0; k < 4000; k++)
        {
            // Mostly pairs with e^{−u} negligible (the skip), one in eight vectors with a close pair (the full path).
            double minR = k % 8 == 0 ? 1e-3 * Sigma : 3 * Sigma;
            var (x1, x2, r2) = (new double[8], new double[8], new double[8]);
            var (c1, c2, cr) = (new double[8], new double[8], new double[8]);
            var inRange = new bool[8];
            for (int l = 0; l < 8; l++)
            {
                double r = Math.Exp(Math.Log(minR) + (Math.Log(0.999 * Cutoff) - Math.Log(minR)) * random.NextDouble());
                double theta = 2 * Math.PI * random.NextDouble();
                (c1[l], c2[l]) = (r * Math.Cos(theta), r * Math.Sin(theta));
                cr[l] = c1[l] * c1[l] + c2[l] * c2[l];
                inRange[l] = l % 4 == 0 || random.Next(3) > 0;
                (x1[l], x2[l], r2[l]) = inRange[l] ? (c1[l], c2[l], cr[l]) : garbage[random.Next(garbage.Length)];
                if (!inRange[l])
                {
                    // The clean vector holds its half's first (in-range) lane in place of the garbage.
                    (c1[l], c2[l], cr[l]) = (c1[l & ~3], c2[l & ~3], cr[l & ~3]);
                }
            }
            var mask512 = Vector512.Create(inRange.Select(b => b ? -1L : 0L).ToArray()).AsDouble();
            op.InvokeWithPotential(Vector512.Create(x1), Vector512.Create(x2), Vector512.Create(r2), out var g1, out var g2, out var s);
            op.Invoke(Vector512.Create(x1), Vector512.Create(x2), Vector512.Create(r2), out var f1, out var f2);
            op.InvokeWithPotential(Vector512.Create(c1), Vector512.Create(c2), Vector512.Create(cr), out var h1, out var h2, out var t);
            double[] scale = [.. cr.Select(r => 0.5 * ExponentialIntegral.E1(r / (2 * Sigma * Sigma)))];
            Check([g1 & mask512, g2 & mask512, s & mask512, f1 & mask512, f2 & mask512], [h1, h2, t, h1, h2], 0, 8);
            for (int half = 0; half < 8; half += 4)
            {
                var mask256 = half == 0 ? mask512.GetLower() : mask512.GetUpper();
                var (v1, v2, vr) = (Vector256.Create(x1, half), Vector256.Create(x2, half), Vector256.Create(r2, half));
                op.InvokeWithPotential(v1, v2, vr, out var a1, out var a2, out var p);
                op.Invoke(v1, v2, vr, out var b1, out var b2);
                op.InvokeWithPotential(Vector256.Create(c1, half), Vector256.Create(c2, half), Vector256.Create(cr, half), out var e1, out var e2, out var q);
                Check([.. new[] { a1, a2, p, b1, b2 }.Select(v => (v & mask256).ToVector512())],
                    [.. new[] { e1, e2, q, e1, e2 }.Select(v => v.ToVector512())], half, 4);
            }

            void Check(Vector512<double>[] masked, Vector512<double>[] clean, int offset, int lanes)
            {
                bool padding = Enumerable.Range(offset, lanes).Any(l => double.IsNaN(r2[l]));
                for (int v = 0; v < masked.Length; v++)
                {
                    for (int l = 0; l < lanes; l++)
                    {
                        double got = masked[v][l], want = inRange[offset + l] ? clean[v][l] : 0.0;
                        // Forces against the gradient's norm, the energy against |s| + ½E1(r²/2σ²) (as above).
                        double size = v == 2 ? Math.Abs(want) + scale[offset + l] : Math.Sqrt(clean[0][l] * clean[0][l] + clean[1][l] * clean[1][l]);
                        bool same = BitConverter.DoubleToInt64Bits(got) == BitConverter.DoubleToInt64Bits(want)
                            || (padding && inRange[offset + l] && Math.Abs(got - want) <= 1e-14 * size);
                        Assert.True(same, $"{kind} output {v} lane {offset + l} (in range {inRange[offset + l]}): {got:R}, want {want:R}");
                    }
                }
            }
        }
    }

    /// <summary>∇s is the derivative of s (fourth-order central differences).</summary>
    [Theory]
    [MemberData(nameof(Kinds))]
    public void GradientIsTheDerivativeOfThePotential(ShortRangeKind kind)
    {
        var op = NearFieldSystems.Operator(kind, Sigma, 0.2 * Sigma, Cutoff);
        var (x1, x2, _) = Samples(kind, 300, 2, minR: 0.05 * Sigma);
        double worst = 0;
        for (int i = 0; i < x1.Length; i++)
        {
            double r = Math.Sqrt(x1[i] * x1[i] + x2[i] * x2[i]);
            if (r > 0.9 * Cutoff)
            {
                continue;
            }
            double h = 1e-4 * Math.Min(r, Sigma);
            double S(double a, double b) => op.Potential(a, b, a * a + b * b);
            double d1 = (8 * (S(x1[i] + h, x2[i]) - S(x1[i] - h, x2[i])) - (S(x1[i] + 2 * h, x2[i]) - S(x1[i] - 2 * h, x2[i]))) / (12 * h);
            double d2 = (8 * (S(x1[i], x2[i] + h) - S(x1[i], x2[i] - h)) - (S(x1[i], x2[i] + 2 * h) - S(x1[i], x2[i] - 2 * h))) / (12 * h);
            op.Invoke(x1[i], x2[i], x1[i] * x1[i] + x2[i] * x2[i], out double g1, out double g2);
            // Scale: |∇s| plus the rounding of the differences, |s|/h·1e-16.
            double scale = Math.Sqrt(g1 * g1 + g2 * g2) + Math.Abs(S(x1[i], x2[i])) / h * 1e-15;
            worst = Math.Max(worst, Math.Max(Math.Abs(d1 - g1), Math.Abs(d2 - g2)) / scale);
        }
        output.WriteLine($"{kind}: finite differences {worst:E2}");
        Assert.True(worst <= 1e-7, $"{worst:E2}");
    }

    [Theory]
    [InlineData(1e-3)]
    [InlineData(1e-6)]
    [InlineData(1e-9)]
    public void GaussianKindsAreAccurateAsRGoesToZero(double delta)
    {
        var edge = new GaussianEdgeShort(Sigma, delta, Cutoff);
        var log = new GaussianLogShort(Sigma, delta, Cutoff);
        DoubleDouble cSigma = (DoubleDouble)0.5 / ((DoubleDouble)Sigma * Sigma);
        DoubleDouble cS = (DoubleDouble)0.5 / ((DoubleDouble)Sigma * Sigma + (DoubleDouble)delta * delta);
        DoubleDouble cDelta = (DoubleDouble)0.5 / ((DoubleDouble)delta * delta);
        double worst = 0;
        foreach (double scale in new[] { 1e-12, 1e-9, 1e-6, 1e-3 })
        {
            foreach (double theta in new[] { 0.0, 0.3, Math.PI / 4, 1.2, Math.PI / 2, 2.5 })
            {
                double r = scale * delta;
                double x1 = r * Math.Cos(theta), x2 = theta == Math.PI / 2 ? r : r * Math.Sin(theta);
                DoubleDouble rr = (DoubleDouble)x1 * x1 + (DoubleDouble)x2 * x2;
                double r2 = x1 * x1 + x2 * x2;

                // Edge: s = ½[Ein(cσ r²) − Ein(cδ r²)] + ln(σ/δ) − D x2², ∂1 = x1 (H sin²θ − D cos2θ), ∂2 = x2 (H sin²θ + D (2 sin²θ − 3)).
                DoubleDouble d = ScaledExpDifference(cSigma, cDelta, rr), h = ExpOverWidthDifference(cSigma, cDelta, rr);
                DoubleDouble sin2 = (DoubleDouble)x2 * x2 / rr, cos2 = ((DoubleDouble)x1 * x1 - (DoubleDouble)x2 * x2) / rr;
                double s = ((ExtendedReference.Ein(cSigma * rr) - ExtendedReference.Ein(cDelta * rr)) * 0.5
                    + Math.Log(Sigma / delta) - d * ((DoubleDouble)x2 * x2)).Value;
                double g1 = ((DoubleDouble)x1 * (h * sin2 - d * cos2)).Value;
                double g2 = ((DoubleDouble)x2 * (h * sin2 + d * (sin2 * 2.0 - 3.0))).Value;
                worst = Math.Max(worst, Compare(edge, x1, x2, r2, g1, g2, s));

                // Log: ∇s = −D_S x, s = ½[Ein(cS r²) − Ein(cδ r²)] + ½ ln(S²/δ²).
                DoubleDouble dS = ScaledExpDifference(cS, cDelta, rr);
                double sLog = ((ExtendedReference.Ein(cS * rr) - ExtendedReference.Ein(cDelta * rr)) * 0.5
                    + 0.5 * Math.Log((Sigma * Sigma + delta * delta) / (delta * delta))).Value;
                worst = Math.Max(worst, Compare(log, x1, x2, r2, (-dS * x1).Value, (-dS * x2).Value, sLog));
            }
        }
        output.WriteLine($"δ = {delta:G2}: max relative error vs double-double series {worst:E2}");
        Assert.True(worst <= 2e-15, $"{worst:E2}");

        // r = 0: no force, s(0) = ln(σ/δ) (edge) and ln(S/δ) (log).
        foreach (IShortRangeOperator op in new IShortRangeOperator[] { edge, log })
        {
            op.Invoke(0, 0, 0, out double a, out double b);
            op.Invoke(Vector256<double>.Zero, Vector256<double>.Zero, Vector256<double>.Zero, out var v1, out var v2);
            Assert.True(a == 0 && b == 0 && v1 == Vector256<double>.Zero && v2 == Vector256<double>.Zero);
        }
        Assert.Equal(Math.Log(Sigma / delta), edge.Potential(0, 0, 0), 15);
        Assert.Equal(0.5 * Math.Log(1 + Sigma * Sigma / (delta * delta)), log.Potential(0, 0, 0), 15);
        Assert.Equal(edge.Potential(0, 0, 0), edge.Potential(Vector512<double>.Zero, Vector512<double>.Zero, Vector512<double>.Zero)[3], 15);
    }

    /// <summary>
    /// The 1D regularised short parts are ½E1(x²/2σ²) plus the free-space regularisation h of −ln|x|
    /// (gaussian: ln|x| − ln δ − ℓ(x/δ); poisson: ln|x| − ½ln(x² + δ²)), written out plainly here, with the
    /// finite limits s(0) = ln(2σ/δ) and ½[ln(2σ²/δ²) − γ].
    /// </summary>
    [Theory]
    [InlineData(1e-3)]
    [InlineData(1e-6)]
    [InlineData(1e-9)]
    public void OneDimensionalRegularisedKindsAreHalfE1PlusTheFreeSpaceRegularisation(double delta)
    {
        var gaussian = new GaussianLogShort1D(Sigma, delta, Cutoff);
        var poisson = new PoissonLogShort1D(Sigma, delta, Cutoff);
        double worst = 0;
        foreach (double r in new[] { 0.3 * delta, 3 * delta, 24 * delta, 26 * delta, 1e3 * delta, 0.5 * Sigma, Sigma, 4 * Sigma })
        {
            if (r >= Cutoff)
            {
                continue;
            }
            double halfE1 = 0.5 * ExponentialIntegral.E1(r * r / (2 * Sigma * Sigma));
            double gaussianValue = halfE1 + Math.Log(r) - Math.Log(delta) - GaussianLog.Value(r / delta);
            double poissonValue = halfE1 + Math.Log(r) - 0.5 * Math.Log(r * r + delta * delta);
            double halfE1Slope = -Math.Exp(-r * r / (2 * Sigma * Sigma)) / r;
            double gaussianSlope = halfE1Slope + 1 / r - GaussianLog.Derivative(r / delta) / delta;
            double poissonSlope = halfE1Slope + 1 / r - r / (r * r + delta * delta);
            foreach (var (op, value, slope) in new (IShortRangeOperator, double, double)[] { (gaussian, gaussianValue, gaussianSlope), (poisson, poissonValue, poissonSlope) })
            {
                foreach (double x in new[] { r, -r })
                {
                    op.Invoke(x, 0, r * r, out double g1, out double g2);
                    // The plain forms cancel: ln|x| against ½E1 (values ~ ln(σ/δ)), 1/x against the slopes (~1/r).
                    worst = Math.Max(worst, Math.Abs(op.Potential(x, 0, r * r) - value) / (1 + Math.Abs(Math.Log(r))));
                    worst = Math.Max(worst, Math.Abs(g1 - Math.Sign(x) * slope) * r);
                    Assert.Equal(0.0, g2);
                }
            }
        }
        output.WriteLine($"δ = {delta:G2}: max deviation {worst:E2}");
        Assert.True(worst <= 1e-13, $"{worst:E2}");
        Assert.Equal(Math.Log(2 * Sigma / delta), gaussian.Potential(0, 0, 0), 13);
        Assert.Equal(0.5 * (Math.Log(2 * Sigma * Sigma / (delta * delta)) - ExponentialIntegral.EulerGamma), poisson.Potential(0, 0, 0), 13);
        gaussian.Invoke(0, 0, 0, out double zero, out _);
        Assert.Equal(0.0, zero);
    }

    [Fact]
    public void GaussianEdgeNeedsSigmaAboveDelta()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new GaussianEdgeShort(0.01, 0.01, 0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LogShort(0, 0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new EdgeShort(0.01, double.NaN));
    }

    /// <summary>(e^{−a r²} − e^{−b r²})/r² = Σ_{k≥1} (−1)^k (A^k − B^k)/k! / r², A = a r², B = b r² (small here).</summary>
    private static DoubleDouble ScaledExpDifference(DoubleDouble a, DoubleDouble b, DoubleDouble rr)
    {
        DoubleDouble big = a * rr, small = b * rr;
        DoubleDouble sum = 0.0, ak = 1.0, bk = 1.0, factorial = 1.0;
        for (int k = 1; k < 30; k++)
        {
            ak *= big;
            bk *= small;
            factorial *= k;
            var term = (ak - bk) / factorial;
            sum += k % 2 == 1 ? -term : term;
        }
        return sum / rr;
    }

    /// <summary>2a e^{−a r²} − 2b e^{−b r²} (= e_σ/σ² − e_δ/δ² with a = 1/2σ², b = 1/2δ²) as Σ_k (−1)^k (2a A^k − 2b B^k)/k!.</summary>
    private static DoubleDouble ExpOverWidthDifference(DoubleDouble a, DoubleDouble b, DoubleDouble rr)
    {
        DoubleDouble big = a * rr, small = b * rr;
        DoubleDouble sum = 0.0, ak = a * 2.0, bk = b * 2.0, factorial = 1.0;
        for (int k = 0; k < 30; k++)
        {
            if (k > 0)
            {
                ak *= big;
                bk *= small;
                factorial *= k;
            }
            var term = (ak - bk) / factorial;
            sum += k % 2 == 0 ? term : -term;
        }
        return sum;
    }

    /// <summary>Max relative error of every width's gradient and potential against the extended reference.</summary>
    private static double Compare(IShortRangeOperator op, double x1, double x2, double r2, double g1, double g2, double s)
    {
        double norm = Math.Sqrt(g1 * g1 + g2 * g2);
        op.Invoke(x1, x2, r2, out double a1, out double a2);
        op.Invoke(Vector256.Create(x1), Vector256.Create(x2), Vector256.Create(r2), out var v1, out var v2);
        op.Invoke(Vector512.Create(x1), Vector512.Create(x2), Vector512.Create(r2), out var w1, out var w2);
        double worst = Math.Max(Math.Abs(a1 - g1), Math.Abs(a2 - g2));
        worst = Math.Max(worst, Math.Max(Math.Abs(v1[2] - g1), Math.Abs(v2[2] - g2)));
        worst = Math.Max(worst, Math.Max(Math.Abs(w1[5] - g1), Math.Abs(w2[5] - g2))) / norm;
        double p = Math.Abs(op.Potential(x1, x2, r2) - s);
        p = Math.Max(p, Math.Abs(op.Potential(Vector256.Create(x1), Vector256.Create(x2), Vector256.Create(r2))[1] - s));
        p = Math.Max(p, Math.Abs(op.Potential(Vector512.Create(x1), Vector512.Create(x2), Vector512.Create(r2))[7] - s));
        return Math.Max(worst, p / Math.Abs(s));
    }
}
