using System.Globalization;
using ScottPlot;

namespace HpcGB.Host.Output;

/// <summary>
/// The look every PNG and movie frame shares, decided once: the font, one tick-label format per linear axis
/// (<see cref="ConsistentTicks"/>), log axes drawn as log
/// axes (data in log₁₀, ticks labelled 10ᵏ with minor ticks at 2…9·10ᵏ), and legends outside the data area.
/// </summary>
internal static class PlotTheme
{
    private static readonly Lazy<bool> FontsChosen = new(() =>
    {
        if (FontStatus.HasPreferredFamily())
        {
            Fonts.Default = FontStatus.PreferredFamily;
        }
        return true;
    });

    /// <summary>A new plot with the shared font and linear tick format on both axes.</summary>
    public static Plot NewPlot()
    {
        _ = FontsChosen.Value;
        var plot = new Plot();
        Linear(plot.Axes.Bottom);
        Linear(plot.Axes.Left);
        return plot;
    }

    /// <summary>A multiplot of <paramref name="count"/> plots made by <see cref="NewPlot"/>.</summary>
    public static Multiplot NewMultiplot(int count)
    {
        var multiplot = new Multiplot(NewPlot());
        for (int i = 1; i < count; i++)
        {
            multiplot.AddPlot(NewPlot());
        }
        return multiplot;
    }

    /// <summary>The shared linear tick format on <paramref name="axis"/>.</summary>
    public static void Linear(IAxis axis) => axis.TickGenerator = new ConsistentTicks(integersOnly: false);

    /// <summary>Integer ticks only (counts), in the shared format.</summary>
    public static void Counts(IAxis axis) => axis.TickGenerator = new ConsistentTicks(integersOnly: true);

    /// <summary>One number in a caption or title: "0", "0.25", "1500", "2.5e-6", "1.2e7".</summary>
    public static string Number(double value)
    {
        if (value == 0 || !double.IsFinite(value))
        {
            return value == 0 ? "0" : value.ToString(CultureInfo.InvariantCulture);
        }
        // Round away the float noise of tick positions (0.30000000000000004) before choosing the form.
        double rounded = double.Parse(value.ToString("G10", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        double magnitude = Math.Abs(rounded);
        return magnitude is >= 1e-3 and < 1e5
            ? rounded.ToString("0.######", CultureInfo.InvariantCulture)
            : rounded.ToString("0.###e+0", CultureInfo.InvariantCulture).Replace("e+", "e", StringComparison.Ordinal);
    }

    /// <summary>log₁₀ of the positive, finite values (others become NaN, which plots skip).</summary>
    public static double[] Log10(IEnumerable<double> values) =>
        values.Select(v => v > 0 && double.IsFinite(v) ? Math.Log10(v) : double.NaN).ToArray();

    /// <summary>
    /// Makes <paramref name="axis"/> a log axis over the data range [10^low, 10^high] (the plotted values are log₁₀):
    /// limits padded by a tenth of a decade, major ticks at each decade (and at 2 and 5 × 10ᵏ when the range spans
    /// under two decades), minor ticks at 2…9 × 10ᵏ.
    /// </summary>
    public static void LogAxis(Plot plot, IAxis axis, double low, double high)
    {
        if (!(double.IsFinite(low) && double.IsFinite(high)))
        {
            (low, high) = (0, 1);
        }
        if (high - low < 0.3)
        {
            double middle = 0.5 * (low + high);
            (low, high) = (middle - 0.3, middle + 0.3);
        }
        double padding = 0.05 * (high - low);
        (low, high) = (low - padding, high + padding);
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        bool fine = high - low < 2;
        // At most about eight labelled decades; the others keep a minor tick (and wide ranges drop 2…9·10ᵏ).
        int stride = Math.Max(1, (int)Math.Ceiling((high - low) / 8));
        for (int k = (int)Math.Floor(low); k <= (int)Math.Ceiling(high); k++)
        {
            for (int m = 1; m <= 9; m++)
            {
                double position = k + Math.Log10(m);
                if (position < low || position > high)
                {
                    continue;
                }
                if ((m == 1 && k % stride == 0) || (fine && m is 2 or 5))
                {
                    ticks.AddMajor(position, m == 1 ? PowerOfTen(k) : $"{m}·{PowerOfTen(k)}");
                }
                else if (m == 1 || stride == 1)
                {
                    ticks.AddMinor(position);
                }
            }
        }
        axis.TickGenerator = ticks;
        if (axis is IXAxis)
        {
            plot.Axes.SetLimitsX(low, high, (IXAxis)axis);
        }
        else
        {
            plot.Axes.SetLimitsY(low, high, (IYAxis)axis);
        }
    }

    /// <summary>Shows the legend outside the data area, on the right, when the plot has labelled items.</summary>
    public static void LegendOutside(Plot plot) => plot.ShowLegend(Edge.Right);

    /// <summary>"10⁻³", "1", "10", "10⁴".</summary>
    public static string PowerOfTen(int exponent) => exponent switch
    {
        0 => "1",
        1 => "10",
        _ => "10" + Superscript(exponent),
    };

    private static string Superscript(int value) => string.Concat(value.ToString(CultureInfo.InvariantCulture).Select(c => c switch
    {
        '-' => '⁻',
        '0' => '⁰',
        '1' => '¹',
        '2' => '²',
        '3' => '³',
        _ => (char)('⁴' + (c - '4')),
    }));
}
