using HpcGB.Engine.Forces.Ewald;
using HpcGB.Engine.Forces.NearField;
using HpcGB.Engine.Model;
using HpcGB.Engine.Tests.Forces;

namespace HpcGB.Engine.Tests.Ewald;

/// <summary>
/// The ways the fast path shares its work between threads (<see cref="EwaldEvaluator"/>: one thread; the stages one
/// after the other, each forked, the mesh on its own row order or on the near field's layout; the mesh beside the
/// near field's parts) all meet the tolerance against the exact
/// reference, agree with one another to rounding and repeat bit for bit — on uniform, clustered and close-dipole
/// particles, one row per SIMD path.
/// </summary>
public class ThreadSplitTests
{
    private const double Tolerance = 1e-6;

    public static TheoryData<SimdPath, KernelType, string> Rows()
    {
        var data = new TheoryData<SimdPath, KernelType, string>();
        foreach (var path in ForceBackends.SupportedSimdPaths())
        {
            foreach (var kernel in new[] { KernelType.Log, KernelType.Edge })
            {
                foreach (string configuration in new[] { "uniform", "clustered", "dipoles-1e-9", "slip-plane" })
                {
                    data.Add(path, kernel, configuration);
                }
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void EverySplitMeetsTheToleranceAndRepeatsBitIdentically(SimdPath path, KernelType kernel, string configuration)
    {
        var model = FastPathCases.Model(2, kernel, RegularizationType.None, configuration);
        var (state, reference, referenceEnergy) = FastPathCases.Reference(model, configuration);
        var parameters = EwaldParameterChooser.Choose(model, state.Count, Tolerance);
        (double[][] Velocity, double Energy)? single = null;
        foreach (var (threads, overlap, inLayout) in new[] { (1, false, false), (2, false, false), (1, false, true), (2, false, true), (2, true, false), (3, true, false) })
        {
            using var fast = new EwaldEvaluator(model, parameters, path, threads, overlap, inLayout);
            var first = state.NewVectors();
            var second = state.NewVectors();
            double energy = fast.Evaluate(state, first, withEnergy: true);
            Assert.Equal(energy, fast.Evaluate(state, second, withEnergy: true));
            Assert.Equal(first[0], second[0]);
            Assert.Equal(first[1], second[1]);

            string label = $"{threads} threads, overlap {overlap}, mesh in the near field's layout {inLayout}";
            Assert.True(RelativeRms(first, reference) <= Tolerance, $"{label}: RMS relative error {RelativeRms(first, reference):E2}");
            Assert.True(Math.Abs(energy - referenceEnergy) <= 10 * Tolerance * Math.Max(Math.Abs(referenceEnergy), 1e-3), $"{label}: energy");
            single ??= (first, energy);
            // Other splits only sum the near-field parts in another grouping.
            Assert.True(RelativeRms(first, single.Value.Velocity) <= 1e-13, $"{label} vs 1 thread: {RelativeRms(first, single.Value.Velocity):E2}");
            Assert.Equal(single.Value.Energy, energy, 1e-12 * Math.Max(1, Math.Abs(energy)));
        }
    }

    /// <summary>√(Σ|v − w|² / Σ|w|²) over both components.</summary>
    /// <summary>
    /// Up to n = 10⁵ (the implicit integrator's sizes) the mesh runs beside the near field on several threads; at n = 10⁶
    /// its stages are threaded, on the particles in the near field's layout.
    /// </summary>
    [Theory]
    [InlineData(KernelType.Edge, MobilityType.Glide, 100_000, true)]
    [InlineData(KernelType.Edge, MobilityType.Isotropic, 100_000, true)]
    [InlineData(KernelType.Log, MobilityType.Isotropic, 100_000, true)]
    [InlineData(KernelType.Edge, MobilityType.Glide, 4096, true)]
    [InlineData(KernelType.Log, MobilityType.Isotropic, 1_000_000, false)]
    [InlineData(KernelType.Edge, MobilityType.Isotropic, 1_000_000, false)]
    public void TheMeshRunsBesideTheNearFieldUpToTenToTheFive(KernelType kernel, MobilityType mobility, int n, bool overlaps)
    {
        var model = new SystemModel(2, kernel, mobility, new Regularization(RegularizationType.None, 1e-6), ExternalPotential.None(2));
        var parameters = EwaldParameterChooser.Choose(model, n, Tolerance);
        Assert.Equal(overlaps, EwaldEvaluator.Overlaps(model, parameters, threads: 2));
        Assert.False(EwaldEvaluator.Overlaps(model, parameters, threads: 1));
        Assert.Equal(!overlaps, EwaldEvaluator.MeshInLayout(model, parameters));
    }

    private static double RelativeRms(double[][] v, double[][] w)
    {
        double err = 0, norm = 0;
        for (int a = 0; a < v.Length; a++)
        {
            for (int i = 0; i < v[a].Length; i++)
            {
                err += (v[a][i] - w[a][i]) * (v[a][i] - w[a][i]);
                norm += w[a][i] * w[a][i];
            }
        }
        return Math.Sqrt(err / norm);
    }
}
