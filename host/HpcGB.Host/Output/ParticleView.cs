using System.Globalization;
using HpcGB.Engine.Analysis;
using HpcGB.Engine.Model;
using ScottPlot;

namespace HpcGB.Host.Output;

/// <summary>
/// One configuration drawn for people, shared by particles.png and the movie frames: free + particles as red upward
/// triangles, free − as blue downward triangles, each bound dipole as one short dark segment at its centre along its
/// axis (drawn at least <see cref="DipoleGlyph"/> long: a dipole of width 10⁻⁹ would be invisible), and the external
/// potential U as a faint grey background (darker = higher). 2D: the unit square; 1D: x against the sign, + above,
/// − below, dipoles in the middle row.
/// </summary>
internal static class ParticleView
{
    /// <summary>The drawn length of a dipole narrower than this (fraction of the box).</summary>
    public const double DipoleGlyph = 0.012;

    private static readonly Color Positive = Colors.Red;
    private static readonly Color Negative = Colors.Blue;
    private static readonly Color Dipole = new(0x40, 0x10, 0x60);

    /// <param name="positions">Positions[axis][i], wrapped into [0,1).</param>
    /// <param name="dipoles">The bound dipoles to draw as segments (their members get no marker).</param>
    /// <param name="external">U for the background; null or no modes: none.</param>
    public static void Draw(
        Plot plot, double[][] positions, sbyte[] signs, IReadOnlyList<DipolePair> dipoles, ExternalPotential? external, string title)
    {
        int dimension = positions.Length;
        plot.Title(title);
        if (external is { Modes.Count: > 0 })
        {
            AddBackground(plot, external, dimension);
        }
        var paired = new bool[signs.Length];
        foreach (var dipole in dipoles)
        {
            paired[dipole.Positive] = paired[dipole.Negative] = true;
        }
        double[] ys = dimension == 2 ? positions[1] : SignRows(signs);
        int markerSize = signs.Length switch { > 20000 => 2, > 2000 => 4, _ => 8 };
        AddMarkers(plot, positions[0], ys, signs, paired, +1, markerSize);
        AddMarkers(plot, positions[0], ys, signs, paired, -1, markerSize);
        if (dipoles.Count > 0)
        {
            plot.Add.Plottable(DipoleSegments(positions, dipoles));
        }
        if (dimension == 2)
        {
            plot.XLabel("x₁");
            plot.YLabel("x₂");
            plot.Axes.SetLimits(0, 1, 0, 1);
        }
        else
        {
            plot.XLabel("x (torus [0,1))");
            plot.YLabel("sign");
            plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual([1.0, 0.0, -1.0], ["+", "dipoles", "−"]);
            plot.Axes.SetLimits(0, 1, -1.6, 1.6);
        }
        // Below the data area: the square keeps its width.
        plot.ShowLegend(Edge.Bottom);
    }

    /// <summary>1D rows: each sign's particles spread deterministically by index around ±1 so coincident ones stay visible.</summary>
    private static double[] SignRows(sbyte[] signs)
    {
        double[] row = new double[signs.Length];
        for (int i = 0; i < signs.Length; i++)
        {
            row[i] = signs[i] + 0.3 * (((i * 0.6180339887498949) % 1.0) - 0.5);
        }
        return row;
    }

    private static void AddMarkers(Plot plot, double[] xs, double[] ys, sbyte[] signs, bool[] paired, int sign, int markerSize)
    {
        var x = new List<double>();
        var y = new List<double>();
        for (int i = 0; i < signs.Length; i++)
        {
            if (signs[i] == sign && !paired[i])
            {
                x.Add(xs[i]);
                y.Add(ys[i]);
            }
        }
        if (x.Count == 0)
        {
            return;
        }
        var markers = plot.Add.ScatterPoints(x.ToArray(), y.ToArray());
        markers.Color = sign > 0 ? Positive : Negative;
        markers.MarkerShape = sign > 0 ? MarkerShape.FilledTriangleUp : MarkerShape.FilledTriangleDown;
        markers.MarkerSize = markerSize;
        markers.LegendText = string.Create(CultureInfo.InvariantCulture, $"{(sign > 0 ? "+" : "−")} free ({x.Count})");
    }

    private static Segments DipoleSegments(double[][] positions, IReadOnlyList<DipolePair> dipoles)
    {
        int count = dipoles.Count;
        double[] x0 = new double[count], y0 = new double[count], x1 = new double[count], y1 = new double[count];
        for (int k = 0; k < count; k++)
        {
            var dipole = dipoles[k];
            double cx = Centre(positions[0], dipole, out double dx);
            if (positions.Length == 1)
            {
                (x0[k], x1[k], y0[k], y1[k]) = (cx, cx, -0.3, 0.3);
                continue;
            }
            double cy = Centre(positions[1], dipole, out double dy);
            double width = Math.Sqrt(dx * dx + dy * dy);
            double half = 0.5 * Math.Max(width, DipoleGlyph);
            (double ux, double uy) = width > 0 ? (dx / width, dy / width) : (1.0, 0.0);
            (x0[k], y0[k], x1[k], y1[k]) = (cx - half * ux, cy - half * uy, cx + half * ux, cy + half * uy);
        }
        return new Segments(x0, y0, x1, y1)
        {
            Color = Dipole,
            Width = count > 20000 || (positions.Length == 1 && count > 200) ? 1 : 2,
            LegendText = string.Create(CultureInfo.InvariantCulture, $"bound dipole ({count})"),
        };
    }

    /// <summary>The centre of a dipole along one axis (wrapped) and the nearest-image offset x₋ − x₊.</summary>
    private static double Centre(double[] axis, DipolePair dipole, out double offset)
    {
        double plus = axis[dipole.Positive];
        offset = Torus.Nearest(axis[dipole.Negative] - plus);
        return Torus.Wrap(plus + 0.5 * offset);
    }

    private static void AddBackground(Plot plot, ExternalPotential external, int dimension)
    {
        const int Cells = 96;
        int rows = dimension == 2 ? Cells : 2; // 1D: two equal rows (ScottPlot draws no single-row heatmap)
        var values = new double[rows, Cells];
        Span<double> point = stackalloc double[dimension];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < Cells; c++)
            {
                point[0] = (c + 0.5) / Cells;
                if (dimension == 2)
                {
                    point[1] = 1 - (r + 0.5) / Cells; // heatmap rows run from the top
                }
                values[r, c] = external.Value(point);
            }
        }
        var heatmap = plot.Add.Heatmap(values);
        heatmap.Colormap = new ScottPlot.Colormaps.GrayscaleReversed();
        heatmap.Opacity = 0.22;
        heatmap.Smooth = true;
        heatmap.Position = dimension == 2 ? new CoordinateRect(0, 1, 0, 1) : new CoordinateRect(0, 1, -1.6, 1.6);
        plot.Add.Plottable(new LegendEntry(new LegendItem
        {
            LabelText = "U (background, darker = higher)",
            FillColor = Colors.Gray.WithAlpha(0.5),
        }));
    }
}
