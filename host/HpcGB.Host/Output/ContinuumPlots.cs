using HpcGB.Engine.Continuum;
using ScottPlot;

namespace HpcGB.Host.Output;

/// <summary>
/// The PNGs of a continuum run: <c>densities.png</c> (1D: ρ⁺, ρ⁻ and κ against x at the first and last frame;
/// 2D: maps of ρ⁺, ρ⁻ and κ, first frame above, last below) and <c>observables.png</c> (energy and entropy
/// against time).
/// </summary>
internal static class ContinuumPlots
{
    static ContinuumPlots()
    {
        if (FontStatus.HasPreferredFamily())
        {
            Fonts.Default = FontStatus.PreferredFamily;
        }
    }

    public static void WriteDensities(string path, ContinuumGrid grid, ContinuumFrame first, ContinuumFrame last, string caption)
    {
        if (grid.Dimension == 1)
        {
            var multiplot = new Multiplot();
            multiplot.AddPlots(2);
            multiplot.Layout = new ScottPlot.MultiplotLayouts.Rows();
            DrawLines(multiplot.GetPlot(0), grid, first, $"t = 0 — {caption}");
            DrawLines(multiplot.GetPlot(1), grid, last, $"t = {last.Observables.Time:G6}");
            multiplot.SavePng(path, 1100, 900);
            return;
        }
        var maps = new Multiplot();
        maps.AddPlots(6);
        maps.Layout = new ScottPlot.MultiplotLayouts.Grid(2, 3);
        int index = 0;
        foreach (var frame in new[] { first, last })
        {
            double[] kappa = frame.Positive.Zip(frame.Negative, (p, n) => p - n).ToArray();
            string when = $"t = {frame.Observables.Time:G6}";
            DrawMap(maps.GetPlot(index++), grid, frame.Positive, $"ρ⁺, {when}", new ScottPlot.Colormaps.Viridis());
            DrawMap(maps.GetPlot(index++), grid, frame.Negative, $"ρ⁻, {when}", new ScottPlot.Colormaps.Viridis());
            DrawMap(maps.GetPlot(index++), grid, kappa, $"κ = ρ⁺ − ρ⁻, {when}", new ScottPlot.Colormaps.MellowRainbow());
        }
        maps.GetPlot(0).Title($"ρ⁺, t = 0 — {caption}");
        maps.SavePng(path, 1800, 1150);
    }

    public static void WriteObservables(string path, IReadOnlyList<ContinuumFrame> frames, string caption)
    {
        double[] time = frames.Select(f => f.Observables.Time).ToArray();
        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        var energyPlot = multiplot.GetPlot(0);
        var energy = energyPlot.Add.Scatter(time, frames.Select(f => f.Observables.Energy).ToArray());
        energy.LegendText = "energy E_δ(ρ)";
        energyPlot.Title($"Energy — {caption}");
        energyPlot.XLabel("time t");
        energyPlot.YLabel("E_δ(ρ)");
        energyPlot.ShowLegend(Alignment.UpperRight);
        var entropyPlot = multiplot.GetPlot(1);
        var entropy = entropyPlot.Add.Scatter(time, frames.Select(f => f.Observables.Entropy).ToArray());
        entropy.LegendText = "entropy ∫ρ⁺log ρ⁺ + ∫ρ⁻log ρ⁻";
        entropy.Color = Colors.DarkGreen;
        entropyPlot.Title("Entropy");
        entropyPlot.XLabel("time t");
        entropyPlot.YLabel("Ent(ρ)");
        entropyPlot.ShowLegend(Alignment.LowerRight);
        multiplot.SavePng(path, 1000, 900);
    }

    private static void DrawLines(Plot plot, ContinuumGrid grid, ContinuumFrame frame, string title)
    {
        double[] x = Enumerable.Range(0, grid.M1).Select(i => grid.Centre(0, i)).ToArray();
        var plus = plot.Add.ScatterLine(x, frame.Positive);
        plus.Color = Colors.Red;
        plus.LegendText = "ρ⁺";
        var minus = plot.Add.ScatterLine(x, frame.Negative);
        minus.Color = Colors.Blue;
        minus.LegendText = "ρ⁻";
        var kappa = plot.Add.ScatterLine(x, frame.Positive.Zip(frame.Negative, (p, n) => p - n).ToArray());
        kappa.Color = Colors.Black;
        kappa.LinePattern = LinePattern.Dashed;
        kappa.LegendText = "κ = ρ⁺ − ρ⁻";
        plot.Title(title);
        plot.XLabel("x (torus [0,1))");
        plot.YLabel("density");
        plot.Axes.SetLimitsX(0, 1);
        plot.ShowLegend(Alignment.UpperRight);
    }

    private static void DrawMap(Plot plot, ContinuumGrid grid, double[] values, string title, IColormap colormap)
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
        heatmap.Position = new CoordinateRect(0, 1, 0, 1);
        plot.Add.ColorBar(heatmap);
        plot.Title(title);
        plot.XLabel("x₁");
        plot.YLabel("x₂");
        plot.Axes.SetLimits(0, 1, 0, 1);
    }
}
