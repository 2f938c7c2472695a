using HpcGB.Engine.Continuum;
using ScottPlot;

namespace HpcGB.Host.Output;

/// <summary>
/// Densities drawn for people, shared by densities.png and the continuum movie frames. 1D: ρ⁺ (red), ρ⁻ (blue) and
/// κ = ρ⁺ − ρ⁻ (black, dashed) against x. 2D: three maps titled ρ⁺, ρ⁻, κ with labelled colour bars; the densities
/// on Viridis, κ on the diverging Balance map centred at 0 (blue negative, white 0, red positive).
/// </summary>
internal static class ContinuumView
{
    public static double[] Kappa(double[] positive, double[] negative) => positive.Zip(negative, (p, n) => p - n).ToArray();

    /// <summary>1D densities; <paramref name="range"/> fixes the y axis (movies), null fits it.</summary>
    public static void DrawLines(Plot plot, ContinuumGrid grid, double[] positive, double[] negative, string title, ScottPlot.Range? range = null)
    {
        double[] x = Enumerable.Range(0, grid.M1).Select(i => grid.Centre(0, i)).ToArray();
        var plus = plot.Add.ScatterLine(x, positive);
        plus.Color = Colors.Red;
        plus.LineWidth = 2;
        plus.LegendText = "ρ⁺";
        var minus = plot.Add.ScatterLine(x, negative);
        minus.Color = Colors.Blue;
        minus.LineWidth = 2;
        minus.LegendText = "ρ⁻";
        var kappa = plot.Add.ScatterLine(x, Kappa(positive, negative));
        kappa.Color = Colors.Black;
        kappa.LinePattern = LinePattern.Dashed;
        kappa.LegendText = "κ = ρ⁺ − ρ⁻";
        plot.Title(title);
        plot.XLabel("x (torus [0,1))");
        plot.YLabel("density");
        plot.Axes.SetLimitsX(0, 1);
        if (range is { } r)
        {
            plot.Axes.SetLimitsY(r.Min, r.Max);
        }
        PlotTheme.LegendOutside(plot);
    }

    /// <summary>The three 2D maps into <paramref name="plots"/>[0..2]; ranges fix the colour scales (movies), null fits them.</summary>
    public static void DrawMaps(
        IReadOnlyList<Plot> plots, ContinuumGrid grid, double[] positive, double[] negative, string when,
        ScottPlot.Range? densityRange = null, double? kappaBound = null)
    {
        double[] kappa = Kappa(positive, negative);
        var densities = densityRange ?? new ScottPlot.Range(Math.Min(positive.Min(), negative.Min()), Math.Max(positive.Max(), negative.Max()));
        double bound = kappaBound ?? Math.Max(kappa.Max(k => Math.Abs(k)), 1e-300);
        DrawMap(plots[0], grid, positive, $"ρ⁺, {when}", "ρ⁺", new ScottPlot.Colormaps.Viridis(), densities);
        DrawMap(plots[1], grid, negative, $"ρ⁻, {when}", "ρ⁻", new ScottPlot.Colormaps.Viridis(), densities);
        DrawMap(plots[2], grid, kappa, $"κ = ρ⁺ − ρ⁻, {when}", "κ", new ScottPlot.Colormaps.Balance(), new ScottPlot.Range(-bound, bound));
    }

    private static void DrawMap(Plot plot, ContinuumGrid grid, double[] values, string title, string label, IColormap colormap, ScottPlot.Range range)
    {
        // Heatmap rows run along x2 from the top: row r holds x2 cell M2 − 1 − r, column i the x1 cell i.
        int m1 = grid.M1, m2 = grid.M2;
        var intensities = new double[m2, m1];
        for (int i = 0; i < m1; i++)
        {
            for (int j = 0; j < m2; j++)
            {
                intensities[m2 - 1 - j, i] = values[i * m2 + j];
            }
        }
        var heatmap = plot.Add.Heatmap(intensities);
        heatmap.Colormap = colormap;
        heatmap.ManualRange = range;
        heatmap.Position = new CoordinateRect(0, 1, 0, 1);
        var bar = plot.Add.ColorBar(heatmap);
        bar.Label = label;
        PlotTheme.Linear(bar.Axis);
        plot.Title(title);
        plot.XLabel("x₁");
        plot.YLabel("x₂");
        plot.Axes.SetLimits(0, 1, 0, 1);
    }
}
