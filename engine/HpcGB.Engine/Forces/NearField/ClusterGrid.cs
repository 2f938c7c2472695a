using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace HpcGB.Engine.Forces.NearField;

/// <summary>
/// The 2D near field's cluster layout (after GROMACS' nbnxm): particles sorted into columns along x1 and, inside each
/// column, by rows along x2; each column padded to a multiple of <see cref="Size"/> and cut into clusters of
/// <see cref="Size"/> consecutive particles (about square: columns are √(Size/n) wide). Every cluster has a bounding
/// box, and every cluster I a list of the clusters J ≥ I whose boxes come closer than r_c (minimum image), so each
/// unordered cluster pair is listed once, from its lower index, and the pair loop (<see cref="ClusterPairLoop{TOp}"/>)
/// runs i × J over whole vectors of J, without packing or scattered writes.
/// <para>
/// Padding slots are dummies: sign 0, original index −1, coordinates <see cref="PaddingCoordinate"/> (finite, so that
/// every operator gives exactly 0 there, and so far off the torus that a direct difference with them is beyond every
/// cut-off; a rounded difference is not, and the pair loop masks them there).
/// The sort is a stable counting sort over (column, row) cells (by column, then by row inside each column), parallel
/// with the same result for every thread count; the lists are built per chunk of clusters (a pure function of the sorted state),
/// one chunk per stripe of columns (<see cref="ClusterStripes"/>), the pair loop's unit of work.
/// </para>
/// <para>
/// Why a pair is never missed: the box distance per axis, |Δc| − (h_I + h_J) with Δc the minimum-image difference of
/// the centres, is at most the minimum-image distance of any two of their particles (triangle inequality on the
/// circle), and a margin covers rounding. Columns and rows only narrow the search; the box test decides.
/// </para>
/// <para>
/// Lists under a skin (<see cref="Build"/> with a half skin s, <see cref="Refresh"/>): every box is widened by s, so it
/// holds its particles as long as none has moved farther than s; the lists, built for r_c on the widened boxes, then
/// hold every pair within r_c, and their direct entries stay direct. The pair loop tests a particle against a box
/// widened by the largest displacement since the build instead.
/// </para>
/// </summary>
internal sealed class ClusterGrid
{
    /// <summary>Particles per cluster: the widest SIMD width (the narrower paths take a cluster in several vectors).</summary>
    public const int Size = 8;

    /// <summary>Box distances are shortened by this much, so that rounding can never drop a pair within r_c.</summary>
    public const double Margin = 1e-12;

    /// <summary>Both coordinates of a padding slot.</summary>
    public const double PaddingCoordinate = 1e3;

    private readonly CountingSort _columnSort = new();
    private CountingSort[] _rowSorts = [];
    private int[] _columnBegin = [];
    private ColumnSlot[] _byColumn = [];
    private int[] _cellStart = [];
    private int[] _columnStart = [];
    private ClusterChunk[] _chunks = [];
    private double[] _largestHalf = [];
    private int _widestColumn; // clusters in the longest column
    private double[] _built1 = []; // X1 and X2 as the last build with a skin saw them
    private double[] _built2 = [];
    // Refresh's per-part largest squared move, its part body (made once, so that an evaluation on a kept list
    // allocates nothing) and the caller's positions, pinned while it runs.
    private double[] _moved = [];
    private readonly Action<int> _movePart;
    private unsafe double* _moving1, _moving2;

    public unsafe ClusterGrid() => _movePart = part => _moved[part] = Move(_moving1, _moving2, part, _moved.Length);

    /// <summary>Columns along x1.</summary>
    public int Columns { get; private set; }

    /// <summary>Rows along x2 (the sort key inside a column; several per cluster height).</summary>
    public int Rows { get; private set; }

    /// <summary>Number of particles of the last <see cref="Bin"/>.</summary>
    public int Count { get; private set; }

    /// <summary>Sorted positions, padding included (a multiple of <see cref="Size"/>).</summary>
    public int PaddedCount { get; private set; }

    public int ClusterCount => PaddedCount / Size;

    /// <summary>Original index of the particle at each sorted position, −1 for a padding slot.</summary>
    public int[] Order { get; private set; } = [];

    /// <summary>Wrapped x1 in sorted order (<see cref="PaddingCoordinate"/> in padding slots).</summary>
    public double[] X1 { get; private set; } = [];

    /// <summary>Wrapped x2 in sorted order (<see cref="PaddingCoordinate"/> in padding slots).</summary>
    public double[] X2 { get; private set; } = [];

    /// <summary>Signs b_i as doubles in sorted order (0 in padding slots).</summary>
    public double[] Sign { get; private set; } = [];

