using HpcGB.Engine.Model;

namespace HpcGB.Engine.Analysis;

/// <summary>
/// Pairs bound dipoles one to one: a + particle and a − particle form a dipole when each is the other's nearest
/// particle of the opposite sign and they are closer than the bound distance (<see cref="BoundDipoles"/>, the
/// definition every output uses). Every particle is in at most one dipole. Nearest neighbours come from two <see cref="TorusCellIndex"/> searches: O(n log n); ties go to the lower
/// index, so the result is deterministic.
/// </summary>
public static class DipolePairer
{
    /// <summary>The dipoles of <paramref name="state"/> closer than <paramref name="distance"/>, ordered by the + index.</summary>
    public static DipolePair[] Pair(ParticleState state, double distance)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (double.IsNaN(distance))
        {
            throw new ArgumentOutOfRangeException(nameof(distance), "distance is NaN");
        }
        if (distance <= 0 || state.Count < 2)
        {
            return [];
        }
        var wrapped = TorusCellIndex.Wrap(state.Positions);
        var positives = Enumerable.Range(0, state.Count).Where(i => state.Signs[i] > 0).ToArray();
        var negatives = Enumerable.Range(0, state.Count).Where(i => state.Signs[i] < 0).ToArray();
        var positiveIndex = new TorusCellIndex(wrapped, positives, distance);
        var negativeIndex = new TorusCellIndex(wrapped, negatives, distance);
        double limit2 = distance * distance;

        var pairs = new List<DipolePair>();
        foreach (int plus in positives)
        {
            var (minus, distance2) = Nearest(negativeIndex, plus, limit2);
            if (minus >= 0 && Nearest(positiveIndex, minus, limit2).Index == plus)
            {
                pairs.Add(new DipolePair(plus, minus, Math.Sqrt(distance2)));
            }
        }
        return pairs.ToArray();
    }

    /// <summary>The member nearest to particle i with squared distance below <paramref name="limit2"/>, or −1.</summary>
    private static (int Index, double Distance2) Nearest(TorusCellIndex index, int i, double limit2)
    {
        Span<(int Start, int End)> ranges = stackalloc (int, int)[9];
        int count = index.Neighbourhood(i, ranges);
        int best = -1;
        double best2 = limit2;
        for (int r = 0; r < count; r++)
        {
            for (int k = ranges[r].Start; k < ranges[r].End; k++)
            {
                int j = index.Members[k];
                double d2 = index.Distance2(i, j);
                if (d2 < best2 || (d2 == best2 && best >= 0 && j < best))
                {
                    best = j;
                    best2 = d2;
                }
            }
        }
        return (best, best2);
    }
}
