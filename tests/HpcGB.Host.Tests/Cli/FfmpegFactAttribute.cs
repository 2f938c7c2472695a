using HpcGB.Host.Output.Movies;

namespace HpcGB.Host.Tests.Cli;

/// <summary>
/// A fact that needs ffmpeg and ffprobe on PATH (Debian <c>ffmpeg</c>). Without them it is skipped with the reason —
/// except under <c>CI=true</c>, where it runs and fails, so CI cannot pass by skipping.
/// </summary>
public sealed class FfmpegFactAttribute : FactAttribute
{
    public FfmpegFactAttribute()
    {
        bool ci = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (Mp4Encoder.FindFfmpeg() is null && !ci)
        {
            Skip = "ffmpeg not found on PATH (apt-get install ffmpeg)";
        }
    }
}
