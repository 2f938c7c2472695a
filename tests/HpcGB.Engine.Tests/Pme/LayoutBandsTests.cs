using HpcGB.Engine.Forces.NearField;
using HpcGB.Engine.Forces.Pme;
using HpcGB.Engine.Tests.NearField;

namespace HpcGB.Engine.Tests.Pme;

/// <summary>
/// The mesh's spreading bands in the near field's cluster layout, against the rows the particles' stencils actually
/// write: bands of one parity never write a row in common, each even band clears every row it writes before it
/// spreads, the even bands' cleared rows cover the mesh exactly once, and the bands hold every particle once and no
/// padding slot — on uniform and clustered particles, as built and after the particles moved within the skin.
/// </summary>
public class LayoutBandsTests
{
    private const int Order = 8;

    [Theory]
    [InlineData("uniform", 384, 0.0)]
    [InlineData("clustered", 384, 0.0)]
    [InlineData("uniform", 384, 1e-3)]
    [InlineData("clustered", 512, 1e-3)]
    public void BandsOfAPhaseWriteDisjointRowsClearedOnceBeforehand(string kind, int mesh, double halfSkin)
    {
        const int n = 20_000;
        var c = kind == "uniform" ? NearFieldSystems.Uniform(2, n, 71) : NearFieldSystems.Clustered(2, n, 72);
        var layout = new ClusterGrid();
        layout.Build(c.X1, c.X2, c.Signs, 0.02, 2, halfSkin);
        if (halfSkin > 0)
        {
            // Every particle moved by up to the half skin: the layout keeps its order and lists.
            var random = new Random(5);
            var x1 = new double[n];
            var x2 = new double[n];
            for (int i = 0; i < n; i++)
            {
                double angle = 2 * Math.PI * random.NextDouble(), step = 0.99 * halfSkin * random.NextDouble();
                x1[i] = Wrap(c.X1[i] + step * Math.Cos(angle));
                x2[i] = Wrap(c.X2[i] + step * Math.Sin(angle));
            }
            Assert.True(layout.Refresh(x1, x2, 2));
        }
        var bands = new LayoutBands(layout, mesh, Order);
        Assert.True(bands.Count >= 16 && bands.Count % 2 == 0, $"{bands.Count} bands");

        var writtenBy = new int[2][];
        writtenBy[0] = Enumerable.Repeat(-1, mesh).ToArray();
        writtenBy[1] = Enumerable.Repeat(-1, mesh).ToArray();
        var clearedBy = Enumerable.Repeat(-1, mesh).ToArray();
        var seen = new bool[n];
        for (int band = 0; band < bands.Count; band++)
        {
            var cleared = new HashSet<int>();
            if (band % 2 == 0)
            {
                var (begin, end) = bands.Cleared(band);
                for (int row = begin; row < end; row++)
                {
                    int wrapped = Mod(row, mesh);
                    Assert.True(clearedBy[wrapped] < 0, $"row {wrapped} cleared by bands {clearedBy[wrapped]} and {band}");
                    clearedBy[wrapped] = band;
                    cleared.Add(wrapped);
                }
            }
            for (int range = 0; range < bands.Ranges(band); range++)
            {
                var (first, last) = bands.Slots(band, range);
                for (int p = first; p < last; p++)
                {
                    int i = layout.Order[p];
                    Assert.True(i >= 0, $"band {band} holds padding slot {p}");
                    Assert.False(seen[i]);
                    seen[i] = true;
                    // The rows the spreading writes for this particle: its row and the p − 1 below.
                    int top = MeshStencil.Point(layout.X1[p], mesh, out _);
                    for (int q = 0; q < Order; q++)
                    {
                        int row = Mod(top - q, mesh);
                        int other = writtenBy[band % 2][row];
                        Assert.True(other < 0 || other == band, $"row {row} written by bands {other} and {band} of one phase");
                        writtenBy[band % 2][row] = band;
                        Assert.True(band % 2 == 1 || cleared.Contains(row), $"band {band} writes row {row} before it is cleared");
                    }
                }
            }
        }
        Assert.DoesNotContain(-1, clearedBy);
        Assert.DoesNotContain(false, seen);
    }

    [Fact]
    public void StripesNarrowerThanTheStencilMakeOneBand()
    {
        // 64 rows over 50 columns: a stripe of two columns is under three rows, less than the stencil's eight.
        var c = NearFieldSystems.Uniform(2, 20_000, 73);
        var layout = new ClusterGrid();
        layout.Build(c.X1, c.X2, c.Signs, 0.02, 1);
        Assert.True(layout.Stripes!.Count > 2);
        var bands = new LayoutBands(layout, 64, Order);
        Assert.Equal(1, bands.Count);
        Assert.Equal((0, 64), bands.Cleared(0));
        Assert.Equal(layout.Columns, bands.Ranges(0));
    }

    private static double Wrap(double x) => x - Math.Floor(x);

    private static int Mod(int value, int m) => ((value % m) + m) % m;
}
