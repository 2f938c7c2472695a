using HpcGB.Engine.Forces;
using HpcGB.Engine.Forces.Ewald;
using HpcGB.Engine.Model;
using HpcGB.Engine.Forces.NearField;
using HpcGB.Engine.Spec;
using Xunit.Abstractions;

namespace HpcGB.Engine.Tests.Ewald;

/// <summary>
/// The fast path (near field + PME) against the exact reference on the same particles, for every kernel ×
/// regularisation × SIMD path × tolerance × configuration: the RMS relative velocity error
/// √(Σ|ẋ − ẋ_ref|² / Σ|ẋ_ref|²) must stay below the tolerance; the max error is reported.
/// </summary>
public class FastPathAccuracyTests(ITestOutputHelper output)
{
    public static TheoryData<int, KernelType, RegularizationType, string, SimdPath, double> Cases()
    {
        var data = new TheoryData<int, KernelType, RegularizationType, string, SimdPath, double>();
        foreach (var (d, kernel, type) in FastPathCases.Kernels())
        {
            foreach (string configuration in FastPathCases.Configurations(d))
            {
                foreach (double tolerance in new[] { 1e-4, 1e-6, 1e-8 })
                {
                    foreach (var simd in SimdPaths())
                    {
                        data.Add(d, kernel, type, configuration, simd, tolerance);
                    }
                }
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void VelocityErrorIsBelowTolerance(int d, KernelType kernel, RegularizationType type, string configuration, SimdPath simd, double tolerance)
    {
        var model = FastPathCases.Model(d, kernel, type, configuration);
        var (state, reference, referenceEnergy) = FastPathCases.Reference(model, configuration);
        if (EwaldSplit.RequiresMeshOnly(model) && model.Delta < 1e-8)
        {
            // 1D gaussian/poisson live on the mesh alone (no exact real-space split): at δ = 1e-9 that would be a
            // ~10^9-point mesh. The fast path must refuse clearly, and auto must fall back to the reference.
            var refusal = Assert.Throws<NotSupportedException>(() => EwaldParameterChooser.Choose(model, state.Count, tolerance));
            Assert.Contains("forces.method \"reference\"", refusal.Message);
            var auto = ForceEvaluatorFactory.Create(model, new ForcesSpec(ForceMethod.Auto, tolerance), 1_000_000);
            Assert.Equal("reference", auto.Name);
            return;
        }
        var parameters = EwaldParameterChooser.Choose(model, state.Count, tolerance);
        using var fast = new EwaldEvaluator(model, parameters, simd, threads: 2);
        var velocity = state.NewVectors();
        double energy = fast.Evaluate(state, velocity, withEnergy: true);

        double err = 0, norm = 0, max = 0;
        for (int i = 0; i < state.Count; i++)
        {
            double e2 = 0, r2 = 0;
            for (int a = 0; a < d; a++)
            {
                e2 += Sq(velocity[a][i] - reference[a][i]);
                r2 += Sq(reference[a][i]);
            }
            err += e2;
            norm += r2;
            max = Math.Max(max, Math.Sqrt(e2));
        }
        double rms = Math.Sqrt(err / norm);
        double maxRelative = max / Math.Sqrt(norm / state.Count);
        output.WriteLine($"{parameters}: RMS relative {rms:E2}, max/RMS {maxRelative:E2}, energy {Math.Abs(energy - referenceEnergy) / Math.Abs(referenceEnergy):E2}");
        Assert.True(rms <= tolerance, $"RMS relative velocity error {rms:E2} > {tolerance:E0} ({parameters})");
        Assert.True(Math.Abs(energy - referenceEnergy) <= 10 * tolerance * Math.Max(Math.Abs(referenceEnergy), 1e-3),
            $"energy {energy:R} vs {referenceEnergy:R}");
    }

    internal static IEnumerable<SimdPath> SimdPaths()
    {
        yield return SimdPath.Scalar;
        if (System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated)
        {
            yield return SimdPath.Avx2;
        }
        if (System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated)
        {
            yield return SimdPath.Avx512;
        }
    }

    private static double Sq(double x) => x * x;
}
