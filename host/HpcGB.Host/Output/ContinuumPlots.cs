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
        string When(ContinuumFrame frame) => $"t = {PlotStyle.Number(frame.Observables.Time)}";
        if (grid.Dimension == 1)
        {
            var multiplot = PlotStyle.NewMultiplot(2);
            multiplot.Layout = new ScottPlot.MultiplotLayouts.Rows();
            ContinuumView.DrawLines(multiplot.GetPlot(0), grid, first.Positive, first.Negative, When(first));
            ContinuumView.DrawLines(multiplot.GetPlot(1), grid, last.Positive, last.Negative, When(last));
            Figure.SavePng(path, 1100, 900, Figure.Of(multiplot), caption);
            return;
        }
        var maps = PlotStyle.NewMultiplot(6);
        maps.Layout = new ScottPlot.MultiplotLayouts.Grid(2, 3);
        ContinuumView.DrawMaps([maps.GetPlot(0), maps.GetPlot(1), maps.GetPlot(2)], grid, first.Positive, first.Negative, When(first));
        ContinuumView.DrawMaps([maps.GetPlot(3), maps.GetPlot(4), maps.GetPlot(5)], grid, last.Positive, last.Negative, When(last));
        Figure.SavePng(path, 1800, 1150, Figure.Of(maps), caption);
    }

    public static void WriteObservables(string path, IReadOnlyList<ContinuumFrame> frames, string caption)
    {
        double[] time = frames.Select(f => f.Observables.Time).ToArray();
        var multiplot = PlotStyle.NewMultiplot(2);
        var energyPlot = multiplot.GetPlot(0);
        var energy = energyPlot.Add.Scatter(time, frames.Select(f => f.Observables.Energy).ToArray());
        energy.MarkerSize = 6;
        energyPlot.Title("Energy E_δ(ρ)");
        energyPlot.XLabel("time t");
        energyPlot.YLabel("E_δ(ρ)");
        var entropyPlot = multiplot.GetPlot(1);
        var entropy = entropyPlot.Add.Scatter(time, frames.Select(f => f.Observables.Entropy).ToArray());
        entropy.Color = Colors.DarkGreen;
        entropy.MarkerSize = 6;
        entropyPlot.Title("Entropy ∫ρ⁺ log ρ⁺ + ∫ρ⁻ log ρ⁻");
        entropyPlot.XLabel("time t");
        entropyPlot.YLabel("Ent(ρ)");
        Figure.SavePng(path, 1000, 900, Figure.Of(multiplot), caption);
    }
}
