using HpcGB.Engine.Model;

namespace HpcGB.Engine.Analysis;

/// <summary>
/// Counts bound dipoles: opposite-sign pairs at periodic (nearest-image) distance strictly below a threshold.
/// It counts <em>pairs</em>: a particle close to two of the other sign is in two pairs, so the count can
/// exceed min(n₊, n₋) in dense clusters; for well-separated short dipoles it is the number of dipoles
/// (<see cref="DipolePairer"/> pairs each particle at most once). O(n log n) for any threshold: the − particles
/// go into a <see cref="TorusCellIndex"/> and each + particle searches only its neighbouring cells.
/// </summary>
public static class DipoleCounter
{
    /// <summary>Number of pairs (i, j) with b_i = +1, b_j = −1 and |x_i − x_j|_T &lt; <paramref name="distance"/>.</summary>
    public static long CountBound(ParticleState state, double distance)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (double.IsNaN(distance))
        {
            throw new ArgumentOutOfRangeException(nameof(distance), "distance is NaN");
        }
        if (distance <= 0 || state.Count < 2)
        {
            return 0;
        }
        var wrapped = TorusCellIndex.Wrap(state.Positions);
        var negatives = Enumerable.Range(0, state.Count).Where(i => state.Signs[i] < 0).ToArray();
        var index = new TorusCellIndex(wrapped, negatives, distance);

        double limit2 = distance * distance;
        Span<(int Start, int End)> ranges = stackalloc (int, int)[9];
        long pairs = 0;
        for (int i = 0; i < state.Count; i++)
        {
            if (state.Signs[i] < 0)
            {
                continue;
            }
            int count = index.Neighbourhood(i, ranges);
            for (int r = 0; r < count; r++)
            {
                for (int k = ranges[r].Start; k < ranges[r].End; k++)
                {
                    if (index.Distance2(i, index.Members[k]) < limit2)
                    {
                        pairs++;
                    }
                }
            }
        }
        return pairs;
    }
}
