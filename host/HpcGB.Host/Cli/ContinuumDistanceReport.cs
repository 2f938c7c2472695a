using HpcGB.Engine.Analysis;
using HpcGB.Engine.Spec;
using HpcGB.Host.Output;

namespace HpcGB.Host.Cli;

/// <summary>One common output time of a particle run and a continuum run, and their distance then.</summary>
internal sealed record ContinuumDistanceRow(double Time, int ParticleFrame, int ContinuumFrame, ParticleContinuumDistance Distance);

/// <summary>
/// What <c>hpcgb distance</c> reports for a particle run against a continuum run: at every output time the two
/// share (or one chosen particle frame), the H^{−1} distance per sign and of κ on the continuum's grid, and in 1D
/// W₂ per sign (<see cref="ParticleContinuumDistance"/>). Each run keeps its own δ; both are reported.
/// </summary>
internal sealed record ContinuumDistanceReport(
    string ParticlesPath, int Count, double? ParticlesDelta, string ContinuumPath, int[] Grid, double ContinuumDelta,
    IReadOnlyList<ContinuumDistanceRow> Rows)
{
    /// <summary>Two output times match when they differ by less than this relative to max(1, |t|).</summary>
    public const double TimeTolerance = 1e-9;

    /// <param name="particleFrame">One particle frame (negative counts back from the last); null: every common time.</param>
    public static ContinuumDistanceReport Compute(string particlesPath, string continuumPath, int? particleFrame, CancellationToken cancellationToken)
    {
        using var particles = TrajectoryReader.Open(particlesPath);
        using var fields = ContinuumReader.Open(continuumPath);
        if (particles.Dimension != fields.Grid.Dimension)
        {
            throw new SpecException(continuumPath, $"holds a {fields.Grid.Dimension}D run and {particlesPath} a {particles.Dimension}D one");
        }
        int[] frames = particleFrame is { } f
            ? [particles.Resolve(f, "--frame")]
            : Enumerable.Range(0, particles.FramesReached).ToArray();
        var rows = new List<ContinuumDistanceRow>();
        foreach (int frame in frames)
        {
            double t = particles.Times[frame];
            int match = Array.FindIndex(fields.Times, 0, fields.FramesReached, s => Math.Abs(s - t) <= TimeTolerance * Math.Max(1, Math.Abs(t)));
            if (match < 0)
            {
                if (particleFrame is not null)
                {
                    throw new SpecException("--frame", $"{continuumPath} has no frame at t = {t:G9} (its times: {string.Join(", ", fields.Times.Take(fields.FramesReached).Select(s => s.ToString("G6", System.Globalization.CultureInfo.InvariantCulture)))})");
                }
                continue;
            }
            cancellationToken.ThrowIfCancellationRequested();
            var (positive, negative) = fields.ReadFrame(match);
            ParticleContinuumDistance distance;
            try
            {
                distance = ParticleContinuumDistance.Measure(fields.Grid, particles.ReadFrame(frame), positive, negative);
            }
            catch (ArgumentException exception)
            {
                throw new SpecException(continuumPath, $"frame {match}: {exception.Message}");
            }
            rows.Add(new ContinuumDistanceRow(t, frame, match, distance));
        }
        if (rows.Count == 0)
        {
            throw new SpecException(continuumPath, $"shares no output time with {particlesPath}");
        }
        return new ContinuumDistanceReport(
            particlesPath, particles.Count, particles.Spec?.System.Delta, continuumPath, fields.Grid.Shape, fields.Spec.System.Delta, rows);
    }
}
