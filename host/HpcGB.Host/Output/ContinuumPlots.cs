using HpcGB.Engine.Continuum;
using ScottPlot;

namespace HpcGB.Host.Output;

/// <summary>
/// The PNGs of a continuum run: <c>densities.png</c> (first and last frame drawn by <see cref="ContinuumView"/>;
/// 1D one above the other, 2D maps with the first frame above, the last below) and <c>observables.png</c> (energy
/// and entropy against time).
/// </summary>
internal static class ContinuumPlots
{
    public static void WriteDensities(string path, ContinuumGrid grid, ContinuumFrame first, ContinuumFrame last, string caption)
    {
        string When(ContinuumFrame frame) => $"t = {PlotTheme.Number(frame.Observables.Time)}";
        if (grid.Dimension == 1)
        {
            var multiplot = PlotTheme.NewMultiplot(2);
            multiplot.Layout = new ScottPlot.MultiplotLayouts.Rows();
            ContinuumView.DrawLines(multiplot.GetPlot(0), grid, first.Positive, first.Negative, When(first));
            ContinuumView.DrawLines(multiplot.GetPlot(1), grid, last.Positive, last.Negative, When(last));
            Figure.SavePng(path, 1100, 900, Figure.Of(multiplot), caption);
            return;
        }
        var maps = PlotTheme.NewMultiplot(6);
        maps.Layout = new ScottPlot.MultiplotLayouts.Grid(2, 3);
        ContinuumView.DrawMaps([maps.GetPlot(0), maps.GetPlot(1), maps.GetPlot(2)], grid, first.Positive, first.Negative, When(first));
        ContinuumView.DrawMaps([maps.GetPlot(3), maps.GetPlot(4), maps.GetPlot(5)], grid, last.Positive, last.Negative, When(last));
        Figure.SavePng(path, 1800, 1150, Figure.Of(maps), caption);
    }

    public static void WriteObservables(string path, IReadOnlyList<ContinuumFrame> frames, string caption)
    {
        double[] time = frames.Select(f => f.Observables.Time).ToArray();
        double[] energies = frames.Select(f => f.Observables.Energy).ToArray();
        var multiplot = PlotTheme.NewMultiplot(3);
        var energyPlot = multiplot.GetPlot(0);
        var energy = energyPlot.Add.Scatter(time, energies);
        energy.MarkerSize = 6;
        energyPlot.Title("Energy E_δ(ρ)");
        energyPlot.XLabel("time t");
        energyPlot.YLabel("E_δ(ρ)");
        Plots.DrawRelaxation(multiplot.GetPlot(1), time, energies, "E_δ");
        var entropyPlot = multiplot.GetPlot(2);
        var entropy = entropyPlot.Add.Scatter(time, frames.Select(f => f.Observables.Entropy).ToArray());
        entropy.Color = Colors.DarkGreen;
        entropy.MarkerSize = 6;
        entropyPlot.Title("Entropy ∫ρ⁺ log ρ⁺ + ∫ρ⁻ log ρ⁻");
        entropyPlot.XLabel("time t");
        entropyPlot.YLabel("Ent(ρ)");
        double end = time.Length == 0 ? 1 : Math.Max(time[^1], 1e-300);
        for (int p = 0; p < 3; p++)
        {
            multiplot.GetPlot(p).Axes.SetLimitsX(-0.02 * end, 1.02 * end);
        }
        Figure.SavePng(path, 1000, 1200, Figure.Of(multiplot), caption);
    }
}