    /// <summary>Whether the list build tests four boxes at a time (same lists; false: one at a time, for the tests).</summary>
    internal bool VectorScan { get; set; } = Vector256.IsHardwareAccelerated;

    /// <summary>Bounding box of each cluster: centre and half width per axis (widened by <see cref="HalfSkin"/>).</summary>
    public double[] Center1 { get; private set; } = [];

    public double[] Half1 { get; private set; } = [];

    public double[] Center2 { get; private set; } = [];

    public double[] Half2 { get; private set; } = [];

    /// <summary>The pair lists, in chunks of consecutive i-clusters: chunk k holds the clusters of stripe k.</summary>
    public ReadOnlySpan<ClusterChunk> Chunks => _chunks;

    /// <summary>The stripes of columns the pair loop runs in two phases (<see cref="ClusterStripes"/>), from the last <see cref="Build"/>.</summary>
    public ClusterStripes? Stripes { get; private set; }

    /// <summary>The first sorted position of column <paramref name="column"/> (<see cref="PaddedCount"/> for <see cref="Columns"/>).</summary>
    public int ColumnStart(int column) => _columnStart[column];

    /// <summary>One past the last particle of column <paramref name="column"/> (its padding slots follow, up to the next column's start).</summary>
    public int ParticleEnd(int column) => _columnStart[column] + _columnBegin[column + 1] - _columnBegin[column];

    /// <summary>
    /// Half the skin of the last <see cref="Build"/>: every box's half width was widened by it, so the lists hold every
    /// pair that can come within r_c while no particle has moved farther than this from where the build saw it.
    /// </summary>
    public double HalfSkin { get; private set; }

    /// <summary>
    /// The largest distance a particle has moved since the last <see cref="Build"/> (0 after it; set by
    /// <see cref="Refresh"/>): the pair loop tests a particle against a box of half width h + this (the build's box,
    /// which holds h + <see cref="HalfSkin"/>, less the part of the skin not used).
    /// </summary>
    public double Displacement { get; private set; }

    /// <summary>
    /// Sorts the particles (positions in any image) into the layout and builds the pair lists for cut-off
    /// <paramref name="cutoff"/> (≤ ½), with <paramref name="parts"/> threads; with a <paramref name="halfSkin"/>
    /// &gt; 0, lists that stay valid while <see cref="Refresh"/> finds no particle moved farther than it.
    /// </summary>
    public void Build(ReadOnlySpan<double> x1, ReadOnlySpan<double> x2, ReadOnlySpan<sbyte> signs, double cutoff, int parts,
        double halfSkin = 0.0)
    {
        int n = x1.Length;
        parts = n < CellList.ParallelThreshold ? 1 : parts;
        Configure(n, parts);
        HalfSkin = halfSkin;
        Displacement = 0.0;
        Bin(x1, x2, signs, parts);
        if (halfSkin > 0.0)
        {
            _built1 = _built1.Length < PaddedCount ? new double[X1.Length] : _built1;
            _built2 = _built2.Length < PaddedCount ? new double[X2.Length] : _built2;
            Array.Copy(X1, _built1, PaddedCount);
            Array.Copy(X2, _built2, PaddedCount);
        }
        // Where r_c + 4 max h < ½, an entry within reach whose centre difference needs no rounding is direct (its
        // particle differences are at most r_c + 2(h_I + h_J) per axis), a cheaper test than the exact bound.
        bool roundedIsDirect = cutoff + 4 * _largestHalf.AsSpan(0, parts).ToArray().Max() + 2 * Margin < 0.5;
        // One chunk per stripe of columns, even where the build runs serially (small n), so that a thread that
        // finished the mesh shares the pair loop.
        int reach = Reach(cutoff);
        if (Stripes is null || Stripes.Columns != Columns || Stripes.Reach != reach)
        {
            Stripes = new ClusterStripes(Columns, reach);
        }
        int chunks = Stripes.Count;
        if (_chunks.Length != chunks)
        {
            _chunks = new ClusterChunk[chunks];
            for (int k = 0; k < chunks; k++)
            {
                _chunks[k] = new ClusterChunk();
            }
        }
        var chunkArray = _chunks;
        CellList.ForEachPart(parts, part =>
        {
            for (int k = part; k < chunkArray.Length; k += parts)
            {
                BuildList(chunkArray[k], _columnStart[Stripes.FirstColumn(k)] / Size, _columnStart[Stripes.FirstColumn(k + 1)] / Size,
                    cutoff, reach, roundedIsDirect);
            }
        });
    }

