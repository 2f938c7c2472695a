using FFMpegCore;
using FFMpegCore.Enums;
using FFMpegCore.Pipes;

namespace HpcGB.Host.Output.Movies;

/// <summary>
/// Writes a movie as H.264 MP4 by piping raw RGBA frames into ffmpeg through FFMpegCore: frames stream one at a time,
/// so memory does not grow with their number. ffmpeg must be on PATH (<see cref="FindFfmpeg"/>).
/// </summary>
internal static class Mp4Encoder
{
    /// <summary>The ffmpeg executable on PATH, or null.</summary>
    public static string? FindFfmpeg()
    {
        string name = OperatingSystem.IsWindows() ? "ffmpeg.exe" : "ffmpeg";
        foreach (string folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(folder, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    /// <param name="ffmpeg">The ffmpeg executable (<see cref="FindFfmpeg"/>).</param>
    public static void Write(string path, IMovie movie, double framesPerSecond, string ffmpeg, CancellationToken cancellationToken)
    {
        var source = new RawVideoPipeSource(movie.RenderFrames(cancellationToken).Select(rgba => new RgbaFrame(movie.Width, movie.Height, rgba)))
        {
            FrameRate = framesPerSecond,
        };
        try
        {
            FFMpegArguments
                .FromPipeInput(source)
                .OutputToFile(path, overwrite: true, options => options
                    .WithVideoCodec(VideoCodec.LibX264)
                    .WithCustomArgument("-pix_fmt yuv420p")
                    .WithConstantRateFactor(20)
                    .WithFastStart())
                .Configure(options => options.BinaryFolder = Path.GetDirectoryName(ffmpeg)!)
                .CancellableThrough(cancellationToken)
                .ProcessSynchronously();
        }
        catch (Exception exception) when (exception is FFMpegCore.Exceptions.FFMpegException or Instances.Exceptions.InstanceFileNotFoundException)
        {
            throw new IOException($"ffmpeg failed to write {path}: {exception.Message.Split('\n')[0]}", exception);
        }
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>One raw frame for ffmpeg's rawvideo demuxer.</summary>
    private sealed class RgbaFrame(int width, int height, byte[] rgba) : IVideoFrame
    {
        public int Width => width;

        public int Height => height;

        public string Format => "rgba";

        public string PixelFormat => "rgba";

        public void Serialize(Stream pipe) => pipe.Write(rgba);

        public Task SerializeAsync(Stream pipe, CancellationToken token) => pipe.WriteAsync(rgba, token).AsTask();
    }
}
