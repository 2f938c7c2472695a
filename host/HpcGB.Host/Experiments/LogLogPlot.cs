using HpcGB.Host.Output;
using ScottPlot;

namespace HpcGB.Host.Experiments;

/// <summary>One series of a log–log plot: points and, optionally, the fitted line drawn through them.</summary>
internal sealed record LogLogSeries(string Label, double[] X, double[] Y, LogLogFit? Fit);

/// <summary>
/// Log–log PNGs (ScottPlot): both axes are log axes (ticks 10ᵏ, <see cref="PlotTheme.LogAxis"/>); each series as
/// markers with its fitted power law dashed and the slope in the legend; grey reference lines of the given slopes
/// (e.g. n^{−1/2}, n^{−1}) through the first point of the first series, so a rate can be read off by eye; the legend
/// outside the data area.
/// </summary>
internal static class LogLogPlot
{
    private static readonly Color[] Palette =
        [Colors.Red, Colors.Blue, Colors.DarkGreen, Colors.DarkOrange, Colors.Purple, Colors.Brown, Colors.Teal, Colors.Black];

    /// <param name="referenceSlopes">Slopes of the reference lines (none by default).</param>
    public static void Write(
        string path, string title, string xLabel, string yLabel, IReadOnlyList<LogLogSeries> series, IReadOnlyList<double>? referenceSlopes = null)
    {
        var plot = PlotTheme.NewPlot();
        var xs = new List<double>();
        var ys = new List<double>();
        for (int s = 0; s < series.Count; s++)
        {
            var item = series[s];
            var color = Palette[s % Palette.Length];
            var points = item.X.Zip(item.Y).Where(p => p.First > 0 && p.Second > 0 && double.IsFinite(p.Second)).ToArray();
            double[] lx = points.Select(p => Math.Log10(p.First)).ToArray();
            double[] ly = points.Select(p => Math.Log10(p.Second)).ToArray();
            xs.AddRange(lx);
            ys.AddRange(ly);
            var markers = plot.Add.ScatterPoints(lx, ly);
            markers.Color = color;
            markers.MarkerSize = 9;
            markers.LegendText = item.Label;
            if (item.Fit is { } fit && double.IsFinite(fit.Slope) && lx.Length >= 2)
            {
                double[] fx = [lx.Min(), lx.Max()];
                double[] fy = fx.Select(x => Math.Log10(fit.At(Math.Pow(10, x)))).ToArray();
                var line = plot.Add.ScatterLine(fx, fy);
                line.Color = color;
                line.LinePattern = LinePattern.Dashed;
                line.LegendText = $"  fit: slope {fit.Slope:F2}";
            }
        }
        if (xs.Count > 0 && referenceSlopes is { Count: > 0 })
        {
            var anchor = series.SelectMany(s => s.X.Zip(s.Y)).First(p => p.First > 0 && p.Second > 0 && double.IsFinite(p.Second));
            double x0 = Math.Log10(anchor.First), y0 = Math.Log10(anchor.Second);
            double[] span = [xs.Min(), xs.Max()];
            foreach (double slope in referenceSlopes)
            {
                var reference = plot.Add.ScatterLine(span, span.Select(x => y0 + slope * (x - x0)).ToArray());
                reference.Color = Colors.Gray;
                reference.LinePattern = LinePattern.Dotted;
                reference.LineWidth = 1.5f;
                reference.LegendText = $"reference slope {slope:0.##}";
                ys.AddRange(reference.Data.GetScatterPoints().Select(p => p.Y));
            }
        }
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        if (xs.Count > 0)
        {
            PlotTheme.LogAxis(plot, plot.Axes.Bottom, xs.Min(), xs.Max());
            PlotTheme.LogAxis(plot, plot.Axes.Left, ys.Min(), ys.Max());
        }
        PlotTheme.LegendOutside(plot);
        Figure.SavePng(path, 1400, 800, Figure.Of(plot));
    }
}
