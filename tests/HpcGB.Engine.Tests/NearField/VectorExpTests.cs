using System.Runtime.Intrinsics;
using HpcGB.Engine.Forces.NearField.Simd;
using Xunit.Abstractions;

namespace HpcGB.Engine.Tests.NearField;

/// <summary>
/// <see cref="VectorExp"/> in both widths (their reductions differ: a degree-11 polynomial in four lanes, a 16-entry
/// table and a degree-6 polynomial in eight) against <see cref="Math.Exp"/> over the whole domain.
/// </summary>
public class VectorExpTests(ITestOutputHelper output)
{
    /// <summary>
    /// Relative error ≤ 2.5e-16 (about one ulp of each, as <see cref="Math.Exp"/> is itself within half an ulp) on a
    /// dense grid of [−708, 709], the table's boundaries x = (k ± ½) ln2/16 and the domain's ends; 0 below −708.
    /// </summary>
    [Fact]
    public void ExpIsAccurateInBothWidthsOverTheDomain()
    {
        const double tolerance = 2.5e-16;
        var x = new List<double>();
        const int points = 400_000;
        for (int k = 0; k < points; k++)
        {
            x.Add(VectorExp.Lowest + (VectorExp.Highest - VectorExp.Lowest) * k / (points - 1));
        }
        for (int k = -16 * 1021; k <= 16 * 1022; k += 37)
        {
            double boundary = (k + 0.5) * Math.Log(2) / 16;
            x.AddRange([Math.BitDecrement(boundary), boundary, Math.BitIncrement(boundary)]);
        }
        x.AddRange([0.0, -0.0, 1e-300, -1e-300, Math.BitIncrement(VectorExp.Lowest), Math.BitDecrement(VectorExp.Highest)]);
        while (x.Count % 8 != 0)
        {
            x.Add(0.0);
        }
        double[] values = [.. x];
        double worst256 = 0, worst512 = 0;
        for (int k = 0; k < values.Length; k += 8)
        {
            var e512 = VectorExp.Exp(Vector512.Create(values, k));
            var e256a = VectorExp.Exp(Vector256.Create(values, k));
            var e256b = VectorExp.Exp(Vector256.Create(values, k + 4));
            for (int l = 0; l < 8; l++)
            {
                double expected = Math.Exp(values[k + l]);
                worst512 = Math.Max(worst512, Math.Abs(e512[l] - expected) / expected);
                worst256 = Math.Max(worst256, Math.Abs((l < 4 ? e256a[l] : e256b[l - 4]) - expected) / expected);
            }
        }
        output.WriteLine($"{values.Length} points: max relative error Vector256 {worst256:E2}, Vector512 {worst512:E2}");
        Assert.True(worst256 <= tolerance, $"Vector256 {worst256:E2}");
        Assert.True(worst512 <= tolerance, $"Vector512 {worst512:E2}");
        double[] below = [-708.5, -745.2, -1e4, double.MinValue, -709.0, -708.0000001, -800.0, -1e300];
        Assert.Equal(Vector512<double>.Zero, VectorExp.Exp(Vector512.Create(below)));
        Assert.Equal(Vector256<double>.Zero, VectorExp.Exp(Vector256.Create(below, 4)));
    }
}