    /// <summary>
    /// Takes the particles' new positions (any image; the same particles and signs as the last <see cref="Build"/>,
    /// which had a skin) into the layout, each as the image nearest where the build saw it, so that the lists' direct
    /// entries stay their own minimum images; false, leaving the layout to be built again, where a particle moved
    /// farther than <see cref="HalfSkin"/> (its list may miss a pair within r_c).
    /// </summary>
    public bool Refresh(ReadOnlySpan<double> x1, ReadOnlySpan<double> x2, int parts)
    {
        if (HalfSkin <= 0.0 || x1.Length != Count)
        {
            return false;
        }
        parts = Count < CellList.ParallelThreshold ? 1 : parts;
        if (_moved.Length != parts)
        {
            _moved = new double[parts];
        }
        unsafe
        {
            fixed (double* p1 = x1, p2 = x2)
            {
                _moving1 = p1;
                _moving2 = p2;
                CellList.ForEachPart(parts, _movePart);
                _moving1 = _moving2 = null;
            }
        }
        double moved = Math.Sqrt(_moved.Max());
        if (!(moved <= HalfSkin))
        {
            return false;
        }
        Displacement = moved;
        return true;
    }

    /// <summary>Moves the part's share of the slots to their new positions; returns the largest squared distance moved.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private unsafe double Move(double* x1, double* x2, int part, int parts)
    {
        int begin = (int)((long)PaddedCount * part / parts), end = (int)((long)PaddedCount * (part + 1) / parts);
        double largest = 0.0;
        for (int p = begin; p < end; p++)
        {
            int i = Order[p];
            if (i < 0)
            {
                continue;
            }
            // The caller's coordinate as it stands unless that image is a period away (crossed the edge since).
            X1[p] = x1[i] - Math.Round(x1[i] - _built1[p]);
            X2[p] = x2[i] - Math.Round(x2[i] - _built2[p]);
            double d1 = X1[p] - _built1[p], d2 = X2[p] - _built2[p];
            largest = Math.Max(largest, d1 * d1 + d2 * d2);
        }
        return largest;
    }

    /// <summary>Columns about as wide as a cluster is tall; rows of about two particles per cell.</summary>
    private void Configure(int n, int parts)
    {
        int columns = (int)Math.Max(1, Math.Round(Math.Sqrt(n / (double)Size)));
        int rows = Math.Max(1, (int)Math.Ceiling(n / (2.0 * columns)));
        if (columns != Columns || rows != Rows)
        {
            Columns = columns;
            Rows = rows;
            _cellStart = new int[columns * rows + 1];
            _columnStart = new int[columns + 1];
            _columnBegin = new int[columns + 1];
        }
        if (_largestHalf.Length != parts)
        {
            _largestHalf = new double[parts];
        }
        if (_rowSorts.Length != parts)
        {
            _rowSorts = new CountingSort[parts];
            for (int k = 0; k < parts; k++)
            {
                _rowSorts[k] = new CountingSort();
            }
        }
        if (_byColumn.Length < n)
        {
            _byColumn = new ColumnSlot[n];
        }
        // At most Size − 1 padding slots per column.
        int capacity = n + Size * columns;
        if (Order.Length < capacity)
        {
            Order = new int[capacity];
            X1 = new double[capacity];
            X2 = new double[capacity];
            Sign = new double[capacity];
            // One vector of spare boxes, which the list build's last vector reads but masks out.
            int clusters = capacity / Size + Vector256<double>.Count;
            Center1 = new double[clusters];
            Half1 = new double[clusters];
            Center2 = new double[clusters];
            Half2 = new double[clusters];
        }
        Count = n;
    }

    /// <summary>
    /// Stable counting sort by (column, row) in two passes of <see cref="CountingSort"/>, so that every scattered write
    /// stays in cache: by column (a few hundred streams of one record each, in parallel over ranges of particles), then
    /// each column by row (in parallel over columns; a column's rows and slots fit in L2), with the boxes of its clusters
    /// while its slots are in cache. Columns are padded with dummies to whole clusters.
    /// </summary>
    private unsafe void Bin(ReadOnlySpan<double> x1, ReadOnlySpan<double> x2, ReadOnlySpan<sbyte> signs, int parts)
    {
        int n = x1.Length;
        fixed (double* p1 = x1, p2 = x2)
        fixed (sbyte* ps = signs)
        {
            _columnBegin[Columns] = _columnSort.Sort(0, n, Columns, parts, 0, _columnBegin, 0, new ColumnKey(p1, Columns),
                new ColumnMove(this, p1, p2, ps));
        }

        // Each column's padded start, rounded up to whole clusters.
        int padded = 0;
        _widestColumn = 0;
        for (int column = 0; column < Columns; column++)
        {
            _columnStart[column] = padded;
            int clusters = (_columnBegin[column + 1] - _columnBegin[column] + Size - 1) / Size;
            _widestColumn = Math.Max(_widestColumn, clusters);
            padded += clusters * Size;
        }
        _columnStart[Columns] = padded;
        _cellStart[Columns * Rows] = padded;
        PaddedCount = padded;
        CellList.ForEachPart(parts, k => SortColumns(k, parts));
    }

