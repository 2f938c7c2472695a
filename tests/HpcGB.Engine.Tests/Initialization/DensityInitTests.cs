using HpcGB.Engine.Initialization;
using HpcGB.Engine.Model;
using HpcGB.Engine.Spec;
using HpcGB.Engine.Tests.Simulation;

namespace HpcGB.Engine.Tests.Initialization;

public sealed class DensityInitTests
{
    [Fact]
    public void OneDimensionalCountsPerCellAreExactWhenSharesAreIntegers()
    {
        // Masses 2 and 2/3 share n = 80 as 60 : 20; the cells then hold 60·(1,2,3,0,4,2)/12 and 20/4 each.
        var positive = new DensityGrid([6], [1, 2, 3, 0, 4, 2]);
        var negative = new DensityGrid([4], [2.0 / 3, 2.0 / 3, 2.0 / 3, 2.0 / 3]);
        var state = Create(1, new DensityParticles(80, positive, negative));

        Assert.Equal(60, state.Signs.Count(s => s == 1));
        Assert.Equal([5, 10, 15, 0, 20, 10], CountPerCell(state, 1, [6]));
        Assert.Equal([5, 5, 5, 5], CountPerCell(state, -1, [4]));
    }

    [Fact]
    public void TwoDimensionalCountsAreRoundedSharesThatAddUp()
    {
        var positive = new DensityGrid([3, 4], [0, 1, 2, 3, 1, 1, 1, 1, 5, 0, 0.5, 0.5]);
        var negative = new DensityGrid([2, 2], [1, 0, 0, 3]);
        const int n = 97;
        var state = Create(2, new DensityParticles(n, positive, negative));

        double massPlus = positive.Values.Average(), massMinus = negative.Values.Average();
        int nPlus = state.Signs.Count(s => s == 1);
        Assert.Equal(n, state.Count);
        AssertRounded(n * massPlus / (massPlus + massMinus), nPlus);

        foreach (var (grid, sign, count) in new[] { (positive, 1, nPlus), (negative, -1, n - nPlus) })
        {
            int[] perCell = CountPerCell(state, sign, grid.Shape);
            Assert.Equal(count, perCell.Sum());
            double total = grid.Values.Sum();
            for (int c = 0; c < perCell.Length; c++)
            {
                AssertRounded(count * grid.Values[c] / total, perCell[c]);
            }
        }
    }

    [Fact]
    public void IsDeterministicAndUsesTheWholeCell()
    {
        var grid = new DensityGrid([1, 1], [1]);
        var spec = TestSpecs.Spec(TestSpecs.Model(), new DensityParticles(400, grid, grid), seed: 3);
        var a = InitialConditions.Create(spec);
        Assert.Equal(0, TestSpecs.MaxDifference(a, InitialConditions.Create(spec)));
        // Stratified (14 columns of 14–15 strata): every 0.2 × 0.2 block holds 2–4 whole strata per axis.
        var blocks = new int[25];
        for (int i = 0; i < a.Count; i++)
        {
            if (a.Signs[i] == 1)
            {
                blocks[(int)(a.Positions[0][i] * 5) * 5 + (int)(a.Positions[1][i] * 5)]++;
            }
        }
        Assert.All(blocks, b => Assert.InRange(b, 4, 16));
    }

    [Fact]
    public void AGridFinerThanTheParticleSpacingKeepsRegionalMasses()
    {
        // 100 × 100 cells, 2000 particles per sign: every share is below 1. The left half is 1.2 times
        // denser, so it must hold 1200/2.2 ≈ 1091 of them — not all 2000, as largest remainder would give.
        var values = new double[100 * 100];
        for (int c = 0; c < values.Length; c++)
        {
            values[c] = c / 100 < 50 ? 1.2 : 1.0;
        }
        var grid = new DensityGrid([100, 100], values);
        var state = Create(2, new DensityParticles(4000, grid, grid));
        int left = Enumerable.Range(0, state.Count).Count(i => state.Signs[i] == 1 && state.Positions[0][i] < 0.5);
        Assert.InRange(left, 1090, 1092);
        // Every 10 × 10 block is 10 runs of the path, each within ±1 of its share.
        int[] perCell = CountPerCell(state, 1, [100, 100]);
        for (int b1 = 0; b1 < 10; b1++)
        {
            for (int b2 = 0; b2 < 10; b2++)
            {
                int sum = 0;
                for (int i1 = 10 * b1; i1 < 10 * b1 + 10; i1++)
                {
                    for (int i2 = 10 * b2; i2 < 10 * b2 + 10; i2++)
                    {
                        sum += perCell[i1 * 100 + i2];
                    }
                }
                double share = 2000 * (b1 < 5 ? 1.2 : 1.0) / 2.2 / 50; // 50 blocks per half
                Assert.InRange(sum, share - 10, share + 10);
            }
        }
    }

    [Fact]
    public void RejectsAGridOfTheWrongShapeNamingTheField()
    {
        var good = new DensityGrid([2], [1, 1]);
        var bad = new DensityGrid([3], [1, 1]);
        var error = Assert.Throws<SpecException>(() => Create(1, new DensityParticles(10, good, bad)));
        Assert.Equal("$.particles.negative", error.Path);
    }

    /// <summary>A largest-remainder count is the floor or the ceiling of its share.</summary>
    private static void AssertRounded(double share, int count) =>
        Assert.True(count == Math.Floor(share) || count == Math.Ceiling(share), $"count {count} for share {share}");

    private static ParticleState Create(int dimension, DensityParticles particles) =>
        InitialConditions.Create(TestSpecs.Spec(TestSpecs.Model(dimension), particles));

    private static int[] CountPerCell(ParticleState state, int sign, int[] shape)
    {
        int cells = shape.Aggregate(1, (p, m) => p * m);
        var counts = new int[cells];
        for (int i = 0; i < state.Count; i++)
        {
            if (state.Signs[i] != sign)
            {
                continue;
            }
            int c = (int)(state.Positions[0][i] * shape[0]);
            if (shape.Length == 2)
            {
                c = c * shape[1] + (int)(state.Positions[1][i] * shape[1]);
            }
            counts[c]++;
        }
        return counts;
    }
}
