using HpcGB.Engine.Forces.NearField;

namespace HpcGB.Engine.Tests.NearField;

/// <summary>The cell grid: every pair of neighbouring cells visited once, binning independent of the thread count.</summary>
public class CellListTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 2)]
    [InlineData(1, 3)]
    [InlineData(1, 6)]
    [InlineData(2, 1)]
    [InlineData(2, 2)]
    [InlineData(2, 3)]
    [InlineData(2, 4)]
    [InlineData(2, 7)]
    public void RunsVisitEveryNeighbouringCellPairExactlyOnce(int dimension, int m)
    {
        var cells = new CellList();
        cells.Configure(dimension, m);
        int my = dimension == 2 ? m : 1;
        var visits = new Dictionary<(int, int), int>();
        for (int c = 0; c < cells.CellCount; c++)
        {
            int previousEnd = -1;
            for (int r = cells.RunOffsets[c]; r < cells.RunOffsets[c + 1]; r++)
            {
                Assert.True(cells.RunFirst[r] >= c && cells.RunFirst[r] > previousEnd - 1, "runs ascend from c");
                previousEnd = cells.RunEnd[r];
                for (int n = cells.RunFirst[r]; n < cells.RunEnd[r]; n++)
                {
                    var key = (c, n);
                    visits[key] = visits.GetValueOrDefault(key) + 1;
                }
            }
            Assert.Equal(c, cells.RunFirst[cells.RunOffsets[c]]);
        }
        // Expected: the unordered pairs {c, n} of cells at periodic distance ≤ 1 in each axis.
        for (int a = 0; a < cells.CellCount; a++)
        {
            for (int b = a; b < cells.CellCount; b++)
            {
                bool neighbours = Near(a % m, b % m, m) && Near(a / m, b / m, my);
                Assert.Equal(neighbours ? 1 : 0, visits.GetValueOrDefault((a, b)));
            }
        }
    }

    [Theory]
    [InlineData(2, false)]
    [InlineData(1, false)]
    [InlineData(2, true)]
    [InlineData(1, true)]
    public void ParallelBinningGivesTheSerialOrder(int dimension, bool slab)
    {
        var c = NearFieldSystems.Uniform(dimension, 3 * CellList.ParallelThreshold, 61 + dimension);
        // A slab [0.3, 0.8) in 12 columns, its last fifth of the particles the halo.
        CellList Binned(int parts)
        {
            var cells = new CellList();
            if (slab)
            {
                cells.ConfigureSlab(dimension, 12, 40, 0.3, 0.5, c.Count - c.Count / 5);
            }
            else
            {
                cells.Configure(dimension, 40);
            }
            cells.Bin(c.X1, c.X2, c.Signs, parts);
            return cells;
        }
        var serial = Binned(1);
        foreach (int parts in new[] { 2, 3 })
        {
            var parallel = Binned(parts);
            Assert.Equal(serial.CellStart, parallel.CellStart);
            Assert.Equal(serial.Order.AsSpan(0, c.Count).ToArray(), parallel.Order.AsSpan(0, c.Count).ToArray());
            Assert.Equal(serial.X1, parallel.X1);
            Assert.Equal(serial.X2, parallel.X2);
            Assert.Equal(serial.Sign, parallel.Sign);
        }
        // Every particle once, with its own wrapped coordinates and sign; sorted by cell, stable within a cell.
        var seen = new bool[c.Count];
        for (int cell = 0; cell < serial.CellCount; cell++)
        {
            for (int p = serial.CellStart[cell]; p < serial.CellStart[cell + 1]; p++)
            {
                int i = serial.Order[p];
                Assert.False(seen[i]);
                seen[i] = true;
                Assert.Equal(c.X1[i] - Math.Floor(c.X1[i]), serial.X1[p]);
                Assert.Equal(dimension == 2 ? c.X2[i] - Math.Floor(c.X2[i]) : 0.0, serial.X2[p]);
                Assert.Equal(c.Signs[i], serial.Sign[p]);
                Assert.True(p == serial.CellStart[cell] || serial.Order[p - 1] < i);
            }
        }
        Assert.DoesNotContain(false, seen);
        Assert.Equal(c.Count, serial.CellStart[serial.CellCount]);
    }

    [Fact]
    public void LargeEvaluationsAgreeAcrossThreadCountsAndRepeatBitForBit()
    {
        // Above the parallel binning threshold; 1 thread (serial binning) against 2 threads.
        var c = NearFieldSystems.Uniform(2, CellList.ParallelThreshold + 4000, 62);
        var one = new NearFieldEvaluator(2, ShortRangeKind.Edge, 0.002, 0, 0.012, threads: 1);
        var two = new NearFieldEvaluator(2, ShortRangeKind.Edge, 0.002, 0, 0.012, threads: 2);
        var a = NearFieldSystems.Evaluate(one, c);
        var b = NearFieldSystems.Evaluate(two, c);
        var again = NearFieldSystems.Evaluate(two, c);
        Assert.Equal(b.G1, again.G1);
        Assert.Equal(b.G2, again.G2);
        Assert.Equal(b.Energy, again.Energy);
        double scale = a.G1.Concat(a.G2).Max(Math.Abs);
        for (int i = 0; i < c.Count; i++)
        {
            Assert.True(Math.Abs(a.G1[i] - b.G1[i]) <= 1e-13 * scale && Math.Abs(a.G2[i] - b.G2[i]) <= 1e-13 * scale, $"particle {i}");
        }
        Assert.Equal(one.CandidatePairs, two.CandidatePairs);
        Assert.True(one.PairsInRange > 0 && one.PairsInRange < one.CandidatePairs);
    }

    private static bool Near(int a, int b, int m)
    {
        int d = Math.Abs(a - b);
        return Math.Min(d, m - d) <= 1;
    }
}
