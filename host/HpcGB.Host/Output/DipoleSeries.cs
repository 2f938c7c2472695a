using HpcGB.Engine.Analysis;
using HpcGB.Engine.Model;

namespace HpcGB.Host.Output;

/// <summary>The bound dipoles of one output frame: their widths (quantiles) and how far the centres of the dipoles
/// of frame 0 that still hold have moved.</summary>
/// <param name="Persisting">Dipoles of frame 0 still paired to the same partner.</param>
/// <param name="Widths">Min, 10 %, 50 %, 90 % and max of |x₊ − x₋|_T over the frame's dipoles (empty: none).</param>
/// <param name="MaxDrift">max over persisting dipoles of |z(t) − z(0)|_T (0 at frame 0 or with none).</param>
internal sealed record DipoleFrame(double Time, int Dipoles, int Persisting, double[] Widths, double MaxDrift, double MeanDrift);

/// <summary>
/// Dipole statistics of a whole run, measured from trajectory.h5 one frame at a time (<see cref="BoundDipoles"/>,
/// <see cref="DipoleDrift"/>): what <c>dipoles.png</c> and <c>hpcgb dipoles</c> show. docs/model.md §4 bounds the centre
/// drift of short dipoles by C n²δ.
/// </summary>
internal sealed record DipoleSeries(int Count, double Delta, double BoundDistance, DipoleFrame[] Frames)
{
    public static readonly double[] Quantiles = [0, 0.1, 0.5, 0.9, 1];

    /// <summary>n²δ, the drift scale of docs/model.md §4.</summary>
    public double DriftScale => (double)Count * Count * Delta;

    public bool HasDipoles => Frames.Any(f => f.Dipoles > 0);

    /// <summary>Measures every reached frame of <paramref name="reader"/>; its spec gives δ and the bound distance.</summary>
    public static DipoleSeries Measure(TrajectoryReader reader, CancellationToken cancellationToken)
    {
        var system = (reader.Spec ?? throw new Engine.Spec.SpecException($"{reader.Path}:spec", "attribute missing: the dipole views need δ")).System;
        double bound = BoundDipoles.Distance(system, reader.Count);
        var frames = new DipoleFrame[reader.FramesReached];
        ParticleState? first = null;
        for (int index = 0; index < frames.Length; index++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var state = reader.ReadFrame(index);
            first ??= state;
            double[] widths = DipolePairer.Pair(state, bound).Select(d => d.Width).Order().ToArray();
            var drift = DipoleDrift.Measure(first, state, bound);
            frames[index] = new DipoleFrame(
                reader.Times[index], widths.Length, drift.Persisting,
                widths.Length == 0 ? [] : Quantiles.Select(q => Quantile(widths, q)).ToArray(),
                drift.MaxDrift, drift.MeanDrift);
        }
        return new DipoleSeries(reader.Count, system.Delta, bound, frames);
    }

    /// <summary>The q-quantile of sorted values (linear between order statistics).</summary>
    private static double Quantile(double[] sorted, double q)
    {
        double position = q * (sorted.Length - 1);
        int low = (int)Math.Floor(position);
        int high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + (position - low) * (sorted[high] - sorted[low]);
    }
}
