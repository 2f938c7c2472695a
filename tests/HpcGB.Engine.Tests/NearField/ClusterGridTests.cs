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
                Assert.True(double.IsNaN(serial.X1[p]) && double.IsNaN(serial.X2[p]) && serial.Sign[p] == 0.0);
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

    private static int Key(double wrapped, int m) => Math.Min((int)(wrapped * m), m - 1);
}
