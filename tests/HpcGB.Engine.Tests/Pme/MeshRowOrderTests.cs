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
        Assert.Equal(one.Particles, many.Particles);
        Assert.Equal(one.RowStart, many.RowStart);
        // Every particle once, with its own coordinates and sign.
        Assert.Equal(Enumerable.Range(0, n), many.Particles.Select(p => p.Index).Order());
        Assert.All(many.Particles, p => Assert.Equal((x1[p.Index], x2[p.Index], (int)signs[p.Index]), (p.X1, p.X2, p.Sign)));
        // Stable by row: rows non-decreasing, particle indices increasing within a row.
        for (int k = 1; k < n; k++)
        {
            int i = many.Particles[k].Index, before = many.Particles[k - 1].Index;
            int row = (int)(x1[i] * mesh), previous = (int)(x1[before] * mesh);
            Assert.True(row > previous || (row == previous && i > before));
        }

        // A slab of rows 10 … 29: both report the first particle outside it.
        int firstOutside = Array.FindIndex(x1, x => (int)(x * mesh) is < 10 or >= 30);
        Assert.Equal(firstOutside, one.Sort(x1, x2, signs, 10, 20));
        Assert.Equal(firstOutside, many.Sort(x1, x2, signs, 10, 20, parts));
    }
}
