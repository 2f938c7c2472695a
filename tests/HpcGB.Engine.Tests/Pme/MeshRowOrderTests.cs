using HpcGB.Engine.Forces.Pme;

namespace HpcGB.Engine.Tests.Pme;

public class MeshRowOrderTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void PartsGiveTheSameStableOrderAsOne(int parts)
    {
        const int n = 1000, mesh = 64;
        var random = new Random(3);
        var x1 = new double[n];
        var x2 = new double[n];
        var signs = new sbyte[n];
        for (int i = 0; i < n; i++)
        {
            x1[i] = random.NextDouble();
            x2[i] = random.NextDouble();
            signs[i] = (sbyte)(random.Next(2) * 2 - 1);
        }
        x1[7] = Math.BitDecrement(1.0);
        var one = new MeshRowOrder(2, mesh);
        var many = new MeshRowOrder(2, mesh);
        Assert.Equal(-1, one.Sort(x1, x2, signs, 0, mesh));
        Assert.Equal(-1, many.Sort(x1, x2, signs, 0, mesh, parts));
        Assert.Equal(one.Sorted, many.Sorted);
        Assert.Equal(one.RowStart, many.RowStart);
        Assert.Equal(one.X1, many.X1);
        Assert.Equal(one.X2, many.X2);
        Assert.Equal(one.Signs, many.Signs);
        // Stable by row: rows non-decreasing, particle indices increasing within a row.
        for (int k = 1; k < n; k++)
        {
            int row = (int)(x1[many.Sorted[k]] * mesh), previous = (int)(x1[many.Sorted[k - 1]] * mesh);
            Assert.True(row > previous || (row == previous && many.Sorted[k] > many.Sorted[k - 1]));
        }

        // A slab of rows 10 … 29: both report the first particle outside it.
        int firstOutside = Array.FindIndex(x1, x => (int)(x * mesh) is < 10 or >= 30);
        Assert.Equal(firstOutside, one.Sort(x1, x2, signs, 10, 20));
        Assert.Equal(firstOutside, many.Sort(x1, x2, signs, 10, 20, parts));
    }
}
