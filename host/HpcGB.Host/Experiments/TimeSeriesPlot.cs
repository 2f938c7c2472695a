using System.Globalization;
using HpcGB.Host.Output;
using ScottPlot;

namespace HpcGB.Host.Experiments;

/// <summary>
/// The distance over time, one panel per case and one colour per n on a log axis: solid d(t), dashed the resolved
/// distance d_δ(t), dotted how far the PDE moves (sup_t, the distance particles that stood still would reach). Shows
/// whether the particles follow the PDE over the whole run or only start close to it.
/// </summary>
internal static class TimeSeriesPlot
{
    public static void Write(string path, string title, IReadOnlyList<(string Label, IReadOnlyList<ComparisonRow> Rows)> cases)
    {
        var multiplot = PlotTheme.NewMultiplot(cases.Count);
        for (int c = 0; c < cases.Count; c++)
        {
            var (label, rows) = cases[c];
            var plot = multiplot.GetPlot(c);
            plot.Title(label);
            plot.XLabel("time t");
            plot.YLabel("H⁻¹ distance");
            var shown = new List<double>();
            for (int r = 0; r < rows.Count; r++)
            {
                var row = rows[r];
                var color = Shade(r, rows.Count);
                shown.AddRange(Add(plot, row.Times, row.Distances, color, LinePattern.Solid,
                    string.Create(CultureInfo.InvariantCulture, $"n = {row.N}")));
                if (row.ResolvedDistances is { } resolved)
                {
                    shown.AddRange(Add(plot, row.Times, resolved, color, LinePattern.Dashed, null));
                }
            }
            if (rows.Count > 0)
            {
                double motion = Math.Log10(rows.Max(r => r.PdeMotion));
                var line = plot.Add.HorizontalLine(motion);
                line.Color = Colors.Black;
                line.LinePattern = LinePattern.Dotted;
                line.LegendText = "PDE motion";
                shown.Add(motion);
            }
            if (shown.Count > 0)
            {
                PlotTheme.LogAxis(plot, plot.Axes.Left, shown.Min(), shown.Max());
            }
            double end = rows.Count == 0 ? 1 : rows[0].Times[^1];
            plot.Axes.SetLimitsX(-0.02 * end, 1.02 * end);
            plot.Layout.Fixed(new PixelPadding(left: 95, right: 150, bottom: 55, top: 35));
            PlotTheme.LegendOutside(plot);
        }
        Figure.SavePng(path, 1200, 380 * cases.Count + 40, Figure.Of(multiplot), title);
    }

    /// <summary>The positive points as one line (log₁₀ values); returns them for the axis range.</summary>
    private static double[] Add(Plot plot, double[] t, double[] values, Color color, LinePattern pattern, string? label)
    {
        int[] keep = Enumerable.Range(0, t.Length).Where(k => values[k] > 0 && double.IsFinite(values[k])).ToArray();
        double[] y = keep.Select(k => Math.Log10(values[k])).ToArray();
        if (keep.Length == 0)
        {
            return [];
        }
        var line = plot.Add.Scatter(keep.Select(k => t[k]).ToArray(), y);
        line.Color = color;
        line.LinePattern = pattern;
        line.MarkerSize = label is null ? 0 : 5;
        line.LineWidth = 2;
        if (label is not null)
        {
            line.LegendText = label;
        }
        return y;
    }

    /// <summary>Smallest n blue through to largest n red (Turbo).</summary>
    private static Color Shade(int index, int count)
    {
        var map = new ScottPlot.Colormaps.Turbo();
        return map.GetColor(count <= 1 ? 0.1 : 0.1 + 0.8 * index / (count - 1.0));
    }
}
