using HpcGB.Engine.Cases;
using HpcGB.Engine.Forces.Ewald;
using HpcGB.Engine.Model;
using HpcGB.Interop.Fftw;
using Xunit.Abstractions;

namespace HpcGB.Engine.Tests.Ewald;

/// <summary>The mesh rule's sizes for the peer workload (edge, unregularised); the accuracy they give is checked by
/// <see cref="FastPathAccuracyTests"/> (rows <c>glide-…</c>).</summary>
public class EwaldParameterChooserTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(KernelType.Log, RegularizationType.Gaussian)]
    [InlineData(KernelType.Log, RegularizationType.None)]
    [InlineData(KernelType.Edge, RegularizationType.None)]
    [InlineData(KernelType.Edge, RegularizationType.Gaussian)]
    public void BandCutsWhereTheLongFactorFallsBelowAHundredthOfTheTolerance(KernelType kernel, RegularizationType type)
    {
        // Both sides of the cut: every dropped column has F ≤ BandFraction·tol (the stated bound), and the last kept
        // block does not all lie beyond it (the cut is no farther than a block past the bound); where the bound lies
        // beyond the half spectrum the band is off.
        var model = new SystemModel(2, kernel, MobilityType.Isotropic, new Regularization(type, 1e-5), ExternalPotential.None(2));
        var rule = KernelCases.For(model).Split!;
        foreach (int n in new[] { 400, 4096, 100_000, 1_000_000 })
        {
            // (n = 10⁶ below 1e-6 would need more than the largest mesh.)
            foreach (double tolerance in new[] { 1e-4, 1e-6, 1e-8, 1e-10 }.Where(t => n < 1_000_000 || t >= 1e-6))
            {
                var p = EwaldParameterChooser.Choose(model, n, tolerance);
                double F(int k) => rule.LongFactor(p.Sigma, model.Delta, (double)k * k);
                double bound = EwaldParameterChooser.BandFraction * tolerance;
                int half = p.Mesh / 2 + 1;
                output.WriteLine($"n = {n} tol {tolerance:E0}: M = {p.Mesh}, columns {p.BandColumns?.ToString() ?? "all"} of {half}");
                if (p.BandColumns is { } columns)
                {
                    Assert.Equal(0, columns % BandLimitedFft.ColumnBlock);
                    Assert.True(columns < half);
                    Assert.True(F(columns) <= bound, $"n = {n} tol {tolerance}: F({columns}) = {F(columns):E2} > {bound:E0}");
                    Assert.True(F(columns - BandLimitedFft.ColumnBlock) > bound, $"n = {n} tol {tolerance}: the cut {columns} is a block too far");
                }
                else
                {
                    int firstBlockPastTheBound = (Enumerable.Range(0, half).First(k => F(k) <= bound || k == half - 1) + BandLimitedFft.ColumnBlock - 1)
                        / BandLimitedFft.ColumnBlock * BandLimitedFft.ColumnBlock;
                    Assert.True(firstBlockPastTheBound >= half, $"n = {n} tol {tolerance}: the band is off though {firstBlockPastTheBound} < {half}");
                }
            }
        }
    }

    /// <summary>
    /// The mesh is the smallest FFT-friendly size for the neighbours' width, and the split is then narrowed to the width
    /// that this mesh still meets both bounds for (2K ≤ M and the B-spline error within its share), one of them exactly:
    /// the margin of rounding M up goes to a shorter cut-off (n = 10⁶ log: M = 2240 where 1975 was needed).
    /// </summary>
    [Theory]
    [InlineData(KernelType.Log, 1_000_000, 2240)]
    [InlineData(KernelType.Edge, 1_000_000, 2560)]
    [InlineData(KernelType.Log, 100_000, 640)]
    [InlineData(KernelType.Edge, 4096, 240)]
    public void TheMeshsMarginShortensTheCutoff(KernelType kernel, int n, int mesh)
    {
        var model = new SystemModel(2, kernel, MobilityType.Isotropic, new Regularization(RegularizationType.Gaussian, 1e-4), ExternalPotential.None(2));
        var rule = KernelCases.For(model).Split!;
        const double tolerance = 1e-6;
        var p = EwaldParameterChooser.Choose(model, n, tolerance);
        double q = EwaldParameterChooser.Reach(rule, tolerance);
        double width = p.Cutoff / q;
        double waveBound = EwaldParameterChooser.MeshPerWaveNumber * q / (2 * Math.PI * width);
        double splineBound = Math.Pow(rule.SplineErrorConstantFor(model.Mobility) / (EwaldParameterChooser.SplineFraction * tolerance), 1.0 / p.Order) / width;
        output.WriteLine($"{kernel} n = {n}: M = {p.Mesh}, r_c = {p.Cutoff:G6} ({Math.PI * n * p.Cutoff * p.Cutoff:F1} neighbours), bounds {waveBound:F1}, {splineBound:F1}");
        Assert.Equal(mesh, p.Mesh);
        Assert.True(p.Cutoff <= PlainCutoff(n, p.Mesh < 512 ? EwaldParameterChooser.NeighboursSmallMesh : EwaldParameterChooser.Neighbours));
        Assert.Equal(p.Mesh, Math.Max(waveBound, splineBound), 1e-9 * p.Mesh);
        Assert.Equal(rule.SigmaFor(width, model.Delta), p.Sigma, 1e-15);
        if (kernel == KernelType.Log && n == 1_000_000)
        {
            Assert.True(p.Cutoff < 0.9 * PlainCutoff(n, EwaldParameterChooser.Neighbours));
        }
    }

    /// <summary>
    /// Where r_c is the box's ½ (a handful of particles) the split keeps the mesh's margin: narrowed, n = 6 at δ = w/2
    /// missed tolerance 1e-6 (2.5e-6 against the reference in the CLI's <c>forces</c> test).
    /// </summary>
    [Fact]
    public void ABoxBoundSplitKeepsItsMargin()
    {
        var model = new SystemModel(2, KernelType.Log, MobilityType.Isotropic, new Regularization(RegularizationType.Gaussian, 0.05), ExternalPotential.None(2));
        var p = EwaldParameterChooser.Choose(model, 6, 1e-6);
        Assert.False(p.MeshOnly);
        Assert.Equal(0.5, p.Cutoff);
    }

    private static double PlainCutoff(int n, double neighbours) => Math.Sqrt(neighbours / (Math.PI * n));

    [Theory]
    // n = 4096 and 16384: 50 neighbours (the small-mesh rule) at both mobilities; n = 10⁵: 100.
    [InlineData(4096, 240, 216)]
    [InlineData(16384, 480, 432)]
    [InlineData(100_000, 864, 768)]
    public void GlideTakesTheSmallerEdgeMesh(int n, int isotropicMesh, int glideMesh)
    {
        var isotropic = EwaldParameterChooser.Choose(Edge(MobilityType.Isotropic), n, 1e-6);
        var glide = EwaldParameterChooser.Choose(Edge(MobilityType.Glide), n, 1e-6);
        Assert.Equal(isotropicMesh, isotropic.Mesh);
        Assert.Equal(glideMesh, glide.Mesh);
        // The same neighbours, each split then narrowed to its own mesh (TheMeshsMarginShortensTheCutoff).
        Assert.Equal(isotropic.Cutoff, glide.Cutoff, 0.02 * isotropic.Cutoff);
        Assert.Equal(8, glide.Order);
    }

    [Fact]
    public void GlideLeavesTheLogMeshAsItIs()
    {
        var model = new SystemModel(2, KernelType.Log, MobilityType.Glide, new Regularization(RegularizationType.None, 1e-6), ExternalPotential.None(2));
        var isotropic = model with { Mobility = MobilityType.Isotropic };
        Assert.Equal(EwaldParameterChooser.Choose(isotropic, 100_000, 1e-6), EwaldParameterChooser.Choose(model, 100_000, 1e-6));
    }

    private static SystemModel Edge(MobilityType mobility) =>
        new(2, KernelType.Edge, mobility, new Regularization(RegularizationType.None, 1e-6), ExternalPotential.None(2));
}
