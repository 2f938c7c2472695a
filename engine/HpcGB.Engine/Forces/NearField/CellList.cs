using System.Runtime.CompilerServices;

namespace HpcGB.Engine.Forces.NearField;

/// <summary>
/// Particles binned into m × m cells (m cells in 1D) of side 1/m ≥ r_c on the unit torus, sorted by cell each
/// evaluation (a stable counting sort) into structure-of-arrays copies, so that the pair loop streams
/// contiguous memory.
/// <para>
/// Pair coverage: two particles closer than r_c (minimum image) lie in the same or in adjacent cells
/// (periodically). For every cell c the loop visits the distinct cells of its 3 × 3 stencil (3 in 1D) with
/// index ≥ c, so every unordered pair of neighbouring cells is visited exactly once, from its lower index, also
/// when m = 1 or 2 makes the same neighbour appear several times in the stencil. Pairs use the minimum image of
/// their difference: since r_c ≤ ½, at most one image of a pair lies within r_c, so this is the only image that
/// can contribute. The visited cells of c, in index order, are merged into runs of consecutive cells, which are
/// contiguous in the sorted arrays (a run starting at c itself takes only j &gt; i); runs do not cross the end of
/// a row.
/// </para>
/// <para>
/// A slab (<see cref="ConfigureSlab"/>, one rank's part of a distributed run): x1 covers only [origin, origin + width)
/// in <c>ownedColumns</c> columns of width ≥ r_c, not periodically, plus one halo column for the particles from
/// <see cref="HaloStart"/> on (the right neighbour's particles within r_c of the slab's upper edge); x2 stays periodic.
/// The runs then join every pair of neighbouring cells except two halo cells: halo–halo pairs belong to the
/// neighbour. A halo cell's first run is empty (it has no pairs with itself).
/// </para>
/// </summary>
internal sealed class CellList
{
    /// <summary>Slack after the last particle so that a full vector load or store never leaves the arrays.</summary>
    public const int Padding = 8;

    private readonly CountingSort _sort = new();
    private long[] _work = [];

    /// <summary>Cells per axis (x2 rows in a slab).</summary>
    public int CellsPerAxis { get; private set; }

    /// <summary>The slab's x1 columns, or null on the whole torus.</summary>
    private SlabColumns? _slab;

    /// <summary>Particles from this index on go to the halo column (a slab only; n otherwise).</summary>
    public int HaloStart { get; private set; }

    public int Dimension { get; private set; }

    public int CellCount { get; private set; }

    /// <summary>Number of particles of the last <see cref="Bin"/>.</summary>
    public int Count { get; private set; }

    /// <summary>Runs of cell c are RunFirst/RunEnd[RunOffsets[c] .. RunOffsets[c + 1]); the first starts at c.</summary>
    public int[] RunOffsets { get; private set; } = [];

    /// <summary>First cell of each run.</summary>
    public int[] RunFirst { get; private set; } = [];

    /// <summary>One past the last cell of each run.</summary>
    public int[] RunEnd { get; private set; } = [];

    /// <summary>Particles of cell c are at sorted positions CellStart[c] .. CellStart[c + 1].</summary>
    public int[] CellStart { get; private set; } = [];

    /// <summary>Original index of the particle at each sorted position.</summary>
    public int[] Order { get; private set; } = [];

    /// <summary>Wrapped x1 in sorted order, followed by <see cref="Padding"/> zeros.</summary>
    public double[] X1 { get; private set; } = [];

    /// <summary>Wrapped x2 in sorted order (zeros in 1D), followed by <see cref="Padding"/> zeros.</summary>
    public double[] X2 { get; private set; } = [];

    /// <summary>Signs b_i as doubles in sorted order, followed by <see cref="Padding"/> zeros.</summary>
    public double[] Sign { get; private set; } = [];

    /// <summary>Sets the grid (rebuilding the runs only when it changes).</summary>
    public void Configure(int dimension, int cellsPerAxis)
    {
        if (dimension == Dimension && cellsPerAxis == CellsPerAxis && _slab is null)
        {
            return;
        }
        Dimension = dimension;
        CellsPerAxis = cellsPerAxis;
        _slab = null;
        int mx = cellsPerAxis, my = dimension == 2 ? cellsPerAxis : 1;
        CellCount = mx * my;
        CellStart = new int[CellCount + 1];
        BuildRuns(mx, my);
    }

