using System.Globalization;
using HpcGB.Engine.Analysis;
using HpcGB.Engine.Model;
using HpcGB.Engine.Simulation;
using HpcGB.Engine.Spec;

namespace HpcGB.Host.Output.Movies;

/// <summary>
/// The frames of a particle run (<c>trajectory.h5</c>), each drawn by <see cref="ParticleView"/>: signs by colour
/// and shape, bound dipoles (<see cref="BoundDipoles"/>) as segments, U as
/// a faint background, the time in the title. Positions are read one frame at a time.
/// </summary>
internal sealed class ParticleMovie(TrajectoryReader reader, int[] frames) : IMovie
{
    private readonly SimulationSpec? _spec = reader.Spec;

    public int Width => reader.Dimension == 2 ? 860 : 1200;

    public int Height => reader.Dimension == 2 ? 960 : 600;

    public int FrameCount => frames.Length;

    public IEnumerable<byte[]> RenderFrames(CancellationToken cancellationToken)
    {
        double boundDistance = _spec is null ? 0 : BoundDipoles.Distance(_spec.System, reader.Count);
        string caption = Caption();
        foreach (int index in frames)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var state = reader.ReadFrame(index);
            var dipoles = boundDistance > 0 ? DipolePairer.Pair(state, boundDistance) : [];
            var plot = PlotTheme.NewPlot();
            string title = string.Create(CultureInfo.InvariantCulture,
                $"t = {PlotTheme.Number(reader.Times[index])}   (frame {index + 1} of {reader.FramesReached})");
            ParticleView.Draw(plot, state.Positions, state.Signs, dipoles, _spec?.System.External, title);
            yield return Figure.Rgba(Width, Height, Figure.Of(plot), caption);
        }
    }

    private string Caption()
    {
        if (_spec is null)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{reader.Dimension}D, n = {reader.Count}");
        }
        var system = _spec.System;
        return string.Create(CultureInfo.InvariantCulture,
            $"{system.Dimension}D {system.Kernel.ToString().ToLowerInvariant()}, {system.Mobility.ToString().ToLowerInvariant()}, " +
            $"n = {reader.Count}, δ = {PlotTheme.Number(system.Delta)}");
    }
}
