using HpcGB.Engine.Forces.NearField;

namespace HpcGB.Engine.Tests.NearField;

/// <summary>The cluster layout's two-pass sort: the same layout for every thread count, stable, columns padded.</summary>
public class ClusterGridTests
{
    [Theory]
    [InlineData("uniform")]
    [InlineData("clustered")]
    public void ParallelSortGivesTheSerialLayoutSortedAndStable(string kind)
    {
        int n = 3 * CellList.ParallelThreshold;
        var c = kind == "uniform" ? NearFieldSystems.Uniform(2, n, 63) : NearFieldSystems.Clustered(2, n, 64);
        var serial = new ClusterGrid();
        serial.Build(c.X1, c.X2, c.Signs, 0.01, 1);
        int padded = serial.PaddedCount;
        foreach (int parts in new[] { 2, 3 })
        {
            var parallel = new ClusterGrid();
            parallel.Build(c.X1, c.X2, c.Signs, 0.01, parts);
            Assert.Equal(padded, parallel.PaddedCount);
            Assert.Equal(serial.Order.AsSpan(0, padded).ToArray(), parallel.Order.AsSpan(0, padded).ToArray());
            Assert.Equal(serial.X1.AsSpan(0, padded).ToArray(), parallel.X1.AsSpan(0, padded).ToArray());
            Assert.Equal(serial.X2.AsSpan(0, padded).ToArray(), parallel.X2.AsSpan(0, padded).ToArray());
            Assert.Equal(serial.Sign.AsSpan(0, padded).ToArray(), parallel.Sign.AsSpan(0, padded).ToArray());
        }

        // Every particle once, with its own coordinates and sign; sorted by (column, row), stable; a cluster never
        // spans two columns (columns are padded to whole clusters).
        Assert.Equal(0, padded % ClusterGrid.Size);
        var seen = new bool[n];
        (int Column, int Row, int Index) previous = (-1, -1, -1);
        for (int p = 0; p < padded; p++)
        {
            int i = serial.Order[p];
            if (i < 0)
            {
                Assert.True(serial.X1[p] == ClusterGrid.PaddingCoordinate && serial.X2[p] == ClusterGrid.PaddingCoordinate && serial.Sign[p] == 0.0);
                continue;
            }
            Assert.False(seen[i]);
            seen[i] = true;
            Assert.Equal(c.X1[i] - Math.Floor(c.X1[i]), serial.X1[p]);
            Assert.Equal(c.X2[i] - Math.Floor(c.X2[i]), serial.X2[p]);
            Assert.Equal(c.Signs[i], serial.Sign[p]);
            var key = (Column: Key(serial.X1[p], serial.Columns), Row: Key(serial.X2[p], serial.Rows), Index: i);
            Assert.True(key.CompareTo(previous) > 0, $"slot {p}: {key} after {previous}");
            if (previous.Column >= 0 && key.Column != previous.Column)
            {
                Assert.Equal(0, p % ClusterGrid.Size);
            }
            previous = key;
        }
        Assert.DoesNotContain(false, seen);
    }