    /// <summary>Sorts the part's share of the columns by row into their padded slots, sets the cell starts and the boxes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void SortColumns(int part, int parts)
    {
        var sort = _rowSorts[part];
        int first = (int)((long)Columns * part / parts), last = (int)((long)Columns * (part + 1) / parts);
        double largest = 0.0;
        for (int column = first; column < last; column++)
        {
            int end = sort.Sort(_columnBegin[column], _columnBegin[column + 1], Rows, 1, _columnStart[column], _cellStart,
                column * Rows, new RowKey(_byColumn, Rows), new RowMove(this));
            for (int p = end; p < _columnStart[column + 1]; p++)
            {
                Order[p] = -1;
                X1[p] = X2[p] = PaddingCoordinate;
                Sign[p] = 0.0;
            }
            largest = Math.Max(largest, Boxes(_columnStart[column], end));
        }
        _largestHalf[part] = largest;
    }

    /// <summary>The column of a particle (the caller's x1 pinned for the duration of <see cref="Bin"/>).</summary>
    private readonly unsafe struct ColumnKey(double* x1, int columns) : ISortKey
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Of(int i) => CellList.CellIndex(CellList.Wrap(x1[i]), columns);
    }

    /// <summary>Copies a particle's index, wrapped coordinates and sign to its position in column order.</summary>
    private readonly unsafe struct ColumnMove(ClusterGrid grid, double* x1, double* x2, sbyte* signs) : ISortMove
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Move(int i, int position)
        {
            ref var slot = ref grid._byColumn[position];
            slot.X1 = CellList.Wrap(x1[i]);
            slot.X2 = CellList.Wrap(x2[i]);
            slot.Index = i;
            slot.Sign = signs[i];
        }
    }

    /// <summary>The row of a particle in column order (by its wrapped x2).</summary>
    private readonly struct RowKey(ColumnSlot[] byColumn, int rows) : ISortKey
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Of(int p) => CellList.CellIndex(byColumn[p].X2, rows);
    }

    /// <summary>A particle in column order: one record, so that the column pass's scatter writes one stream per column.</summary>
    private struct ColumnSlot
    {
        public double X1;
        public double X2;
        public int Index;
        public int Sign;
    }

    /// <summary>Copies a particle from column order to its slot in the layout.</summary>
    private readonly struct RowMove(ClusterGrid grid) : ISortMove
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Move(int p, int position)
        {
            ref var slot = ref grid._byColumn[p];
            grid.Order[position] = slot.Index;
            grid.X1[position] = slot.X1;
            grid.X2[position] = slot.X2;
            grid.Sign[position] = slot.Sign;
        }
    }

    /// <summary>
    /// Bounding boxes of the clusters of one column (its particles in slots [<paramref name="begin"/>, <paramref name="end"/>),
    /// then padding; every cluster has at least one particle), while the column's slots are in cache; returns their
    /// largest half width.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private double Boxes(int begin, int end)
    {
        double largest = 0.0;
        for (int first = begin; first < end; first += Size)
        {
            int last = Math.Min(first + Size, end);
            double lo1, hi1, lo2, hi2;
            if (last - first == Size && Vector256.IsHardwareAccelerated)
            {
                // A whole cluster: the extremes of two vectors per axis (wrapped coordinates have no NaN and no −0, so
                // the native minimum and maximum equal Math.Min and Math.Max).
                (lo1, hi1) = Extremes(X1, first);
                (lo2, hi2) = Extremes(X2, first);
            }
            else
            {
                lo1 = lo2 = double.PositiveInfinity;
                hi1 = hi2 = double.NegativeInfinity;
                for (int p = first; p < last; p++)
                {
                    lo1 = Math.Min(lo1, X1[p]);
                    hi1 = Math.Max(hi1, X1[p]);
                    lo2 = Math.Min(lo2, X2[p]);
                    hi2 = Math.Max(hi2, X2[p]);
                }
            }
            int c = first / Size;
            Center1[c] = 0.5 * (lo1 + hi1);
            Half1[c] = 0.5 * (hi1 - lo1) + HalfSkin;
            Center2[c] = 0.5 * (lo2 + hi2);
            Half2[c] = 0.5 * (hi2 - lo2) + HalfSkin;
            largest = Math.Max(largest, Math.Max(Half1[c], Half2[c]));
        }
        return largest;
    }

    /// <summary>The smallest and largest of the <see cref="Size"/> values from <paramref name="first"/> on.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (double Lo, double Hi) Extremes(double[] values, int first)
    {
        ref double start = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(values), first);
        var a = Vector256.LoadUnsafe(ref start);
        var b = Vector256.LoadUnsafe(ref start, (nuint)Vector256<double>.Count);
        var lo = Vector256.MinNative(a, b);
        var hi = Vector256.MaxNative(a, b);
        var lo2 = Vector128.MinNative(lo.GetLower(), lo.GetUpper());
        var hi2 = Vector128.MaxNative(hi.GetLower(), hi.GetUpper());
        return (Math.Min(lo2.GetElement(0), lo2.GetElement(1)), Math.Max(hi2.GetElement(0), hi2.GetElement(1)));
    }

    /// <summary>The lists of clusters [first, end): for each I the J ≥ I in the reachable columns and rows whose boxes come within r_c.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void BuildList(ClusterChunk chunk, int first, int end, double cutoff, int reach, bool roundedIsDirect)
    {
        chunk.Reset(first, end);
        // Room for the lists of uniform particles at once (half the clusters whose boxes, of side a = √(Size/n), come
        // within r_c: n/2Size·(πr_c² + 8a r_c + 4a²), and the padding): growing them by doubling in the first
        // evaluation of a process copied and first-touched several times their size.
        // The columns and rows hold the particles where the build saw them, the boxes reach half the skin beyond.
        double within = cutoff + 2 * HalfSkin;
        double side = Math.Sqrt(Size / (double)Math.Max(Count, 1));
        double perRow = Math.Min(0.5 * ClusterCount * (Math.PI * within * within + 8 * side * within + 4 * side * side), ClusterCount) + Size / 2;
        chunk.ReserveDirect((int)Math.Min((end - first) * perRow, int.MaxValue / 2));
        double rc2 = cutoff * cutoff;
        bool allColumns = 2 * reach + 1 >= Columns;
        int column = 0;
        for (int i = first; i < end; i++)
        {
            while (_columnStart[column + 1] <= i * Size)
            {
                column++;
            }
            double c1 = Center1[i], h1 = Half1[i], c2 = Center2[i], h2 = Half2[i];
            // Rows within reach (one more on each side for rounding), as at most two ranges on the circle.
            int rowLo = (int)Math.Floor((c2 - h2 - within) * Rows) - 1, rowHi = (int)Math.Floor((c2 + h2 + within) * Rows) + 1;
            bool allRows = rowHi - rowLo + 1 >= Rows;
            int lo = Modulo(rowLo, Rows), hi = Modulo(rowHi, Rows);
            int firstColumn = allColumns ? 0 : column - reach, lastColumn = allColumns ? Columns - 1 : column + reach;
            // Room for every cluster of the columns within reach (a column's ranges never overlap), once per row.
            chunk.Reserve((lastColumn - firstColumn + 1) * _widestColumn);
            for (int d = firstColumn; d <= lastColumn; d++)
            {
                if (d >= 0 & d < column)
                {
                    // A column left of I's (not across the edge) holds only clusters below I.
                    continue;
                }
                // d is within one period of [0, Columns): no division (a hot loop: 2·reach + 1 columns per cluster).
                int other = d < 0 ? d + Columns : d >= Columns ? d - Columns : d;
                if (allRows)
                {
                    Scan(chunk, i, ClusterOf(other, 0), ClusterEnd(other, Rows), c1, h1, c2, h2, rc2, roundedIsDirect);
                    continue;
                }
                if (lo <= hi)
                {
                    Scan(chunk, i, ClusterOf(other, lo), ClusterEnd(other, hi + 1), c1, h1, c2, h2, rc2, roundedIsDirect);
                }
                else
                {
                    // Wrapped: rows [0, hi] then [lo, Rows); a cluster spanning both is scanned once.
                    int firstEnd = ClusterEnd(other, hi + 1);
                    Scan(chunk, i, ClusterOf(other, 0), firstEnd, c1, h1, c2, h2, rc2, roundedIsDirect);
                    Scan(chunk, i, Math.Max(ClusterOf(other, lo), firstEnd), ClusterEnd(other, Rows), c1, h1, c2, h2, rc2, roundedIsDirect);
                }
            }
            chunk.Close(i);
        }
    }

    /// <summary>
    /// Columns within reach to each side: a particle of column c + d is at least (d − 1)/Columns from column c, and the
    /// boxes reach half the skin beyond where the build saw their particles.
    /// </summary>
    private int Reach(double cutoff) => (int)Math.Floor((cutoff + 2 * HalfSkin) * Columns) + 1;

    private static int Modulo(int value, int m) => ((value % m) + m) % m;

    /// <summary>The cluster holding the first particle of row <paramref name="row"/> of a column.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int ClusterOf(int column, int row) => _cellStart[column * Rows + row] / Size;

    /// <summary>One past the cluster holding the last particle before row <paramref name="row"/> of a column (the column's end for Rows).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int ClusterEnd(int column, int row) =>
        row == Rows ? _columnStart[column + 1] / Size : (_cellStart[column * Rows + row] + Size - 1) / Size;

    /// <summary>
    /// Lists the clusters of [<paramref name="jBegin"/>, <paramref name="jEnd"/>) (from <paramref name="i"/> on) whose
    /// boxes come within r_c of I's, each as direct or wrapped, in ascending order within each group (room reserved).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Scan(ClusterChunk chunk, int i, int jBegin, int jEnd, double c1, double h1, double c2, double h2, double rc2,
        bool roundedIsDirect)
    {
        jBegin = Math.Max(jBegin, i);
        if (VectorScan)
        {
            ScanVectors(chunk, jBegin, jEnd, c1, h1, c2, h2, rc2, roundedIsDirect);
            return;
        }
        for (int j = jBegin; j < jEnd; j++)
        {
            double d1 = Center1[j] - c1, d2 = Center2[j] - c2;
            double round1 = Math.Round(d1), round2 = Math.Round(d2);
            // Direct: every particle difference of the two boxes is within ½ per axis as it stands, so it is its own
            // minimum image and the pair loop need not round it.
            bool direct = roundedIsDirect
                ? round1 == 0.0 & round2 == 0.0
                : Math.Abs(d1) + h1 + Half1[j] < 0.5 - Margin & Math.Abs(d2) + h2 + Half2[j] < 0.5 - Margin;
            d1 -= round1;
            d2 -= round2;
            double g1 = Math.Max(Math.Abs(d1) - h1 - Half1[j] - Margin, 0.0);
            double g2 = Math.Max(Math.Abs(d2) - h2 - Half2[j] - Margin, 0.0);
            chunk.AddIf(g1 * g1 + g2 * g2 < rc2, direct, j, Center1[j], Half1[j], Center2[j], Half2[j]);
        }
    }

    /// <summary>
    /// <see cref="Scan"/>'s box tests four clusters at a time, the same operations in the same order as the scalar
    /// test (no fused multiply-add), so the lists are the same bit for bit; only the clusters within reach are
    /// written. A range is a few clusters (the rows within reach of one column), so its last vector reaches past the
    /// end (into the next column's boxes or the spare ones) with those lanes masked, instead of a scalar tail.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ScanVectors(ClusterChunk chunk, int jBegin, int jEnd, double c1, double h1, double c2, double h2, double rc2,
        bool roundedIsDirect)
    {
        ref double center1 = ref MemoryMarshal.GetArrayDataReference(Center1);
        ref double half1 = ref MemoryMarshal.GetArrayDataReference(Half1);
        ref double center2 = ref MemoryMarshal.GetArrayDataReference(Center2);
        ref double half2 = ref MemoryMarshal.GetArrayDataReference(Half2);
        var vc1 = Vector256.Create(c1);
        var vh1 = Vector256.Create(h1);
        var vc2 = Vector256.Create(c2);
        var vh2 = Vector256.Create(h2);
        var margin = Vector256.Create(Margin);
        var halfMinusMargin = Vector256.Create(0.5 - Margin);
        var rc2Lanes = Vector256.Create(rc2);
        var zero = Vector256<double>.Zero;
        int j = jBegin;
        var lanes = Vector256.Create(0.0, 1.0, 2.0, 3.0);
        for (; j < jEnd; j += Vector256<double>.Count)
        {
            var hj1 = Vector256.LoadUnsafe(ref half1, (nuint)j);
            var hj2 = Vector256.LoadUnsafe(ref half2, (nuint)j);
            var d1 = Vector256.LoadUnsafe(ref center1, (nuint)j) - vc1;
            var d2 = Vector256.LoadUnsafe(ref center2, (nuint)j) - vc2;
            var round1 = Vector256.Round(d1);
            var round2 = Vector256.Round(d2);
            var direct = roundedIsDirect
                ? Vector256.Equals(round1, zero) & Vector256.Equals(round2, zero)
                : Vector256.LessThan(Vector256.Abs(d1) + vh1 + hj1, halfMinusMargin)
                    & Vector256.LessThan(Vector256.Abs(d2) + vh2 + hj2, halfMinusMargin);
            d1 -= round1;
            d2 -= round2;
            var g1 = Vector256.MaxNative(Vector256.Abs(d1) - vh1 - hj1 - margin, zero);
            var g2 = Vector256.MaxNative(Vector256.Abs(d2) - vh2 - hj2 - margin, zero);
            var within = Vector256.LessThan(g1 * g1 + g2 * g2, rc2Lanes) & Vector256.LessThan(lanes, Vector256.Create((double)(jEnd - j)));
            uint directBits = (within & direct).ExtractMostSignificantBits();
            uint wrappedBits = Vector256.AndNot(within, direct).ExtractMostSignificantBits();
            if (directBits != 0)
            {
                chunk.AddDirect(directBits, j, this);
            }
            if (wrappedBits != 0)
            {
                chunk.AddWrapped(wrappedBits, j, this);
            }
        }
    }
}

