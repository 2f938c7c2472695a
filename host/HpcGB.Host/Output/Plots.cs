using HpcGB.Engine.Model;
using ScottPlot;

namespace HpcGB.Host.Output;

/// <summary>
/// The two PNGs of a run, rendered headless by ScottPlot (SkiaSharp): <c>energy.png</c> (energy and bound dipoles
/// against time, two panels) and <c>particles.png</c> (initial and last configuration; + red upward triangles,
/// − blue downward triangles).
/// </summary>
internal static class Plots
{
    private static readonly Color Positive = Colors.Red;
    private static readonly Color Negative = Colors.Blue;

    static Plots()
    {
        if (FontStatus.HasPreferredFamily())
        {
            Fonts.Default = FontStatus.PreferredFamily;
        }
    }

    /// <summary>Energy E_n(t) (top) and the number of bound dipoles (bottom) at the output times.</summary>
    public static void WriteEnergy(string path, IReadOnlyList<FrameRecord> frames, string caption)
    {
        double[] time = frames.Select(f => f.Time).ToArray();
        var multiplot = new Multiplot();
        multiplot.AddPlots(2);

        var energyPlot = multiplot.GetPlot(0);
        var finite = frames.Where(f => double.IsFinite(f.Energy)).ToArray();
        var energy = energyPlot.Add.Scatter(finite.Select(f => f.Time).ToArray(), finite.Select(f => f.Energy).ToArray());
        energy.LegendText = "energy E_n";
        energy.MarkerSize = 6;
        energyPlot.Title($"Energy — {caption}");
        energyPlot.XLabel("time t");
        energyPlot.YLabel("energy E_n");
        energyPlot.ShowLegend(Alignment.UpperRight);

        var dipolePlot = multiplot.GetPlot(1);
        var dipoles = dipolePlot.Add.Scatter(time, frames.Select(f => (double)f.BoundDipoles).ToArray());
        dipoles.LegendText = "bound dipoles";
        dipoles.Color = Colors.DarkGreen;
        dipoles.MarkerSize = 6;
        dipolePlot.Title("Bound dipoles");
        dipolePlot.XLabel("time t");
        dipolePlot.YLabel("bound dipoles");
        dipolePlot.Axes.SetLimitsY(0, Math.Max(1.0, frames.Max(f => (double)f.BoundDipoles) * 1.1));
        dipolePlot.ShowLegend(Alignment.LowerRight);

        multiplot.SavePng(path, 1000, 900);
    }

    /// <summary>
    /// The initial and the last configuration side by side (1D: one above the other), so that clustering and dipole
    /// formation show as a change: 2D scatter on the unit square, 1D positions against the sign.
    /// </summary>
    /// <param name="initial">Positions[axis][i] at t = 0, wrapped into [0,1).</param>
    /// <param name="final">Positions[axis][i] at <paramref name="finalTime"/>, wrapped into [0,1).</param>
    public static void WriteParticles(
        string path, double[][] initial, double[][] final, double finalTime, sbyte[] signs, string caption)
    {
        int dimension = final.Length;
        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        multiplot.Layout = dimension == 2
            ? new ScottPlot.MultiplotLayouts.Columns()
            : new ScottPlot.MultiplotLayouts.Rows();
        DrawConfiguration(multiplot.GetPlot(0), initial, signs, $"t = 0 — {caption}");
        DrawConfiguration(multiplot.GetPlot(1), final, signs, $"t = {finalTime:G6}");
        if (dimension == 2)
        {
            multiplot.SavePng(path, 1700, 880);
        }
        else
        {
            multiplot.SavePng(path, 1100, 800);
        }
    }

    private static void DrawConfiguration(Plot plot, double[][] positions, sbyte[] signs, string title)
    {
        int positives = signs.Count(s => s > 0);
        int negatives = signs.Length - positives;
        plot.Title(title);
        if (positions.Length == 2)
        {
            AddSigned(plot, positions[0], positions[1], signs, positives, negatives);
            plot.XLabel("x₁");
            plot.YLabel("x₂");
            plot.Axes.SetLimits(0, 1, 0, 1);
            plot.ShowLegend(Alignment.UpperRight);
            return;
        }

        // 1D: x against the sign, each sign's row spread vertically (deterministically by index) so that
        // coincident particles and dipoles stay visible.
        double[] row = new double[signs.Length];
        for (int i = 0; i < signs.Length; i++)
        {
            double spread = 0.3 * (((i * 0.6180339887498949) % 1.0) - 0.5);
            row[i] = signs[i] + spread;
        }
        AddSigned(plot, positions[0], row, signs, positives, negatives);
        plot.XLabel("x (torus [0,1))");
        plot.YLabel("sign (rows spread for visibility)");
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual([1.0, -1.0], ["+", "−"]);
        plot.Axes.SetLimits(0, 1, -1.8, 1.8);
        plot.ShowLegend(Alignment.UpperRight);
    }

    private static void AddSigned(Plot plot, double[] xs, double[] ys, sbyte[] signs, int positives, int negatives)
    {
        var (xp, yp) = Select(xs, ys, signs, +1);
        var (xm, ym) = Select(xs, ys, signs, -1);
        int markerSize = signs.Length > 2000 ? 4 : 8;
        var plus = plot.Add.ScatterPoints(xp, yp);
        plus.Color = Positive;
        plus.MarkerShape = MarkerShape.FilledTriangleUp;
        plus.MarkerSize = markerSize;
        plus.LegendText = $"+ (n⁺ = {positives})";
        var minus = plot.Add.ScatterPoints(xm, ym);
        minus.Color = Negative;
        minus.MarkerShape = MarkerShape.FilledTriangleDown;
        minus.MarkerSize = markerSize;
        minus.LegendText = $"− (n⁻ = {negatives})";
    }

    private static (double[] X, double[] Y) Select(double[] xs, double[] ys, sbyte[] signs, int sign)
    {
        var x = new List<double>();
        var y = new List<double>();
        for (int i = 0; i < signs.Length; i++)
        {
            if (signs[i] == sign)
            {
                x.Add(xs[i]);
                y.Add(ys[i]);
            }
        }
        return (x.ToArray(), y.ToArray());
    }

    /// <summary>Positions[axis][i] wrapped into [0,1) (a copy).</summary>
    public static double[][] Wrap(ParticleState state) =>
        state.Positions.Select(axis => axis.Select(Torus.Wrap).ToArray()).ToArray();
}
