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

    [Fact]
    public void ParallelBinningGivesTheSerialOrder()
    {
        var c = NearFieldSystems.Uniform(2, 3 * CellList.ParallelThreshold, 61);
        var serial = new CellList();
        serial.Configure(2, 40);
        serial.Bin(c.X1, c.X2, c.Signs, parts: 1);
        foreach (int parts in new[] { 2, 3 })
        {
            var parallel = new CellList();
            parallel.Configure(2, 40);
            parallel.Bin(c.X1, c.X2, c.Signs, parts);
            Assert.Equal(serial.CellStart, parallel.CellStart);
            Assert.Equal(serial.Order.AsSpan(0, c.Count).ToArray(), parallel.Order.AsSpan(0, c.Count).ToArray());
            Assert.Equal(serial.X1, parallel.X1);
            Assert.Equal(serial.X2, parallel.X2);
        }
        // Sorted by cell, stable within a cell.
        for (int cell = 0; cell < serial.CellCount; cell++)
        {
            for (int p = serial.CellStart[cell] + 1; p < serial.CellStart[cell + 1]; p++)
            {
                Assert.True(serial.Order[p - 1] < serial.Order[p]);
            }
        }
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