/// <summary>
/// The pair lists of the consecutive i-clusters [<see cref="First"/>, <see cref="End"/>), in compressed rows: each
/// entry is a j-cluster with a copy of its box (so that the pair loop tests a particle against
/// <see cref="ClusterGrid.Size"/> boxes in one vector). A row holds first the direct entries (boxes whose particle
/// differences are their own minimum images), then the wrapped ones (across the torus' edge: the pair loop rounds
/// those differences); each group is padded to a multiple of <see cref="ClusterGrid.Size"/> with entries whose box
/// is empty (half width −∞: never within reach).
/// </summary>
internal sealed class ClusterChunk
{
    private int[] _partners = new int[64];
    private double[] _center1 = new double[64];
    private double[] _half1 = new double[64];
    private double[] _center2 = new double[64];
    private double[] _half2 = new double[64];
    // The current row's wrapped entries until Close appends them after its direct ones.
    private int[] _wrappedPartners = new int[64];
    private double[] _wrappedCenter1 = new double[64];
    private double[] _wrappedHalf1 = new double[64];
    private double[] _wrappedCenter2 = new double[64];
    private double[] _wrappedHalf2 = new double[64];
    private int[] _start = new int[1];
    private int[] _wrapped = new int[1];
    private int _count;
    private int _wrappedCount;
    private int _listed;

