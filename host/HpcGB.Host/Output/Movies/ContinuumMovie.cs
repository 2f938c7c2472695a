using System.Globalization;
using ScottPlot;

namespace HpcGB.Host.Output.Movies;

/// <summary>
/// The frames of a continuum run (<c>continuum.h5</c>) drawn by <see cref="ContinuumView"/>: 1D ρ⁺, ρ⁻ and κ
/// against x, 2D the three maps side by side; the axes and colour scales are fixed over the whole movie (a first
/// pass over the frames finds their ranges), so that a change of colour is a change of density.
/// </summary>
internal sealed class ContinuumMovie(ContinuumReader reader, int[] frames) : IMovie
{
    public int Width => reader.Grid.Dimension == 2 ? 1800 : 1200;

    public int Height => reader.Grid.Dimension == 2 ? 620 : 600;

    public int FrameCount => frames.Length;

    public IEnumerable<byte[]> RenderFrames(CancellationToken cancellationToken)
    {
        var grid = reader.Grid;
        double low = double.PositiveInfinity, high = double.NegativeInfinity, kappaBound = 0;
        foreach (int index in frames)
        {
            var (positive, negative) = reader.ReadFrame(index);
            double[] kappa = ContinuumView.Kappa(positive, negative);
            low = Math.Min(low, Math.Min(positive.Min(), negative.Min()));
            high = Math.Max(high, Math.Max(positive.Max(), negative.Max()));
            kappaBound = Math.Max(kappaBound, kappa.Max(Math.Abs));
        }
        kappaBound = Math.Max(kappaBound, 1e-300);
        var system = reader.Spec.System;
        string caption = string.Create(CultureInfo.InvariantCulture,
            $"continuum {grid.Dimension}D {system.Kernel.ToString().ToLowerInvariant()}, {system.Mobility.ToString().ToLowerInvariant()}, " +
            $"grid {string.Join("×", grid.Shape)}, δ = {PlotTheme.Number(system.Delta)}");
        foreach (int index in frames)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (positive, negative) = reader.ReadFrame(index);
            string when = string.Create(CultureInfo.InvariantCulture,
                $"t = {PlotTheme.Number(reader.Times[index])} (frame {index + 1} of {reader.FramesReached})");
            if (grid.Dimension == 1)
            {
                var plot = PlotTheme.NewPlot();
                double margin = 0.05 * (high - Math.Min(low, -kappaBound));
                ContinuumView.DrawLines(plot, grid, positive, negative, when,
                    new ScottPlot.Range(Math.Min(0, -kappaBound) - margin, Math.Max(high, kappaBound) + margin));
                yield return Figure.Rgba(Width, Height, Figure.Of(plot), caption);
                continue;
            }
            var maps = PlotTheme.NewMultiplot(3);
            maps.Layout = new ScottPlot.MultiplotLayouts.Columns();
            ContinuumView.DrawMaps([maps.GetPlot(0), maps.GetPlot(1), maps.GetPlot(2)], grid, positive, negative, when,
                new ScottPlot.Range(low, high), kappaBound);
            yield return Figure.Rgba(Width, Height, Figure.Of(maps), caption);
        }
    }
}