    /// <summary>
    /// Sets a slab grid: x1 ∈ [<paramref name="origin"/>, origin + <paramref name="width"/>) (periodically reduced) in
    /// <paramref name="ownedColumns"/> columns of width ≥ r_c, one halo column after them, and
    /// <paramref name="rows"/> periodic rows along x2 (1 in 1D). The particles from <paramref name="haloStart"/> on are
    /// the halo.
    /// </summary>
    public void ConfigureSlab(int dimension, int ownedColumns, int rows, double origin, double width, int haloStart)
    {
        var slab = new SlabColumns(ownedColumns, origin, width);
        HaloStart = haloStart;
        if (dimension == Dimension && rows == CellsPerAxis && _slab == slab)
        {
            return;
        }
        Dimension = dimension;
        CellsPerAxis = rows;
        _slab = slab;
        int mx = ownedColumns + 1, my = dimension == 2 ? rows : 1;
        CellCount = mx * my;
        CellStart = new int[CellCount + 1];
        BuildRuns(mx, my);
    }

    /// <summary>A slab's owned columns and its x1 extent.</summary>
    private readonly record struct SlabColumns(int Columns, double Origin, double Width);

    private void BuildRuns(int mx, int my)
    {
        var offsets = new int[CellCount + 1];
        var first = new List<int>(3 * CellCount);
        var end = new List<int>(3 * CellCount);
        var neighbours = new SortedSet<int>();
        for (int c = 0; c < CellCount; c++)
        {
            int cx = c % mx, cy = c / mx;
            bool slab = _slab is not null;
            int halo = slab ? mx - 1 : -1;
            neighbours.Clear();
            for (int dy = -1; dy <= 1; dy++)
            {
                for (int dx = -1; dx <= 1; dx++)
                {
                    // A slab's columns do not wrap, and halo cells do not pair with each other.
                    if (slab && (cx + dx < 0 || cx + dx >= mx || (cx == halo && cx + dx == halo)))
                    {
                        continue;
                    }
                    int n = Wrap(cx + dx, mx) + Wrap(cy + dy, my) * mx;
                    if (n >= c)
                    {
                        neighbours.Add(n);
                    }
                }
            }
            // Merge consecutive cells of one row into runs.
            offsets[c] = first.Count;
            int last = -2;
            if (cx == halo)
            {
                // The first run is the cell's own: empty here.
                first.Add(c);
                end.Add(c);
            }
            foreach (int n in neighbours)
            {
                if (n != last + 1 || n % mx == 0)
                {
                    first.Add(n);
                    end.Add(n + 1);
                }
                else
                {
                    end[^1] = n + 1;
                }
                last = n;
            }
        }
        offsets[CellCount] = first.Count;
        RunOffsets = offsets;
        RunFirst = [.. first];
        RunEnd = [.. end];
    }

    private static int Wrap(int k, int m) => ((k % m) + m) % m;

    /// <summary>Below this many particles binning runs on one thread (the fork costs more than it saves).</summary>
    public const int ParallelThreshold = 16384;

    /// <summary>
    /// Bins and sorts the particles (positions in any image; they are wrapped into [0, 1)) with a
    /// <see cref="CountingSort"/> over <paramref name="parts"/> contiguous ranges of particles on as many threads, so
    /// the sorted order is the same for every thread count.
    /// </summary>
    public unsafe void Bin(ReadOnlySpan<double> x1, ReadOnlySpan<double> x2, ReadOnlySpan<sbyte> signs, int parts)
    {
        int n = x1.Length;
        Count = n;
        if (_slab is null)
        {
            HaloStart = n;
        }
        if (Order.Length < n)
        {
            Order = new int[n];
        }
        if (X1.Length < n + Padding)
        {
            X1 = new double[n + Padding];
            X2 = new double[n + Padding];
            Sign = new double[n + Padding];
        }
        parts = n < ParallelThreshold ? 1 : parts;

        fixed (double* p1 = x1, p2 = x2)
        fixed (sbyte* ps = signs)
        {
            double* q2 = Dimension == 2 ? p2 : null;
            CellStart[CellCount] = _sort.Sort(0, n, CellCount, parts, 0, CellStart, 0, new CellKey(this, p1, q2), new CellMove(this, p1, q2, ps));
        }
        Array.Clear(X1, n, X1.Length - n);
        Array.Clear(X2, n, X2.Length - n);
        Array.Clear(Sign, n, Sign.Length - n);
    }

