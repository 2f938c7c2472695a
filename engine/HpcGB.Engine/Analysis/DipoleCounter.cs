using HpcGB.Engine.Model;

namespace HpcGB.Engine.Analysis;

/// <summary>
/// Counts bound dipoles: opposite-sign pairs at periodic (nearest-image) distance strictly below a threshold.
/// It counts <em>pairs</em>: a particle close to two of the other sign is in two pairs, so the count can
/// exceed min(n₊, n₋) in dense clusters; for well-separated short dipoles it is the number of dipoles.
/// O(n log n) for any threshold: the torus is cut into m^d cells of width 1/m ≥ distance, the − particles are
/// sorted by cell, and each + particle searches only its 3^d neighbouring cells (binary search per cell).
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
        int d = state.Dimension;
        // Cells of width 1/m ≥ distance, so a close pair lies in cells at most one apart on every axis.
        long m = distance >= 1 ? 1 : (long)Math.Min(Math.Floor(1 / distance), 1 << 30);
        var wrapped = new double[d][];
        for (int a = 0; a < d; a++)
        {
            wrapped[a] = state.Positions[a].Select(Torus.Wrap).ToArray();
        }

        // The − particles sorted by cell key (x1 cell slowest).
        var negatives = Enumerable.Range(0, state.Count).Where(i => state.Signs[i] < 0).ToArray();
        var keys = new long[negatives.Length];
        for (int k = 0; k < negatives.Length; k++)
        {
            keys[k] = Key(wrapped, negatives[k], m);
        }
        Array.Sort(keys, negatives);

        double limit2 = distance * distance;
        Span<long> cell = stackalloc long[2];
        Span<long> around = stackalloc long[6];
        long pairs = 0;
        for (int i = 0; i < state.Count; i++)
        {
            if (state.Signs[i] < 0)
            {
                continue;
            }
            for (int a = 0; a < d; a++)
            {
                cell[a] = CellOf(wrapped[a][i], m);
            }
            int count1 = Neighbours(cell[0], m, around[..3]);
            int count2 = d == 2 ? Neighbours(cell[1], m, around[3..]) : 1;
            for (int u = 0; u < count1; u++)
            {
                for (int w = 0; w < count2; w++)
                {
                    long key = d == 2 ? around[u] * m + around[3 + w] : around[u];
                    for (int k = LowerBound(keys, key); k < keys.Length && keys[k] == key; k++)
                    {
                        if (Distance2(wrapped, i, negatives[k]) < limit2)
                        {
                            pairs++;
                        }
                    }
                }
            }
        }
        return pairs;
    }

    private static long CellOf(double wrapped, long m) => Math.Min((long)(wrapped * m), m - 1);

    private static long Key(double[][] wrapped, int i, long m) =>
        wrapped.Length == 2 ? CellOf(wrapped[0][i], m) * m + CellOf(wrapped[1][i], m) : CellOf(wrapped[0][i], m);

    /// <summary>The distinct cells among c − 1, c, c + 1 (mod m); fewer than three when m &lt; 3.</summary>
    private static int Neighbours(long c, long m, Span<long> output)
    {
        int count = 0;
        for (long offset = -1; offset <= 1; offset++)
        {
            long neighbour = ((c + offset) % m + m) % m;
            if (!output[..count].Contains(neighbour))
            {
                output[count++] = neighbour;
            }
        }
        return count;
    }

    private static int LowerBound(long[] keys, long key)
    {
        int lo = 0, hi = keys.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (keys[mid] < key)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return lo;
    }

    private static double Distance2(double[][] wrapped, int i, int j)
    {
        double sum = 0;
        foreach (double[] axis in wrapped)
        {
            double r = Torus.Nearest(axis[i] - axis[j]);
            sum += r * r;
        }
        return sum;
    }
}