    /// <summary>
    /// The pair lists: every pair within r_c (minimum image) sits in exactly one listed entry of the lower cluster's
    /// row, and where that entry is direct, its plain difference is the minimum image (the pair loop does not round
    /// it). Cut-offs where the cheap test (rounded centres) and the exact bound decide, on particles across the edge.
    /// </summary>
    [Theory]
    [InlineData("uniform", 700, 0.05)]
    [InlineData("uniform", 700, 0.3)]
    [InlineData("uniform", 3000, 0.02)]
    [InlineData("clustered", 500, 0.1)]
    [InlineData("uniform", 100, 0.5)]
    public void EveryPairWithinReachIsListedOnceAndDirectEntriesNeedNoRounding(string kind, int n, double cutoff)
    {
        var c = kind == "uniform" ? NearFieldSystems.Uniform(2, n, 65) : NearFieldSystems.Clustered(2, n, 66, side: 0.9);
        var grid = new ClusterGrid();
        grid.Build(c.X1, c.X2, c.Signs, cutoff, 1);
        var listed = new Dictionary<(int, int), int>();
        int direct = 0, wrapped = 0;
        foreach (var chunk in grid.Chunks)
        {
            for (int ci = chunk.First; ci < chunk.End; ci++)
            {
                var (begin, wrappedBegin, end) = chunk.Row(ci);
                Assert.True(begin % ClusterGrid.Size == 0 && wrappedBegin % ClusterGrid.Size == 0 && end % ClusterGrid.Size == 0);
                for (int e = begin; e < end; e++)
                {
                    if (double.IsNegativeInfinity(chunk.Half1[e]))
                    {
                        continue; // padding entry
                    }
                    int cj = chunk.Partners[e];
                    _ = e < wrappedBegin ? direct++ : wrapped++;
                    for (int p = ci * ClusterGrid.Size; p < (ci + 1) * ClusterGrid.Size; p++)
                    {
                        for (int q = cj * ClusterGrid.Size; q < (cj + 1) * ClusterGrid.Size; q++)
                        {
                            if (grid.Order[p] < 0 || grid.Order[q] < 0 || (ci == cj && q <= p))
                            {
                                continue;
                            }
                            double d1 = grid.X1[p] - grid.X1[q], d2 = grid.X2[p] - grid.X2[q];
                            double m1 = d1 - Math.Round(d1), m2 = d2 - Math.Round(d2);
                            if (m1 * m1 + m2 * m2 < cutoff * cutoff)
                            {
                                var key = (Math.Min(grid.Order[p], grid.Order[q]), Math.Max(grid.Order[p], grid.Order[q]));
                                listed[key] = listed.GetValueOrDefault(key) + 1;
                                if (e < wrappedBegin)
                                {
                                    Assert.True(d1 == m1 && d2 == m2, $"direct entry ({ci}, {cj}) needs rounding for slots {p}, {q}");
                                }
                            }
                        }
                    }
                }
            }
        }
        Assert.True(direct > 0 && (cutoff == 0.5 || wrapped > 0), $"{direct} direct, {wrapped} wrapped entries");
        for (int i = 0; i < n; i++)
        {
            for (int j = i + 1; j < n; j++)
            {
                double d1 = c.X1[i] - c.X1[j], d2 = c.X2[i] - c.X2[j];
                d1 -= Math.Round(d1);
                d2 -= Math.Round(d2);
                if (d1 * d1 + d2 * d2 < cutoff * cutoff)
                {
                    Assert.Equal(1, listed.GetValueOrDefault((i, j)));
                }
            }
        }
    }

    /// <summary>
    /// The list build's vectorised box test (four boxes at a time) lists the same entries, in the same order and group,
    /// with the same box copies, as the one-at-a-time test: both cut-off regimes (rounded centres and the exact
    /// bound), clustered particles, and scan ranges that are not whole vectors.
    /// </summary>
    [Theory]
    [InlineData("uniform", 3000, 0.02, 1)]
    [InlineData("uniform", 700, 0.3, 1)]
    [InlineData("clustered", 2000, 0.1, 2)]
    [InlineData("uniform", 100, 0.5, 1)]
    [InlineData("uniform", 40000, 0.01, 2)]
    public void VectorisedBoxTestsListWhatTheScalarOnesList(string kind, int n, double cutoff, int parts)
    {
        var c = kind == "uniform" ? NearFieldSystems.Uniform(2, n, 67) : NearFieldSystems.Clustered(2, n, 68, side: 0.9);
        var vector = new ClusterGrid();
        Assert.Equal(System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated, vector.VectorScan);
        vector.VectorScan = true;
        vector.Build(c.X1, c.X2, c.Signs, cutoff, parts);
        var scalar = new ClusterGrid { VectorScan = false };
        scalar.Build(c.X1, c.X2, c.Signs, cutoff, parts);
        Assert.Equal(scalar.Chunks.Length, vector.Chunks.Length);
        long entries = 0;
        for (int k = 0; k < scalar.Chunks.Length; k++)
        {
            ClusterChunk a = scalar.Chunks[k], b = vector.Chunks[k];
            Assert.Equal((a.First, a.End, a.Pairs), (b.First, b.End, b.Pairs));
            for (int ci = a.First; ci < a.End; ci++)
            {
                var row = a.Row(ci);
                Assert.Equal(row, b.Row(ci));
                for (int e = row.Begin; e < row.End; e++)
                {
                    Assert.Equal((a.Partners[e], a.Center1[e], a.Half1[e], a.Center2[e], a.Half2[e]),
                        (b.Partners[e], b.Center1[e], b.Half1[e], b.Center2[e], b.Half2[e]));
                }
                entries += row.End - row.Begin;
            }
        }
        Assert.True(entries > 0);
    }