    public int First { get; private set; }

    public int End { get; private set; }

    /// <summary>Listed cluster pairs (without the padding).</summary>
    public int Pairs => _listed;

    /// <summary>
    /// Row of i-cluster <paramref name="i"/> (in this chunk): direct entries [begin, wrapped), wrapped entries
    /// [wrapped, end), both multiples of <see cref="ClusterGrid.Size"/>.
    /// </summary>
    public (int Begin, int Wrapped, int End) Row(int i) => (_start[i - First], _wrapped[i - First], _start[i - First + 1]);

    public int[] Partners => _partners;

    public double[] Center1 => _center1;

    public double[] Half1 => _half1;

    public double[] Center2 => _center2;

    public double[] Half2 => _half2;

    public void Reset(int first, int end)
    {
        First = first;
        End = end;
        _count = 0;
        _wrappedCount = 0;
        _listed = 0;
        if (_start.Length < end - first + 1)
        {
            _start = new int[end - first + 1];
            _wrapped = new int[end - first];
        }
        _start[0] = 0;
    }

    /// <summary>Makes room for <paramref name="extra"/> more entries in either group (so that <see cref="AddIf"/> needs no check).</summary>
    public void Reserve(int extra)
    {
        ReserveDirect(extra);
        Grow(_wrappedCount + extra, ref _wrappedPartners, ref _wrappedCenter1, ref _wrappedHalf1, ref _wrappedCenter2, ref _wrappedHalf2);
    }

