using System.Runtime.Intrinsics;
using System.Text.Json;
using HpcGB.Engine.Analysis.Transport;
using HpcGB.Engine.Forces.Ewald;
using HpcGB.Engine.Numerics;
using Xunit.Abstractions;

namespace HpcGB.Engine.Tests.Numerics;

/// <summary>
/// The special functions and the exact transport costs against golden tables made once by an independent tool
/// (Numerics/Golden/make_golden.py: mpmath at 40 digits, scipy's assignment solver) and committed. Each test reports
/// the worst deviation it saw; the bounds are the accuracies docs/numerics.md §8 states.
/// </summary>
public class GoldenTableTests(ITestOutputHelper output)
{
    [Fact]
    public void ExponentialIntegralMatchesTheTable()
    {
        double e1 = 0, ein = 0, vector = 0;
        foreach (var row in Rows("e1.json"))
        {
            double t = row.GetProperty("t").GetDouble();
            double expectedE1 = row.GetProperty("e1").GetDouble(), expectedEin = row.GetProperty("ein").GetDouble();
            e1 = Math.Max(e1, Relative(ExponentialIntegral.E1(t), expectedE1));
            ein = Math.Max(ein, Relative(ExponentialIntegral.Ein(t), expectedEin));
            vector = Math.Max(vector, Relative(VectorE1.E1(t), expectedE1));
            vector = Math.Max(vector, Relative(VectorE1.E1(Vector256.Create(t)).GetElement(0), expectedE1));
            vector = Math.Max(vector, Relative(VectorE1.E1(Vector512.Create(t)).GetElement(0), expectedE1));
        }
        output.WriteLine($"E1 {e1:E1}, Ein {ein:E1}, VectorE1 {vector:E1} (relative)");
        Assert.True(e1 <= 1e-15, $"E1 {e1:E2}");
        Assert.True(ein <= 1e-15, $"Ein {ein:E2}");
        Assert.True(vector <= 1e-15, $"VectorE1 {vector:E2}");
    }

    [Fact]
    public void ErfcMatchesTheTable()
    {
        // The 1D split's long-range factor erfc(√2 πσ|k|) (MathNet.Numerics).
        double worst = 0;
        foreach (var row in Rows("erfc.json"))
        {
            double x = row.GetProperty("x").GetDouble();
            worst = Math.Max(worst, Relative(SplitTerms.Erfc1D(x / (Math.Sqrt(2) * Math.PI), 0, 1), row.GetProperty("erfc").GetDouble()));
        }
        output.WriteLine($"erfc {worst:E1} (relative)");
        Assert.True(worst <= 2e-15, $"erfc {worst:E2}");
    }

    [Fact]
    public void HurwitzZetaMatchesTheTable()
    {
        double values = 0, images = 0;
        foreach (var row in Rows("hurwitz_zeta.json"))
        {
            double q = row.GetProperty("q").GetDouble();
            int s = row.GetProperty("s").GetInt32();
            values = Math.Max(values, Relative(HurwitzZeta.Value(s, q), row.GetProperty("zeta").GetDouble()));
        }
        foreach (var row in Rows("hurwitz_zeta.json", "image_sums"))
        {
            int p = row.GetProperty("p").GetInt32();
            double x = row.GetProperty("x").GetDouble(), expected = row.GetProperty("sum").GetDouble();
            images = Math.Max(images, Math.Abs(HurwitzZeta.ImageSum(p, x) - expected) / (1 + Math.Abs(expected)));
        }
        output.WriteLine($"ζ(s, q) {values:E1} (relative), image sums {images:E1} (relative to 1 + |sum|)");
        Assert.True(values <= 2e-15, $"ζ {values:E2}");
        Assert.True(images <= 2e-15, $"image sums {images:E2}");
    }

    [Fact]
    public void GaussianLogMatchesTheTable()
    {
        double value = 0, derivative = 0;
        foreach (var row in Rows("gaussian_log.json"))
        {
            double u = row.GetProperty("u").GetDouble();
            value = Math.Max(value, Math.Abs(GaussianLog.Value(u) - row.GetProperty("value").GetDouble()));
            derivative = Math.Max(derivative, Math.Abs(GaussianLog.Derivative(u) - row.GetProperty("derivative").GetDouble()));
        }
        output.WriteLine($"ℓ {value:E1}, ℓ' {derivative:E1} (absolute)");
        Assert.True(value <= 3e-15, $"ℓ {value:E2}");
        Assert.True(derivative <= 1e-15, $"ℓ' {derivative:E2}");
    }

    [Fact]
    public void ExactTransportCostsMatchTheAssignmentTable()
    {
        double worst = 0;
        foreach (var row in Rows("assignment_costs.json"))
        {
            double[][] x = Points(row.GetProperty("x")), y = Points(row.GetProperty("y"));
            double expected = row.GetProperty("w2_squared").GetDouble();
            worst = Math.Max(worst, Relative(TorusAssignment.Between(x, y).Squared, expected));
            if (x.Length == 1)
            {
                worst = Math.Max(worst, Relative(CircleW2.Between(x[0], y[0]).Squared, expected));
            }
        }
        output.WriteLine($"W₂² {worst:E1} (relative)");
        Assert.True(worst <= 1e-13, $"W₂² {worst:E2}");
    }

    private static double Relative(double actual, double expected) =>
        actual == expected ? 0 : Math.Abs(actual - expected) / Math.Abs(expected);

    private static double[][] Points(JsonElement axes) =>
        [.. axes.EnumerateArray().Select(axis => axis.EnumerateArray().Select(v => v.GetDouble()).ToArray())];

    private static IEnumerable<JsonElement> Rows(string file, string table = "rows")
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Numerics", "Golden", file)));
        return [.. document.RootElement.GetProperty(table).EnumerateArray().Select(row => row.Clone())];
    }
}
