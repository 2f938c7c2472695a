using HpcGB.Engine.Model;

namespace HpcGB.Engine.Analysis;

/// <summary>
/// A cell index of a subset of particles for fixed-radius searches on the unit torus: the torus is cut into m^d cells
/// of width 1/m ≥ radius, the members are sorted by cell key (x1 cell slowest), and a query visits only the 3^d cells
/// around its own (fewer when m &lt; 3, each cell once), finding each cell's run of members by binary search.
/// Any point within the radius of the query lies in those cells. O(k log k) to build for k members.
/// </summary>
internal sealed class TorusCellIndex
{
    private readonly double[][] _wrapped;
    private readonly long _m;
    private readonly long[] _keys;

    /// <param name="wrapped">Coordinates <c>[axis][i]</c> already wrapped into [0,1).</param>
    /// <param name="members">The particle indices to index.</param>
    /// <param name="radius">The search radius (&gt; 0).</param>
    public TorusCellIndex(double[][] wrapped, int[] members, double radius)
    {
        _wrapped = wrapped;
        _m = radius >= 1 ? 1 : (long)Math.Min(Math.Floor(1 / radius), 1 << 30);
        Members = (int[])members.Clone();
        _keys = new long[Members.Length];
        for (int k = 0; k < Members.Length; k++)
        {
            _keys[k] = Key(Members[k]);
        }
        Array.Sort(_keys, Members);
    }

    /// <summary>The members sorted by cell; <see cref="Neighbourhood"/> returns ranges of this array.</summary>
    public int[] Members { get; }

    /// <summary>
    /// Writes into <paramref name="ranges"/> (room for 9) the [start, end) ranges of <see cref="Members"/> lying in the
    /// cells around particle <paramref name="i"/>'s cell; returns how many.
    /// </summary>
    public int Neighbourhood(int i, Span<(int Start, int End)> ranges)
    {
        int d = _wrapped.Length;
        Span<long> around = stackalloc long[6];
        int count1 = Neighbours(CellOf(_wrapped[0][i]), around[..3]);
        int count2 = d == 2 ? Neighbours(CellOf(_wrapped[1][i]), around[3..]) : 1;
        int count = 0;
        for (int u = 0; u < count1; u++)
        {
            for (int w = 0; w < count2; w++)
            {
                long key = d == 2 ? around[u] * _m + around[3 + w] : around[u];
                int start = LowerBound(key);
                int end = start;
                while (end < _keys.Length && _keys[end] == key)
                {
                    end++;
                }
                if (end > start)
                {
                    ranges[count++] = (start, end);
                }
            }
        }
        return count;
    }

    /// <summary>|x_i − x_j|²_T on the wrapped coordinates.</summary>
    public double Distance2(int i, int j)
    {
        double sum = 0;
        foreach (double[] axis in _wrapped)
        {
            double r = Torus.Nearest(axis[i] - axis[j]);
            sum += r * r;
        }
        return sum;
    }

    /// <summary>Every coordinate of <paramref name="positions"/> wrapped into [0,1).</summary>
    public static double[][] Wrap(double[][] positions) =>
        positions.Select(axis => axis.Select(Torus.Wrap).ToArray()).ToArray();

    private long CellOf(double wrapped) => Math.Min((long)(wrapped * _m), _m - 1);

    private long Key(int i) =>
        _wrapped.Length == 2 ? CellOf(_wrapped[0][i]) * _m + CellOf(_wrapped[1][i]) : CellOf(_wrapped[0][i]);

    /// <summary>The distinct cells among c − 1, c, c + 1 (mod m); fewer than three when m &lt; 3.</summary>
    private int Neighbours(long c, Span<long> output)
    {
        int count = 0;
        for (long offset = -1; offset <= 1; offset++)
        {
            long neighbour = ((c + offset) % _m + _m) % _m;
            if (!output[..count].Contains(neighbour))
            {
                output[count++] = neighbour;
            }
        }
        return count;
    }

    private int LowerBound(long key)
    {
        int lo = 0, hi = _keys.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_keys[mid] < key)
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
}