    /// <summary>Runs <paramref name="body"/> for every part, on the thread pool when there are several.</summary>
    public static void ForEachPart(int parts, Action<int> body)
    {
        if (parts == 1)
        {
            body(0);
        }
        else
        {
            Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, body);
        }
    }

    /// <summary>
    /// The cell of a particle: column (by x1, or the slab's column) + row (by x2) × columns (the caller's arrays pinned
    /// for the duration of <see cref="Bin"/>; x2 null in 1D).
    /// </summary>
    private readonly unsafe struct CellKey(CellList cells, double* x1, double* x2) : ISortKey
    {
        private readonly int _m = cells.CellsPerAxis;
        private readonly int _columns = cells._slab is { } slab ? slab.Columns + 1 : cells.CellsPerAxis;
        private readonly bool _slab = cells._slab is not null;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Of(int i)
        {
            int cell = _slab ? cells.SlabColumn(x1[i], i) : CellIndex(Wrap(x1[i]), _m);
            if (x2 != null)
            {
                cell += CellIndex(Wrap(x2[i]), _m) * _columns;
            }
            return cell;
        }
    }

    /// <summary>Copies a particle's index, wrapped coordinates and sign to its sorted position.</summary>
    private readonly unsafe struct CellMove(CellList cells, double* x1, double* x2, sbyte* signs) : ISortMove
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Move(int i, int position)
        {
            cells.Order[position] = i;
            cells.X1[position] = Wrap(x1[i]);
            cells.X2[position] = x2 != null ? Wrap(x2[i]) : 0.0;
            cells.Sign[position] = signs[i];
        }
    }

    /// <summary>x − ⌊x⌋ in [0, 1) (a tiny negative x would round to 1: it goes to 0 instead).</summary>
    internal static double Wrap(double x)
    {
        double w = x - Math.Floor(x);
        return w < 1.0 ? w : 0.0;
    }

    /// <summary>The cell of a wrapped coordinate among m cells of width 1/m (the last takes a coordinate rounding to 1).</summary>
    internal static int CellIndex(double wrapped, int m) => Math.Min((int)(wrapped * m), m - 1);

    /// <summary>
    /// The slab column of particle i: the halo column from <see cref="HaloStart"/> on; otherwise x1's offset from the
    /// origin, u ∈ [0, 1) periodically, where an offset past the middle of the rest of the period is a particle a
    /// rounding below the origin (column 0).
    /// </summary>
    private int SlabColumn(double x1, int i)
    {
        var slab = _slab!.Value;
        if (i >= HaloStart)
        {
            return slab.Columns;
        }
        double u = Wrap(x1) - slab.Origin;
        u -= Math.Floor(u);
        if (u >= 0.5 * (1 + slab.Width))
        {
            return 0;
        }
        return Math.Min((int)(u / slab.Width * slab.Columns), slab.Columns - 1);
    }

    /// <summary>
    /// Splits the cells into <paramref name="parts"/> contiguous ranges of about equal work (particles × candidate
    /// partners), a pure function of the binned state: boundaries[k] .. boundaries[k + 1] is part k.
    /// </summary>
    public int[] Partition(int parts)
    {
        var boundaries = new int[parts + 1];
        long total = 0;
        if (_work.Length < CellCount)
        {
            _work = new long[CellCount];
        }
        var work = _work;
        for (int c = 0; c < CellCount; c++)
        {
            long count = CellStart[c + 1] - CellStart[c];
            long partners = 0;
            for (int r = RunOffsets[c]; r < RunOffsets[c + 1]; r++)
            {
                partners += CellStart[RunEnd[r]] - CellStart[RunFirst[r]];
            }
            work[c] = count * partners + 1;
            total += work[c];
        }
        long done = 0;
        int part = 1;
        for (int c = 0; c < CellCount && part < parts; c++)
        {
            done += work[c];
            while (part < parts && done * parts >= total * part)
            {
                boundaries[part++] = c + 1;
            }
        }
        while (part < parts)
        {
            boundaries[part++] = CellCount;
        }
        boundaries[parts] = CellCount;
        return boundaries;
    }
}
