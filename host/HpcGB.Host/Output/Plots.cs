using System.Globalization;
using HpcGB.Engine.Analysis;
using HpcGB.Engine.Model;
using ScottPlot;

namespace HpcGB.Host.Output;

/// <summary>
/// The PNGs of a particle run: <c>energy.png</c> (energy, its distance to the final energy on a log axis, and the
/// bound dipoles against time) and <c>particles.png</c> (initial and last configuration, drawn by
/// <see cref="ParticleView"/>). Dipole views are <see cref="DipolePlots"/>.
/// </summary>
internal static class Plots
{
    /// <summary>
    /// Energy E_n(t) (top), |E_n(t) − E_n(T)| on a log axis (middle: how a relaxing run approaches its end state,
    /// invisible on the linear axis once the first drop dominates) and the number of bound dipoles (bottom).
    /// </summary>
    public static void WriteEnergy(string path, IReadOnlyList<FrameRecord> frames, string caption)
    {
        var multiplot = PlotTheme.NewMultiplot(3);
        var finite = frames.Where(f => double.IsFinite(f.Energy)).ToArray();
        double[] time = finite.Select(f => f.Time).ToArray();
        double[] energy = finite.Select(f => f.Energy).ToArray();

        var energyPlot = multiplot.GetPlot(0);
        var line = energyPlot.Add.Scatter(time, energy);
        line.MarkerSize = 6;
        energyPlot.Title("Energy");
        energyPlot.XLabel("time t");
        energyPlot.YLabel("E_n(t)");

        var relaxation = multiplot.GetPlot(1);
        DrawRelaxation(relaxation, time, energy, "E_n");

        var dipolePlot = multiplot.GetPlot(2);
        double[] counts = frames.Select(f => (double)f.BoundDipoles).ToArray();
        var dipoles = dipolePlot.Add.Scatter(frames.Select(f => f.Time).ToArray(), counts);
        dipoles.Color = Colors.DarkGreen;
        dipoles.MarkerSize = 6;
        double most = counts.Length == 0 ? 0 : counts.Max();
        dipolePlot.Title(string.Create(CultureInfo.InvariantCulture,
            $"Bound dipoles (mutual nearest ± pairs within the bound distance){(most == 0 ? ": none at any output time" : "")}"));
        dipolePlot.XLabel("time t");
        dipolePlot.YLabel("bound dipoles");
        PlotTheme.Counts(dipolePlot.Axes.Left);
        double top = Math.Max(4, most * 1.08);
        dipolePlot.Axes.SetLimitsY(-0.03 * top, top); // a count of 0 sits just above the axis, not on it

        double end = frames.Count == 0 ? 1 : Math.Max(frames[^1].Time, 1e-300);
        foreach (var plot in new[] { energyPlot, relaxation, dipolePlot })
        {
            plot.Axes.SetLimitsX(-0.02 * end, 1.02 * end);
        }
        Figure.SavePng(path, 1000, 1200, Figure.Of(multiplot), caption);
    }

    /// <summary>
    /// |E(t) − E(T)| on a log axis: how a relaxing run approaches its end state, which the linear energy axis hides
    /// once the first drop dominates. The last frame (0 by definition) is left out.
    /// </summary>
    public static void DrawRelaxation(Plot plot, double[] time, double[] energy, string symbol)
    {
        plot.Title("Approach to the final energy (log axis)");
        plot.XLabel("time t");
        plot.YLabel($"|{symbol}(t) − {symbol}(T)|");
        double[] gap = energy.Length == 0 ? [] : energy.Take(energy.Length - 1).Select(e => Math.Abs(e - energy[^1])).ToArray();
        double[] logGap = PlotTheme.Log10(gap);
        int[] shown = Enumerable.Range(0, gap.Length).Where(k => double.IsFinite(logGap[k])).ToArray();
        if (shown.Length == 0)
        {
            plot.Title("Approach to the final energy: no change to show");
            return;
        }
        var points = plot.Add.Scatter(shown.Select(k => time[k]).ToArray(), shown.Select(k => logGap[k]).ToArray());
        points.MarkerSize = 6;
        points.Color = Colors.DarkOrange;
        PlotTheme.LogAxis(plot, plot.Axes.Left, shown.Min(k => logGap[k]), shown.Max(k => logGap[k]));
    }

    /// <summary>
    /// The initial and the last configuration side by side (1D: one above the other), so that clustering and dipole
    /// formation show as a change; dipoles are those closer than <paramref name="boundDistance"/> (none when 0).
    /// </summary>
    /// <param name="initial">Positions[axis][i] at t = 0, wrapped into [0,1).</param>
    /// <param name="final">Positions[axis][i] at <paramref name="finalTime"/>, wrapped into [0,1).</param>
    public static void WriteParticles(
        string path, double[][] initial, double[][] final, double finalTime, sbyte[] signs, string caption,
        ExternalPotential? external = null, double boundDistance = 0)
    {
        int dimension = final.Length;
        var multiplot = PlotTheme.NewMultiplot(2);
        multiplot.Layout = dimension == 2
            ? new ScottPlot.MultiplotLayouts.Columns()
            : new ScottPlot.MultiplotLayouts.Rows();
        ParticleView.Draw(multiplot.GetPlot(0), initial, signs, Dipoles(initial, signs, boundDistance), external, "t = 0");
        ParticleView.Draw(multiplot.GetPlot(1), final, signs, Dipoles(final, signs, boundDistance), external,
            string.Create(CultureInfo.InvariantCulture, $"t = {finalTime:G6}"));
        if (dimension == 2)
        {
            Figure.SavePng(path, 1560, 900, Figure.Of(multiplot), caption);
        }
        else
        {
            Figure.SavePng(path, 1300, 860, Figure.Of(multiplot), caption);
        }
    }

    private static DipolePair[] Dipoles(double[][] positions, sbyte[] signs, double boundDistance) =>
        boundDistance > 0 ? DipolePairer.Pair(new ParticleState(positions, signs), boundDistance) : [];

    /// <summary>Positions[axis][i] wrapped into [0,1) (a copy).</summary>
    public static double[][] Wrap(ParticleState state) =>
        state.Positions.Select(axis => axis.Select(Torus.Wrap).ToArray()).ToArray();
}
