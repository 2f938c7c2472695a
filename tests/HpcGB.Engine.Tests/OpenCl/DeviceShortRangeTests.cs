using HpcGB.Engine.Cases;
using HpcGB.Engine.Forces.NearField;
using HpcGB.Engine.Forces.OpenCl;
using HpcGB.Interop.OpenCl;
using HpcGB.Tests.Shared;

namespace HpcGB.Engine.Tests.OpenCl;

/// <summary>
/// The device's short-range functions (short_range.cl, numerics.cl) against the CPU operators' scalar reference
/// overloads, kind by kind, from r = 0 (regularised kinds) or 1e-9 through every regime (series, rational fit,
/// asymptotic forms) to the cut-off: to 1e-13 of the value (the gradient: of its terms' size |x|/r²).
/// </summary>
public class DeviceShortRangeTests
{
    private const double Sigma = 0.01;
    private const double Delta = 1e-3;
    private const double Cutoff = 0.06;

    public static TheoryData<ShortRangeKind> Kinds()
    {
        var data = new TheoryData<ShortRangeKind>();
        foreach (var kind in Enum.GetValues<ShortRangeKind>())
        {
            data.Add(kind);
        }
        return data;
    }

    [OpenClTheory]
    [MemberData(nameof(Kinds))]
    public void DeviceValuesMatchTheScalarOperators(ShortRangeKind kind)
    {
        var kase = KernelCases.WithShortRange(kind).First();
        var op = kase.Split!.ShortRange.Create(Sigma, Delta, Cutoff);
        bool twoD = kase.Dimension == 2;
        var x1 = new List<double>();
        var x2 = new List<double>();
        if (kase.IsRegularised)
        {
            x1.Add(0);
            x2.Add(0);
        }
        var random = new Random(5);
        for (int k = 0; k <= 400; k++)
        {
            double r = 1e-9 * Math.Pow(0.999 * Cutoff / 1e-9, k / 400.0);
            double angle = twoD ? 2 * Math.PI * random.NextDouble() : 0;
            x1.Add(r * Math.Cos(angle) * (twoD || k % 2 == 0 ? 1 : -1));
            x2.Add(r * Math.Sin(angle));
        }
        var device = Evaluate(kind, x1.ToArray(), x2.ToArray());
        for (int i = 0; i < x1.Count; i++)
        {
            double r2 = x1[i] * x1[i] + x2[i] * x2[i];
            op.Invoke(x1[i], x2[i], r2, out double g1, out double g2);
            double s = op.Potential(x1[i], x2[i], r2);
            // Relative to the gradient's terms, of size |x|/r², which can cancel (1D poisson near r_c).
            double gradientScale = Math.Sqrt(g1 * g1 + g2 * g2) + (r2 > 0 ? Math.Sqrt(r2) / r2 : 0);
            Assert.True(Math.Abs(device[3 * i] - g1) <= 1e-13 * gradientScale && Math.Abs(device[3 * i + 1] - g2) <= 1e-13 * gradientScale,
                $"{kind} at r = {Math.Sqrt(r2):E3}: device ∇s = ({device[3 * i]:R}, {device[3 * i + 1]:R}), CPU ({g1:R}, {g2:R})");
            Assert.True(Math.Abs(device[3 * i + 2] - s) <= 1e-13 * Math.Max(Math.Abs(s), 1e-3),
                $"{kind} at r = {Math.Sqrt(r2):E3}: device s = {device[3 * i + 2]:R}, CPU {s:R}");
        }
    }

    private static double[] Evaluate(ShortRangeKind kind, double[] x1, double[] x2)
    {
        var context = ClContext.Shared(OpenClTestDevice.Device);
        using var queue = context.CreateQueue();
        using var kernel = DevicePrograms.ShortRange(context, kind).CreateKernel("short_range_values");
        using var a = context.CreateBuffer<double>(x1.Length);
        using var b = context.CreateBuffer<double>(x2.Length);
        using var output = context.CreateBuffer<double>(3 * x1.Length);
        queue.Write(a, x1);
        queue.Write(b, x2);
        kernel.Set(0, a).Set(1, b).SetValue(2, x1.Length).SetValue(3, Sigma).SetValue(4, Delta).Set(5, output);
        queue.Launch(kernel, x1.Length);
        var values = new double[3 * x1.Length];
        queue.Read(output, values.AsSpan());
        return values;
    }
}
