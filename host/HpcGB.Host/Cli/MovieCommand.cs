using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using HpcGB.Engine.Spec;
using HpcGB.Host.Output;
using HpcGB.Host.Output.Movies;

namespace HpcGB.Host.Cli;

/// <summary>
/// <c>hpcgb movie RUN [--out FILE.mp4|FILE.gif] [--fps F] [--every K]</c>: an animation of a run directory (or its
/// trajectory.h5 / continuum.h5): particles with signs, bound dipoles and U, or the continuum densities; the time in
/// every frame. MP4 needs ffmpeg on PATH; GIF is written without it.
/// </summary>
internal static class MovieCommand
{
    /// <summary>The most memory a GIF may hold while encoding (its frames stay in memory).</summary>
    public const long GifMemoryLimit = 4L << 30;

    public static Command Create(CliConsole console)
    {
        var run = new Argument<string>("run") { Description = "A run directory (holding trajectory.h5 or continuum.h5) or one of those files" };
        var output = new Option<string?>("--out", "-o") { Description = "The movie: FILE.mp4 (needs ffmpeg) or FILE.gif (default: RUN/movie.mp4)" };
        var fps = new Option<double>("--fps") { Description = "Frames per second (default 8)", DefaultValueFactory = _ => 8.0 };
        fps.Validators.Add(result =>
        {
            double value = result.GetValueOrDefault<double>();
            if (!(value > 0 && value <= 100))
            {
                result.AddError($"--fps must be in (0, 100], got {value.ToString(CultureInfo.InvariantCulture)}");
            }
        });
        var every = new Option<int>("--every") { Description = "Use every K-th output frame (default 1: all)", DefaultValueFactory = _ => 1 };
        every.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
            {
                result.AddError("--every must be at least 1");
            }
        });
        var command = new Command("movie", "Animate a run: particles (signs, bound dipoles, U) or continuum densities, as MP4 or GIF")
        {
            run,
            output,
            fps,
            every,
        };
        command.SetAction((parseResult, cancellationToken) => CommandAction.Run(console, parseResult, cancellationToken, ct =>
            Execute(console, parseResult.GetValue(run)!, parseResult.GetValue(output), parseResult.GetValue(fps), parseResult.GetValue(every),
                Mp4Encoder.FindFfmpeg, ct)));
        return command;
    }

    /// <param name="findFfmpeg">Where ffmpeg is (null: not installed); tests pass their own.</param>
    internal static int Execute(
        CliConsole console, string runPath, string? outputPath, double fps, int every, Func<string?> findFfmpeg, CancellationToken ct)
    {
        string input = RunFile.Locate(runPath);
        string output = outputPath ?? Path.Combine(Directory.Exists(runPath) ? runPath : Path.GetDirectoryName(Path.GetFullPath(runPath))!, "movie.mp4");
        string extension = Path.GetExtension(output).ToLowerInvariant();
        if (extension is not (".mp4" or ".gif"))
        {
            throw new SpecException("--out", $"the movie must be a .mp4 or .gif file, got '{output}'");
        }
        string? ffmpeg = null;
        if (extension == ".mp4" && (ffmpeg = findFfmpeg()) is null)
        {
            console.Error.WriteLine("error: ffmpeg not found on PATH: MP4 needs it (Debian: apt-get install ffmpeg); or write a GIF with --out FILE.gif");
            return ExitCodes.RuntimeFailure;
        }

        var clock = Stopwatch.StartNew();
        bool continuum = RunFile.IsContinuum(input);
        using IDisposable reader = continuum ? ContinuumReader.Open(input) : TrajectoryReader.Open(input);
        int reached = reader is ContinuumReader c ? c.FramesReached : ((TrajectoryReader)reader).FramesReached;
        if (reached == 0)
        {
            throw new SpecException(input, "holds no frames");
        }
        int[] frames = Enumerable.Range(0, reached).Where(i => i % every == 0).ToArray();
        IMovie movie = reader is ContinuumReader fields ? new ContinuumMovie(fields, frames) : new ParticleMovie((TrajectoryReader)reader, frames);
        if (extension == ".gif" && GifEncoder.MemoryBytes(movie) > GifMemoryLimit)
        {
            throw new SpecException("--out", string.Create(CultureInfo.InvariantCulture,
                $"a GIF of {frames.Length} frames of {movie.Width}×{movie.Height} holds {GifEncoder.MemoryBytes(movie) / (double)(1L << 30):F1} GiB while encoding; use --every K or an .mp4"));
        }

        string? folder = Path.GetDirectoryName(Path.GetFullPath(output));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }
        if (extension == ".gif")
        {
            GifEncoder.Write(output, movie, fps, ct);
        }
        else
        {
            Mp4Encoder.Write(output, movie, fps, ffmpeg!, ct);
        }
        console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"movie: {Path.GetFullPath(output)}  ({frames.Length} frames of {movie.Width}×{movie.Height} at {fps:G4} fps, {clock.Elapsed.TotalSeconds:F1} s)"));
        return ExitCodes.Success;
    }
}
