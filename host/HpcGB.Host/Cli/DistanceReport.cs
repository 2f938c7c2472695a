using HpcGB.Engine.Analysis;
using HpcGB.Engine.Analysis.Transport;
using HpcGB.Engine.Model;
using HpcGB.Engine.Spec;
using HpcGB.Host.Output;

namespace HpcGB.Host.Cli;

/// <summary>One side of a comparison: which file and frame, and its dipoles.</summary>
internal sealed record DistanceSide(string Path, int Frame, double Time, ParticleState State, DipolePair[] Dipoles, Histogram Widths);

/// <summary>
/// What <c>hpcgb distance</c> reports: W₂ of each sign between two frames (method chosen by size,
/// <see cref="TorusW2"/>), the bound dipoles of each side with their width histograms, and the dipole-centre drift
/// from A to B when both frames hold the same particles, against the scale n²δ of docs/model.md §4.
/// </summary>
internal sealed record DistanceReport(
    DistanceSide A,
    DistanceSide B,
    SignedW2 W2,
    double BoundDistance,
    double? Delta,
    DipoleDrift? Drift)
{
    /// <summary>Bins of the dipole-width histograms on [0, bound distance).</summary>
    public const int WidthBins = 10;

    /// <summary>n²δ, the drift scale of docs/model.md §4 (null without δ).</summary>
    public double? DriftScale => Delta is { } delta ? (double)A.State.Count * A.State.Count * delta : null;

    /// <summary>ε ln min(n_A, n_B) for an entropic result of the given sign (how far value² may exceed W₂²), else null.</summary>
    public double? GapBound(int sign)
    {
        var result = sign > 0 ? W2.Positive : W2.Negative;
        if (result?.Epsilon is not { } epsilon)
        {
            return null;
        }
        int count = Math.Min(A.State.Signs.Count(s => s == sign), B.State.Signs.Count(s => s == sign));
        return epsilon * Math.Log(count);
    }

    public static DistanceReport Compute(
        string pathA, string pathB, int frameA, int frameB, double? boundDistance, SinkhornOptions sinkhorn, CancellationToken cancellationToken)
    {
        using var a = TrajectoryReader.Open(pathA);
        using var b = TrajectoryReader.Open(pathB);
        if (a.Dimension != b.Dimension)
        {
            throw new SpecException(pathB, $"holds a {b.Dimension}D run and {pathA} a {a.Dimension}D one");
        }
        var system = SystemOf(a);
        double? delta = system?.Delta;
        double bound = boundDistance
            ?? (system is not null ? BoundDipoles.Distance(system, a.Count)
                : throw new SpecException("--bound-distance", $"{pathA} holds no spec to take the bound distance from; give the distance"));
        int indexA = a.Resolve(frameA, "--frame");
        int indexB = b.Resolve(frameB, "--frame-b");
        var stateA = a.ReadFrame(indexA);
        var stateB = b.ReadFrame(indexB);
        cancellationToken.ThrowIfCancellationRequested();

        SignedW2 w2;
        try
        {
            w2 = TorusW2.PerSign(stateA, stateB, sinkhorn);
        }
        catch (ArgumentException exception)
        {
            throw new SpecException(pathB, exception.Message);
        }
        cancellationToken.ThrowIfCancellationRequested();

        bool sameParticles = stateA.Count == stateB.Count && stateA.Signs.AsSpan().SequenceEqual(stateB.Signs);
        return new DistanceReport(
            Side(pathA, indexA, a.Times[indexA], stateA, bound),
            Side(pathB, indexB, b.Times[indexB], stateB, bound),
            w2,
            bound,
            delta,
            sameParticles ? DipoleDrift.Measure(stateA, stateB, bound) : null);
    }

    private static DistanceSide Side(string path, int frame, double time, ParticleState state, double bound)
    {
        var dipoles = DipolePairer.Pair(state, bound);
        return new DistanceSide(path, frame, time, state, dipoles, Histogram.Of(dipoles.Select(d => d.Width), 0, bound, WidthBins));
    }

    /// <summary>The system of the run's spec attribute; null when the file has none.</summary>
    private static SystemModel? SystemOf(TrajectoryReader reader) => reader.Spec?.System;
}
