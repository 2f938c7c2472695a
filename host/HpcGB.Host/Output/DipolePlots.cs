using System.Globalization;
using ScottPlot;

namespace HpcGB.Host.Output;

/// <summary>
/// <c>dipoles.png</c>: what a run with bound dipoles does, where the particles plot shows only identical glyphs.
/// Top: the width distribution against time in units of δ on a log axis (10–90 % band, median, min and max, the
/// bound distance). Middle: the centre drift of the dipoles of t = 0 (max and mean) on a log axis against the
/// scale n²δ of docs/model.md §4. Bottom: how many dipoles there are, and how many of those of t = 0 still hold.
/// </summary>
internal static class DipolePlots
{
    public static void Write(string path, DipoleSeries series, string caption)
    {
        var multiplot = PlotTheme.NewMultiplot(3);
        var frames = series.Frames;
        double delta = series.Delta;

        var widths = Panel(multiplot.GetPlot(0), "Dipole widths |x₊ − x₋| in units of δ", "width / δ");
        var withDipoles = frames.Where(f => f.Dipoles > 0).ToArray();
        double[] t = withDipoles.Select(f => f.Time).ToArray();
        double[] Column(int q) => PlotTheme.Log10(withDipoles.Select(f => f.Widths[q] / delta));
        double[] min = Column(0), p10 = Column(1), median = Column(2), p90 = Column(3), max = Column(4);
        var fill = widths.Add.FillY(t, p10, p90);
        fill.FillColor = Colors.SteelBlue.WithAlpha(0.3);
        fill.LineWidth = 0;
        fill.LegendText = "10–90 % of dipoles";
        AddLine(widths, t, median, Colors.SteelBlue, "median", LinePattern.Solid);
        AddLine(widths, t, max, Colors.DarkRed, "widest", LinePattern.Dashed);
        AddLine(widths, t, min, Colors.Gray, "narrowest", LinePattern.Dashed);
        FinishLogPanel(widths, min.Concat(max), Math.Log10(series.BoundDistance / delta),
            $"bound distance ({PlotTheme.Number(series.BoundDistance / delta)}δ)");

        var drift = Panel(multiplot.GetPlot(1), "Centre drift of the dipoles of t = 0, against n²δ", "|z(t) − z(0)|");
        double[] time = frames.Select(f => f.Time).ToArray();
        double[] maxDrift = PlotTheme.Log10(frames.Select(f => f.MaxDrift));
        double[] meanDrift = PlotTheme.Log10(frames.Select(f => f.MeanDrift));
        AddLine(drift, time, maxDrift, Colors.DarkRed, "max over dipoles", LinePattern.Solid);
        AddLine(drift, time, meanDrift, Colors.SteelBlue, "mean over dipoles", LinePattern.Solid);
        FinishLogPanel(drift, maxDrift.Concat(meanDrift), Math.Log10(series.DriftScale),
            $"n²δ = {PlotTheme.Number(series.DriftScale)}");

        var counts = Panel(multiplot.GetPlot(2), "Bound dipoles", "dipoles");
        var all = counts.Add.Scatter(time, frames.Select(f => (double)f.Dipoles).ToArray());
        all.Color = Colors.DarkGreen;
        all.LegendText = "bound dipoles";
        var held = counts.Add.Scatter(time, frames.Select(f => (double)f.Persisting).ToArray());
        held.Color = Colors.Purple;
        held.LinePattern = LinePattern.Dashed;
        held.LegendText = "of those at t = 0, still bound";
        PlotTheme.Counts(counts.Axes.Left);
        double top = Math.Max(4, frames.Max(f => f.Dipoles) * 1.08);
        counts.Axes.SetLimitsY(-0.03 * top, top);
        PlotTheme.LegendOutside(counts);

        double end = Math.Max(time.Length == 0 ? 1 : time[^1], 1e-300);
        foreach (var plot in new[] { widths, drift, counts })
        {
            plot.Axes.SetLimitsX(-0.02 * end, 1.02 * end);
            // The same margins for all three, so that their time axes line up despite legends of different widths.
            plot.Layout.Fixed(new PixelPadding(left: 95, right: 270, bottom: 55, top: 35));
        }
        Figure.SavePng(path, 1200, 1200, Figure.Of(multiplot), caption);
    }

    private static Plot Panel(Plot plot, string title, string yLabel)
    {
        plot.Title(title);
        plot.XLabel("time t");
        plot.YLabel(yLabel);
        return plot;
    }

    /// <summary>A dotted reference level, a log axis spanning the finite values and the level, the legend outside.</summary>
    private static void FinishLogPanel(Plot plot, IEnumerable<double> logValues, double logLevel, FormattableString label)
    {
        var level = plot.Add.HorizontalLine(logLevel);
        level.Color = Colors.Black;
        level.LinePattern = LinePattern.Dotted;
        level.LegendText = label.ToString(CultureInfo.InvariantCulture);
        var shown = logValues.Append(logLevel).Where(double.IsFinite).ToArray();
        PlotTheme.LogAxis(plot, plot.Axes.Left, shown.Min(), shown.Max());
        PlotTheme.LegendOutside(plot);
    }

    /// <summary>The points with a finite log value (a zero drift at t = 0 has none) as one line.</summary>
    private static void AddLine(Plot plot, double[] x, double[] logY, Color color, string label, LinePattern pattern)
    {
        int[] finite = Enumerable.Range(0, x.Length).Where(i => double.IsFinite(logY[i])).ToArray();
        if (finite.Length == 0)
        {
            return;
        }
        var line = plot.Add.Scatter(finite.Select(i => x[i]).ToArray(), finite.Select(i => logY[i]).ToArray());
        line.Color = color;
        line.LinePattern = pattern;
        line.MarkerSize = 5;
        line.LegendText = label;
    }
}