    /// <summary>Makes room for <paramref name="extra"/> more entries in the rows.</summary>
    public void ReserveDirect(int extra) => Grow(_count + extra, ref _partners, ref _center1, ref _half1, ref _center2, ref _half2);

    /// <summary>Grows one group's columns together to hold <paramref name="needed"/> entries (at least doubling).</summary>
    private static void Grow(int needed, ref int[] partners, ref double[] center1, ref double[] half1, ref double[] center2, ref double[] half2)
    {
        if (needed <= partners.Length)
        {
            return;
        }
        int length = Math.Max(2 * partners.Length, needed);
        Array.Resize(ref partners, length);
        Array.Resize(ref center1, length);
        Array.Resize(ref half1, length);
        Array.Resize(ref center2, length);
        Array.Resize(ref half2, length);
    }

    /// <summary>
    /// Writes the entry into the next direct slot (room reserved) and keeps it there only when <paramref name="within"/>
    /// and <paramref name="direct"/>: no branch on the box test, which goes either way about as often. The wrapped
    /// entries (few: the rows near the torus' edge) take a branch to their own group.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AddIf(bool within, bool direct, int j, double center1, double half1, double center2, double half2)
    {
        _partners[_count] = j;
        _center1[_count] = center1;
        _half1[_count] = half1;
        _center2[_count] = center2;
        _half2[_count] = half2;
        _count += within & direct ? 1 : 0;
        if (within & !direct)
        {
            AddWrapped(j, center1, half1, center2, half2);
        }
    }

