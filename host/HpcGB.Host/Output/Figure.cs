using ScottPlot;
using SkiaSharp;

namespace HpcGB.Host.Output;

/// <summary>
/// One rendered picture: a <see cref="Plot"/> or <see cref="Multiplot"/> below an optional one-line header (the
/// figure's caption, so that each panel keeps a short title of its own), drawn by SkiaSharp into a pixel buffer of a
/// fixed size. The same rendering serves the PNGs and the frames of a movie.
/// </summary>
internal static class Figure
{
    private const int HeaderHeight = 40;

    /// <summary>Renders and writes a PNG of <paramref name="width"/> × <paramref name="height"/> pixels.</summary>
    public static void SavePng(string path, int width, int height, Action<SKCanvas, PixelRect> render, string? header = null)
    {
        using var bitmap = Render(width, height, render, header);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        using var file = File.Create(path);
        data.SaveTo(file);
    }

    /// <summary>The figure as tightly packed RGBA bytes, row after row from the top.</summary>
    public static byte[] Rgba(int width, int height, Action<SKCanvas, PixelRect> render, string? header = null)
    {
        using var bitmap = Render(width, height, render, header);
        return bitmap.Bytes;
    }

    public static Action<SKCanvas, PixelRect> Of(Plot plot) => (canvas, rect) => plot.Render(canvas, rect);

    public static Action<SKCanvas, PixelRect> Of(Multiplot multiplot) => (canvas, rect) => multiplot.Render(canvas, rect);

    private static SKBitmap Render(int width, int height, Action<SKCanvas, PixelRect> render, string? header)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(SKColors.White);
        float top = string.IsNullOrEmpty(header) ? 0 : HeaderHeight;
        // ScottPlot lays out from the canvas origin whatever the rectangle's offset: move the origin instead.
        canvas.Save();
        canvas.Translate(0, top);
        render(canvas, new PixelRect(new PixelSize(width, height - top)));
        canvas.Restore();
        if (!string.IsNullOrEmpty(header))
        {
            // The plot clears the whole canvas (to transparent) whatever its rectangle: paint the header band after it.
            using (var background = new SKPaint { Color = SKColors.White })
            {
                canvas.DrawRect(0, 0, width, top, background);
            }
            using var typeface = SKTypeface.FromFamilyName(Fonts.Default, SKFontStyle.Bold);
            using var font = new SKFont(typeface, 20);
            using var paint = new SKPaint { Color = SKColors.Black, IsAntialias = true };
            canvas.DrawText(header, width / 2f, HeaderHeight - 12, SKTextAlign.Center, font, paint);
        }
        canvas.Flush();
        return bitmap;
    }
}