    /// <summary>
    /// Every cluster's box is the exact bounding box of its particles (padding slots left out), widened by the half
    /// skin: whole clusters (two vectors per axis where Vector256 is accelerated) and a column's last, partly padded
    /// one, on one thread and in parallel (the boxes are taken column by column after each column's row sort).
    /// </summary>
    [Theory]
    [InlineData("uniform", 3 * CellList.ParallelThreshold, 1, 0.0)]
    [InlineData("uniform", 3 * CellList.ParallelThreshold, 2, 0.001)]
    [InlineData("clustered", 3 * CellList.ParallelThreshold, 3, 0.0)]
    [InlineData("clustered", 2000, 1, 0.01)]
    public void BoxesAreTheClustersBoundsWidenedByTheHalfSkin(string kind, int n, int parts, double halfSkin)
    {
        var c = kind == "uniform" ? NearFieldSystems.Uniform(2, n, 71) : NearFieldSystems.Clustered(2, n, 72, side: 0.9);
        var grid = new ClusterGrid();
        grid.Build(c.X1, c.X2, c.Signs, 0.01, parts, halfSkin);
        int partial = 0;
        for (int cluster = 0; cluster < grid.ClusterCount; cluster++)
        {
            double lo1 = double.PositiveInfinity, hi1 = double.NegativeInfinity, lo2 = lo1, hi2 = hi1;
            int particles = 0;
            for (int p = cluster * ClusterGrid.Size; p < (cluster + 1) * ClusterGrid.Size; p++)
            {
                if (grid.Order[p] >= 0)
                {
                    particles++;
                    (lo1, hi1) = (Math.Min(lo1, grid.X1[p]), Math.Max(hi1, grid.X1[p]));
                    (lo2, hi2) = (Math.Min(lo2, grid.X2[p]), Math.Max(hi2, grid.X2[p]));
                }
            }
            Assert.True(particles > 0);
            partial += particles < ClusterGrid.Size ? 1 : 0;
            Assert.Equal((0.5 * (lo1 + hi1), 0.5 * (hi1 - lo1) + halfSkin, 0.5 * (lo2 + hi2), 0.5 * (hi2 - lo2) + halfSkin),
                (grid.Center1[cluster], grid.Half1[cluster], grid.Center2[cluster], grid.Half2[cluster]));
        }
        Assert.True(partial > 0);
    }

