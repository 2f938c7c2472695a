using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing.Processors.Quantization;

namespace HpcGB.Host.Output.Movies;

/// <summary>
/// Writes a movie as an animated GIF through SixLabors.ImageSharp (no external tool), looping, each frame shown for
/// 1/fps s (GIF delays are whole centiseconds). ImageSharp encodes a whole image, so the frames are held in memory
/// (3 bytes a pixel); <see cref="MemoryBytes"/> lets the caller refuse a movie that would not fit.
/// </summary>
internal static class GifEncoder
{
    /// <summary>The memory the frames of <paramref name="movie"/> take while encoding.</summary>
    public static long MemoryBytes(IMovie movie) => 3L * movie.Width * movie.Height * movie.FrameCount;

    public static void Write(string path, IMovie movie, double framesPerSecond, CancellationToken cancellationToken)
    {
        int delay = Math.Max(1, (int)Math.Round(100 / framesPerSecond));
        Image<Rgb24>? animation = null;
        try
        {
            foreach (byte[] rgba in movie.RenderFrames(cancellationToken))
            {
                using var frame = Image.LoadPixelData<Rgba32>(rgba, movie.Width, movie.Height);
                using var rgb = frame.CloneAs<Rgb24>();
                rgb.Frames.RootFrame.Metadata.GetGifMetadata().FrameDelay = delay;
                if (animation is null)
                {
                    animation = rgb.Clone();
                    animation.Metadata.GetGifMetadata().RepeatCount = 0;
                }
                else
                {
                    animation.Frames.AddFrame(rgb.Frames.RootFrame);
                }
            }
            if (animation is null)
            {
                throw new InvalidOperationException("a movie needs at least one frame");
            }
            // Plots are flat colours and thin lines: no dithering, one palette per frame.
            var encoder = new SixLabors.ImageSharp.Formats.Gif.GifEncoder
            {
                ColorTableMode = GifColorTableMode.Local,
                Quantizer = new WuQuantizer(new QuantizerOptions { Dither = null }),
            };
            animation.SaveAsGif(path, encoder);
        }
        finally
        {
            animation?.Dispose();
        }
    }
}