    /// <summary>
    /// Appends the clusters <paramref name="first"/> + k for the set bits k of <paramref name="lanes"/> (ascending), with
    /// their boxes from <paramref name="grid"/>, as direct entries (room reserved).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AddDirect(uint lanes, int first, ClusterGrid grid) =>
        _count = Append(lanes, first, grid, _count, _partners, _center1, _half1, _center2, _half2);

    /// <summary>As <see cref="AddDirect(uint, int, ClusterGrid)"/>, as wrapped entries.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AddWrapped(uint lanes, int first, ClusterGrid grid) =>
        _wrappedCount = Append(lanes, first, grid, _wrappedCount, _wrappedPartners, _wrappedCenter1, _wrappedHalf1,
            _wrappedCenter2, _wrappedHalf2);

    /// <summary>
    /// Writes the entries from <paramref name="count"/> on and returns the new count. Unchecked (the build's hottest
    /// writes): the row's room was reserved for every cluster of the columns it scans, and each is listed at most once.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Append(uint lanes, int first, ClusterGrid grid, int count, int[] partners, double[] center1,
        double[] half1, double[] center2, double[] half2)
    {
        Debug.Assert(count + BitOperations.PopCount(lanes) <= partners.Length);
        ref int toPartner = ref MemoryMarshal.GetArrayDataReference(partners);
        ref double toCenter1 = ref MemoryMarshal.GetArrayDataReference(center1);
        ref double toHalf1 = ref MemoryMarshal.GetArrayDataReference(half1);
        ref double toCenter2 = ref MemoryMarshal.GetArrayDataReference(center2);
        ref double toHalf2 = ref MemoryMarshal.GetArrayDataReference(half2);
        ref double fromCenter1 = ref MemoryMarshal.GetArrayDataReference(grid.Center1);
        ref double fromHalf1 = ref MemoryMarshal.GetArrayDataReference(grid.Half1);
        ref double fromCenter2 = ref MemoryMarshal.GetArrayDataReference(grid.Center2);
        ref double fromHalf2 = ref MemoryMarshal.GetArrayDataReference(grid.Half2);
        do
        {
            int k = first + BitOperations.TrailingZeroCount(lanes);
            lanes &= lanes - 1;
            Unsafe.Add(ref toPartner, count) = k;
            Unsafe.Add(ref toCenter1, count) = Unsafe.Add(ref fromCenter1, k);
            Unsafe.Add(ref toHalf1, count) = Unsafe.Add(ref fromHalf1, k);
            Unsafe.Add(ref toCenter2, count) = Unsafe.Add(ref fromCenter2, k);
            Unsafe.Add(ref toHalf2, count) = Unsafe.Add(ref fromHalf2, k);
            count++;
        }
        while (lanes != 0);
        return count;
    }

    /// <summary>Appends a wrapped entry (room reserved).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AddWrapped(int j, double center1, double half1, double center2, double half2)
    {
        _wrappedPartners[_wrappedCount] = j;
        _wrappedCenter1[_wrappedCount] = center1;
        _wrappedHalf1[_wrappedCount] = half1;
        _wrappedCenter2[_wrappedCount] = center2;
        _wrappedHalf2[_wrappedCount] = half2;
        _wrappedCount++;
    }

    /// <summary>Ends the row of i-cluster <paramref name="i"/>: pads its direct entries, appends the wrapped ones, pads them.</summary>
    public void Close(int i)
    {
        _listed += _count - _start[i - First] + _wrappedCount;
        Pad(i);
        _wrapped[i - First] = _count;
        if (_wrappedCount > 0)
        {
            int wrapped = _wrappedCount;
            _wrappedCount = 0;
            ReserveDirect(wrapped);
            Array.Copy(_wrappedPartners, 0, _partners, _count, wrapped);
            Array.Copy(_wrappedCenter1, 0, _center1, _count, wrapped);
            Array.Copy(_wrappedHalf1, 0, _half1, _count, wrapped);
            Array.Copy(_wrappedCenter2, 0, _center2, _count, wrapped);
            Array.Copy(_wrappedHalf2, 0, _half2, _count, wrapped);
            _count += wrapped;
            Pad(i);
        }
        _start[i - First + 1] = _count;
    }

    /// <summary>Pads the row's entries so far to whole vectors with empty boxes.</summary>
    private void Pad(int i)
    {
        ReserveDirect(ClusterGrid.Size);
        while (_count % ClusterGrid.Size != 0)
        {
            _partners[_count] = i;
            _center1[_count] = 0.0;
            _half1[_count] = double.NegativeInfinity;
            _center2[_count] = 0.0;
            _half2[_count] = double.NegativeInfinity;
            _count++;
        }
    }
}
