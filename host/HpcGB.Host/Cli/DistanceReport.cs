using HpcGB.Engine.Analysis;
using HpcGB.Engine.Analysis.Transport;
using HpcGB.Engine.Model;
using HpcGB.Engine.Spec;
using HpcGB.Host.Output;

namespace HpcGB.Host.Cli;

/// <summary>
/// One side of a comparison: which file and frame, its own δ (null without a spec) and bound distance, and its
/// dipoles with their width histogram on [0, bound distance).
/// </summary>
internal sealed record DistanceSide(
    string Path, int Frame, double Time, ParticleState State, double? Delta, double BoundDistance, DipolePair[] Dipoles, Histogram Widths);

/// <summary>
/// What <c>hpcgb distance</c> reports for two particle frames: W₂ of each sign (method chosen by size,
/// <see cref="TorusW2"/>), the bound dipoles of each side — each counted with its own run's δ — with their width
/// histograms, and the dipole-centre drift from A to B when both frames hold the same particles, against the scale
/// n²δ of docs/model.md §4 (A's δ: the dipoles followed are A's).
/// </summary>
internal sealed record DistanceReport(DistanceSide A, DistanceSide B, SignedW2 W2, DipoleDrift? Drift)
{
    /// <summary>Bins of the dipole-width histograms on [0, bound distance).</summary>
    public const int WidthBins = 10;

    /// <summary>n²δ of A, the drift scale of docs/model.md §4 (null without δ).</summary>
    public double? DriftScale => A.Delta is { } delta ? (double)A.State.Count * A.State.Count * delta : null;

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

    /// <param name="boundDistance">Overrides both sides' bound distances; null: each side's own (its spec).</param>
    public static DistanceReport Compute(
        string pathA, string pathB, int frameA, int frameB, double? boundDistance, SinkhornOptions sinkhorn, CancellationToken cancellationToken)
    {
        using var a = TrajectoryReader.Open(pathA);
        using var b = TrajectoryReader.Open(pathB);
        if (a.Dimension != b.Dimension)
        {
            throw new SpecException(pathB, $"holds a {b.Dimension}D run and {pathA} a {a.Dimension}D one");
        }
        int indexA = a.Resolve(frameA, "--frame");
        int indexB = b.Resolve(frameB, "--frame-b");
        var sideA = Side(a, indexA, boundDistance);
        var sideB = Side(b, indexB, boundDistance);
        cancellationToken.ThrowIfCancellationRequested();

        SignedW2 w2;
        try
        {
            w2 = TorusW2.PerSign(sideA.State, sideB.State, sinkhorn);
        }
        catch (ArgumentException exception)
        {
            throw new SpecException(pathB, exception.Message);
        }
        cancellationToken.ThrowIfCancellationRequested();

        bool sameParticles = sideA.State.Count == sideB.State.Count && sideA.State.Signs.AsSpan().SequenceEqual(sideB.State.Signs);
        return new DistanceReport(
            sideA,
            sideB,
            w2,
            sameParticles ? DipoleDrift.Measure(sideA.State, sideA.BoundDistance, sideB.State, sideB.BoundDistance) : null);
    }

    private static DistanceSide Side(TrajectoryReader reader, int frame, double? boundDistance)
    {
        var system = reader.Spec?.System;
        double bound = boundDistance
            ?? (system is not null ? BoundDipoles.Distance(system, reader.Count)
                : throw new SpecException("--bound-distance", $"{reader.Path} holds no spec to take the bound distance from; give the distance"));
        var state = reader.ReadFrame(frame);
        var dipoles = DipolePairer.Pair(state, bound);
        return new DistanceSide(
            reader.Path, frame, reader.Times[frame], state, system?.Delta, bound, dipoles,
            Histogram.Of(dipoles.Select(d => d.Width), 0, bound, WidthBins));
    }
}
