using System.Globalization;
using ScottPlot;

namespace HpcGB.Host.Output;

/// <summary>
/// ScottPlot's automatic ticks, relabelled so that one axis uses one format: plain decimals with as many places as
/// the tick spacing needs when the largest tick lies in [10⁻³, 10⁵), otherwise one common exponent ("0.5e-3",
/// "1.0e-3", "1.5e-3"). ScottPlot alone formats each tick on its own, which mixes "0.0015" with "5e-4" on one axis.
/// </summary>
internal sealed class ConsistentTicks(bool integersOnly) : ITickGenerator
{
    private readonly ScottPlot.TickGenerators.NumericAutomatic _inner = new() { IntegerTicksOnly = integersOnly };

    public Tick[] Ticks { get; set; } = [];

    public int MaxTickCount
    {
        get => _inner.MaxTickCount;
        set => _inner.MaxTickCount = value;
    }

    public void Regenerate(CoordinateRange range, Edge edge, PixelLength size, Paint paint, LabelStyle labelStyle)
    {
        _inner.Regenerate(range, edge, size, paint, labelStyle);
        double[] major = _inner.Ticks.Where(t => t.IsMajor).Select(t => t.Position).Order().ToArray();
        var format = Format(major);
        Ticks = _inner.Ticks.Select(t => t.IsMajor ? new Tick(t.Position, format(t.Position), true) : t).ToArray();
    }

    /// <summary>The one label format for ticks at <paramref name="positions"/> (sorted).</summary>
    public static Func<double, string> Format(double[] positions)
    {
        double largest = positions.Length == 0 ? 0 : positions.Max(Math.Abs);
        if (largest == 0)
        {
            return _ => "0";
        }
        double spacing = positions.Zip(positions.Skip(1), (a, b) => b - a).Where(d => d > 0).DefaultIfEmpty(largest).Min();
        if (largest is >= 1e-3 and < 1e5)
        {
            int places = Places(spacing);
            return value => Clean(value, spacing).ToString("F" + places, CultureInfo.InvariantCulture);
        }
        int exponent = (int)Math.Floor(Math.Log10(largest));
        double scale = Math.Pow(10, exponent);
        int digits = Places(spacing / scale);
        return value =>
        {
            double v = Clean(value, spacing);
            return v == 0 ? "0" : (v / scale).ToString("F" + digits, CultureInfo.InvariantCulture) + "e" + exponent.ToString(CultureInfo.InvariantCulture);
        };
    }

    /// <summary>Decimal places that show a step of <paramref name="spacing"/> exactly (0.25 → 2, 5 → 0, 0.1 → 1).</summary>
    private static int Places(double spacing)
    {
        for (int places = 0; places < 15; places++)
        {
            double scaled = spacing * Math.Pow(10, places);
            if (Math.Abs(scaled - Math.Round(scaled)) < 1e-6 * scaled)
            {
                return places;
            }
        }
        return 15;
    }

    /// <summary>A tick position with its float noise removed (so that −0 and 1e-17 read as 0).</summary>
    private static double Clean(double value, double spacing) => Math.Abs(value) < 1e-9 * spacing ? 0 : value;
}
