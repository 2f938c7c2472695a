using System.Diagnostics;
using System.Globalization;
using HpcGB.Engine.Model;
using HpcGB.Engine.Spec;
using HpcGB.Host.Cli;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace HpcGB.Host.Tests.Cli;

/// <summary><c>hpcgb movie</c> on runs written by <c>hpcgb run</c>: files exist with one frame per output frame used.</summary>
public sealed class MovieCommandTests : IClassFixture<CliHarness>
{
    private const string Continuum1D = """
        { "model": "continuum", "dimension": 1, "kernel": "log",
          "external": { "modes": [ { "k": [1], "sin": 0.08 } ] },
          "grid": [32],
          "densities": { "positive": { "mean": 1, "modes": [ { "k": [1], "cos": 0.4 } ] },
                         "negative": { "mean": 1, "modes": [ { "k": [2], "sin": 0.4 } ] } },
          "time": { "end": 0.1, "outputs": 4 } }
        """;

    private readonly CliHarness _harness;

    public MovieCommandTests(CliHarness harness) => _harness = harness;

    [Fact]
    public void GifOfA2DRunHasOneFramePerOutput()
    {
        // Two tight dipoles and two free particles: the frames draw dipole segments, markers and U.
        var spec = CliHarness.Tiny2D() with
        {
            System = CliHarness.Tiny2D().System with { External = new ExternalPotential([new FourierMode([1, 0], 0.1, 0.0)], [0.0, 0.0]) },
            Particles = new ExplicitParticles([[0.2, 0.2], [0.2 + 0.01, 0.2], [0.7, 0.6], [0.7, 0.6 + 0.02], [0.4, 0.8], [0.9, 0.1]], [1, -1, 1, -1, 1, -1]),
            Time = CliHarness.Tiny2D().Time with { Outputs = 5 },
        };
        string run = Run("gif2d", spec);
        string gif = Path.Combine(run, "anim.gif");

        var result = CliHarness.Run("movie", run, "--out", gif, "--fps", "5");

        Assert.True(result.ExitCode == ExitCodes.Success, result.Stderr);
        Assert.Contains("5 frames", result.Stdout);
        using var image = Image.Load<Rgba32>(gif);
        Assert.Equal(5, image.Frames.Count);
        Assert.Equal(20, image.Frames.RootFrame.Metadata.GetGifMetadata().FrameDelay);
        // Not a blank picture: the plot draws red + markers.
        Assert.True(CountReddish(image) > 10);
    }

    [Fact]
    public void EveryKthFrameOfA1DRun()
    {
        string run = Run("every1d", CliHarness.Tiny1D() with { Time = CliHarness.Tiny1D().Time with { Outputs = 5 } });
        string gif = Path.Combine(run, "every.gif");

        var result = CliHarness.Run("movie", Path.Combine(run, "trajectory.h5"), "--out", gif, "--every", "2");

        Assert.True(result.ExitCode == ExitCodes.Success, result.Stderr);
        using var image = Image.Load<Rgba32>(gif);
        Assert.Equal(3, image.Frames.Count); // frames 0, 2, 4
    }

    [Fact]
    public void GifOfAContinuumRunHasOneFramePerOutput()
    {
        string run = _harness.PathOf("continuum-movie");
        Assert.Equal(ExitCodes.Success, CliHarness.Run("run", _harness.WriteText("c1d.json", Continuum1D), "--out", run).ExitCode);
        string gif = Path.Combine(run, "densities.gif");

        var result = CliHarness.Run("movie", run, "--out", gif);

        Assert.True(result.ExitCode == ExitCodes.Success, result.Stderr);
        using var image = Image.Load<Rgba32>(gif);
        Assert.Equal(4, image.Frames.Count);
    }

    [FfmpegFact]
    public void Mp4HasOneFramePerOutputByFfprobe()
    {
        string run = Run("mp4", CliHarness.Tiny2D() with { Time = CliHarness.Tiny2D().Time with { Outputs = 7 } });

        var result = CliHarness.Run("movie", run);

        Assert.True(result.ExitCode == ExitCodes.Success, result.Stderr);
        string mp4 = Path.Combine(run, "movie.mp4");
        Assert.Equal(7, FfprobeFrames(mp4));
    }

    [Fact]
    public void Mp4WithoutFfmpegIsOneLineAndExitOne()
    {
        string run = Run("noffmpeg", CliHarness.Tiny1D());
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        int code = MovieCommand.Execute(CliConsole.Captured(stdout, stderr), run, null, 8, 1, () => null, CancellationToken.None);

        Assert.Equal(ExitCodes.RuntimeFailure, code);
        string error = stderr.ToString().Trim();
        Assert.DoesNotContain('\n', error);
        Assert.StartsWith("error: ffmpeg not found on PATH", error);
        Assert.Contains("--out FILE.gif", error);
        Assert.False(File.Exists(Path.Combine(run, "movie.mp4")));
    }

    [Theory]
    [InlineData("movie.avi", "--out")]
    [InlineData(null, "no such run directory")]
    public void BadInputExitsTwoNamingTheCause(string? output, string expected)
    {
        string run = output is null ? _harness.PathOf("missing-run") : Run("bad-" + output, CliHarness.Tiny1D());
        string[] args = output is null ? ["movie", run] : ["movie", run, "--out", Path.Combine(run, output)];

        var result = CliHarness.Run(args);

        Assert.Equal(ExitCodes.InvalidInput, result.ExitCode);
        Assert.Contains(expected, result.Stderr);
    }

    private string Run(string name, SimulationSpec spec)
    {
        string run = _harness.PathOf(name);
        var result = CliHarness.Run("run", _harness.WriteSpec(name + ".json", spec), "--out", run);
        Assert.True(result.ExitCode == ExitCodes.Success, result.Stderr);
        return run;
    }

    private static int CountReddish(Image<Rgba32> image)
    {
        int count = 0;
        image.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < rows.Height; y++)
            {
                foreach (var pixel in rows.GetRowSpan(y))
                {
                    count += pixel is { R: > 200, G: < 60, B: < 60 } ? 1 : 0;
                }
            }
        });
        return count;
    }

    private static int FfprobeFrames(string path)
    {
        using var probe = Process.Start(new ProcessStartInfo("ffprobe",
            ["-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", path])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        string output = probe.StandardOutput.ReadToEnd();
        probe.WaitForExit();
        Assert.True(probe.ExitCode == 0, probe.StandardError.ReadToEnd());
        return int.Parse(output.Trim(), CultureInfo.InvariantCulture);
    }
}
