using HpcGB.Engine.Forces.Ewald;
using HpcGB.Engine.Model;

namespace HpcGB.Engine.Tests.Ewald;

/// <summary>The mesh rule's sizes for the peer workload (edge, unregularised); the accuracy they give is checked by
/// <see cref="FastPathAccuracyTests"/> (rows <c>glide-…</c>).</summary>
public class EwaldParameterChooserTests
{
    [Theory]
    // n = 4096: 50 neighbours (the small-mesh rule) at both mobilities; n = 16384 and 10⁵: 100.
    [InlineData(4096, 288, 256)]
    [InlineData(16384, 432, 384)]
    [InlineData(100_000, 1024, 864)]
    public void GlideTakesTheSmallerEdgeMesh(int n, int isotropicMesh, int glideMesh)
    {
        var isotropic = EwaldParameterChooser.Choose(Edge(MobilityType.Isotropic), n, 1e-6);
        var glide = EwaldParameterChooser.Choose(Edge(MobilityType.Glide), n, 1e-6);
        Assert.Equal(isotropicMesh, isotropic.Mesh);
        Assert.Equal(glideMesh, glide.Mesh);
        // The same split: only the mesh differs.
        Assert.Equal(isotropic.Cutoff, glide.Cutoff);
        Assert.Equal(isotropic.Sigma, glide.Sigma);
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
