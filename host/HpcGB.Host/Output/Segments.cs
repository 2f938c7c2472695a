using ScottPlot;
using SkiaSharp;

namespace HpcGB.Host.Output;

/// <summary>
/// Many straight segments (x0, y0) – (x1, y1) in one colour, drawn in a single Skia path: bound dipoles, of which a
/// run may hold 10⁵ and more (one ScottPlot line plottable each would be far too slow).
/// </summary>
internal sealed class Segments(double[] x0, double[] y0, double[] x1, double[] y1) : IPlottable
{
    public Color Color { get; set; } = Colors.Black;

    public float Width { get; set; } = 2;

    public string? LegendText { get; set; }

    public bool IsVisible { get; set; } = true;

    public IAxes Axes { get; set; } = new ScottPlot.Axes();

    public IEnumerable<LegendItem> LegendItems => string.IsNullOrEmpty(LegendText)
        ? []
        : [new LegendItem { LabelText = LegendText, LineColor = Color, LineWidth = Width }];

    public AxisLimits GetAxisLimits() => x0.Length == 0
        ? AxisLimits.NoLimits
        : new AxisLimits(
            Math.Min(x0.Min(), x1.Min()), Math.Max(x0.Max(), x1.Max()),
            Math.Min(y0.Min(), y1.Min()), Math.Max(y0.Max(), y1.Max()));

    public void Render(RenderPack rp)
    {
        using var path = new SKPath();
        for (int k = 0; k < x0.Length; k++)
        {
            path.MoveTo(Axes.GetPixelX(x0[k]), Axes.GetPixelY(y0[k]));
            path.LineTo(Axes.GetPixelX(x1[k]), Axes.GetPixelY(y1[k]));
        }
        using var paint = new SKPaint
        {
            Color = new SKColor(Color.R, Color.G, Color.B, Color.A),
            StrokeWidth = Width,
            IsStroke = true,
            IsAntialias = true,
            StrokeCap = SKStrokeCap.Round,
        };
        rp.Canvas.Save();
        rp.Canvas.ClipRect(new SKRect(rp.DataRect.Left, rp.DataRect.Top, rp.DataRect.Right, rp.DataRect.Bottom));
        rp.Canvas.DrawPath(path, paint);
        rp.Canvas.Restore();
    }
}