    /// <summary>
    /// The stripes let the pair loop's threads share one force buffer: within a phase no two stripes' rows write a
    /// column in common (a row writes its own cluster's column and its partners'), every even stripe clears before its
    /// rows run the columns its rows write (the even stripes' clears cover every column once), and every column is
    /// scattered once, by a stripe after which no other stripe writes it. Grids from one stripe to the most, with rows
    /// that reach across the torus' edge, and with a skin.
    /// </summary>
    [Theory]
    [InlineData("uniform", 4096, 0.07, 0.0)]
    [InlineData("uniform", 4096, 0.07, 0.003)]
    [InlineData("uniform", 40000, 0.02, 0.0)]
    [InlineData("uniform", 200_000, 0.004, 0.0)]
    [InlineData("clustered", 3000, 0.05, 0.0)]
    [InlineData("uniform", 300, 0.3, 0.0)]
    [InlineData("uniform", 100, 0.5, 0.0)]
    public void StripesOfAPhaseWriteDisjointColumnsClearedBeforeAndScatteredAfter(string kind, int n, double cutoff, double halfSkin)
    {
        var c = kind == "uniform" ? NearFieldSystems.Uniform(2, n, 69) : NearFieldSystems.Clustered(2, n, 70, side: 0.9);
        var grid = new ClusterGrid();
        grid.Build(c.X1, c.X2, c.Signs, cutoff, 2, halfSkin);
        var stripes = grid.Stripes!;
        int columns = grid.Columns;
        Assert.True(stripes.Count == 1 || stripes.Count % 2 == 0, $"{stripes.Count} stripes");
        Assert.Equal(stripes.Count, grid.Chunks.Length);
        var columnOf = new int[grid.ClusterCount];
        for (int column = 0; column < columns; column++)
        {
            for (int p = grid.ColumnStart(column); p < grid.ColumnStart(column + 1); p += ClusterGrid.Size)
            {
                columnOf[p / ClusterGrid.Size] = column;
            }
        }
        var writes = new HashSet<int>[stripes.Count];
        for (int s = 0; s < stripes.Count; s++)
        {
            var chunk = grid.Chunks[s];
            Assert.Equal((grid.ColumnStart(stripes.FirstColumn(s)) / ClusterGrid.Size, grid.ColumnStart(stripes.FirstColumn(s + 1)) / ClusterGrid.Size),
                (chunk.First, chunk.End));
            writes[s] = [];
            for (int ci = chunk.First; ci < chunk.End; ci++)
            {
                writes[s].Add(columnOf[ci]);
                var (begin, _, end) = chunk.Row(ci);
                for (int e = begin; e < end; e++)
                {
                    if (!double.IsNegativeInfinity(chunk.Half1[e]))
                    {
                        writes[s].Add(columnOf[chunk.Partners[e]]);
                    }
                }
            }
        }
        var cleared = new int[columns];
        var scattered = new int[columns];
        var clearedBy = new int[columns];
        for (int s = 0; s < stripes.Count; s++)
        {
            for (int t = s + 2; t < stripes.Count; t += 2)
            {
                Assert.False(writes[s].Overlaps(writes[t]), $"stripes {s} and {t} of {stripes.Count} write a column in common");
            }
            if (s % 2 == 0)
            {
                var (first, second) = stripes.Cleared(s);
                foreach (var (begin, end) in new[] { first, second })
                {
                    for (int column = begin; column < end; column++)
                    {
                        cleared[column]++;
                        clearedBy[column] = s;
                    }
                }
            }
            var (scatterFirst, scatterSecond) = stripes.Scattered(s);
            foreach (var (begin, end) in new[] { scatterFirst, scatterSecond })
            {
                for (int column = begin; column < end; column++)
                {
                    scattered[column]++;
                    // No stripe of this phase but s writes it, nor any of a later phase.
                    for (int t = s % 2; t < stripes.Count; t += 2)
                    {
                        Assert.True(t == s || !writes[t].Contains(column), $"column {column} scattered by stripe {s}, written by {t}");
                    }
                }
            }
        }
        Assert.All(cleared, count => Assert.Equal(1, count));
        Assert.All(scattered, count => Assert.Equal(1, count));
        for (int s = 0; s < stripes.Count; s += 2)
        {
            Assert.All(writes[s], column => Assert.Equal(s, clearedBy[column]));
        }
        Assert.True(stripes.Count > 1 || 3 * stripes.Reach > columns || 2 * stripes.Reach + 1 >= columns);
    }

    /// <summary>
    /// Taking new positions into a list kept under a skin allocates nothing (it runs at every Newton iterate): one
    /// thread, the second call after the build, a move within the half skin.
    /// </summary>
    [Fact]
    public void RefreshAllocatesNothing()
    {
        var c = NearFieldSystems.Uniform(2, 500, 67);
        var grid = new ClusterGrid();
        grid.Build(c.X1, c.X2, c.Signs, 0.05, 1, halfSkin: 0.01);
        double[] x1 = c.X1.Select(x => x + 0.001).ToArray(), x2 = c.X2.ToArray();
        Assert.True(grid.Refresh(x1, x2, 1));
        x1[0] += 0.001;
        long before = GC.GetAllocatedBytesForCurrentThread();
        bool kept = grid.Refresh(x1, x2, 1);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(kept);
        Assert.Equal(0, allocated);
        Assert.Equal(0.002, grid.Displacement, 12);
    }

    private static int Key(double wrapped, int m) => Math.Min((int)(wrapped * m), m - 1);
}
