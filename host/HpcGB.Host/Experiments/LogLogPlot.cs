using HpcGB.Host.Output;
using ScottPlot;

namespace HpcGB.Host.Experiments;

/// <summary>One series of a log–log plot: points and, optionally, the fitted line drawn through them.</summary>
internal sealed record LogLogSeries(string Label, double[] X, double[] Y, LogLogFit? Fit);

/// <summary>
/// Log–log PNGs (ScottPlot): log₁₀ of both coordinates on linear axes, each series as markers and its fitted
/// power law as a dashed line with the slope in the legend.
/// </summary>
internal static class LogLogPlot
{
    private static readonly Color[] Palette =
        [Colors.Red, Colors.Blue, Colors.DarkGreen, Colors.DarkOrange, Colors.Purple, Colors.Brown, Colors.Teal, Colors.Black];

    static LogLogPlot()
    {
        if (FontStatus.HasPreferredFamily())
        {
            Fonts.Default = FontStatus.PreferredFamily;
        }
    }

    public static void Write(string path, string title, string xLabel, string yLabel, IReadOnlyList<LogLogSeries> series)
    {
        var plot = new Plot();
        for (int s = 0; s < series.Count; s++)
        {
            var item = series[s];
            var color = Palette[s % Palette.Length];
            var points = item.X.Zip(item.Y).Where(p => p.First > 0 && p.Second > 0 && double.IsFinite(p.Second)).ToArray();
            double[] lx = points.Select(p => Math.Log10(p.First)).ToArray();
            double[] ly = points.Select(p => Math.Log10(p.Second)).ToArray();
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
                line.LegendText = $"fit: slope {fit.Slope:F2}";
            }
        }
        plot.Title(title);
        plot.XLabel($"log₁₀ {xLabel}");
        plot.YLabel($"log₁₀ {yLabel}");
        plot.ShowLegend(Alignment.LowerLeft);
        plot.SavePng(path, 1100, 800);
    }
}
