using HpcGB.Engine.Forces;
using HpcGB.Engine.Forces.Ewald;
using HpcGB.Engine.Model;
using HpcGB.Engine.Forces.NearField;
using HpcGB.Engine.Spec;
using Xunit.Abstractions;

namespace HpcGB.Engine.Tests.Ewald;

/// <summary>
/// The fast path (near field + PME) against the exact reference on the same particles, for every kernel ×
/// regularisation × backend (SIMD paths, OpenCL) × tolerance × configuration: the RMS relative velocity error
/// √(Σ|ẋ − ẋ_ref|² / Σ|ẋ_ref|²) must stay below the tolerance; the max error is reported.
/// </summary>
public class FastPathAccuracyTests(ITestOutputHelper output)
{
    public static TheoryData<int, KernelType, RegularizationType, string, string, double> Cases()
    {
        var data = new TheoryData<int, KernelType, RegularizationType, string, string, double>();
        foreach (var (d, kernel, type) in FastPathCases.Kernels())
        {
            foreach (string configuration in FastPathCases.Configurations(d))
            {
                foreach (double tolerance in new[] { 1e-4, 1e-6, 1e-8 })
                {
                    foreach (string backend in FastPathBackends.All())
                    {
                        data.Add(d, kernel, type, configuration, backend, tolerance);
                    }
                }
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void VelocityErrorIsBelowTolerance(int d, KernelType kernel, RegularizationType type, string configuration, string backend, double tolerance)
    {
        var model = FastPathCases.Model(d, kernel, type, configuration);
        var (state, reference, referenceEnergy) = FastPathCases.Reference(model, configuration);
        var parameters = EwaldParameterChooser.Choose(model, state.Count, tolerance);
        using var fast = FastPathBackends.Create(backend, model, parameters);
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

    /// <summary>
    /// 1D gaussian/poisson at the largest δ for which the chooser still splits (dropped tail δ²/r_c² just below
    /// 0.1 × tolerance): the dropped tail stays within the tolerance, on uniform and clustered particles.
    /// </summary>
    [Theory]
    [MemberData(nameof(ThresholdCases))]
    public void SplitAtTheLargestAllowedDeltaMeetsTheTolerance(RegularizationType type, string configuration, double tolerance, string backend)
    {
        double cutoff = EwaldParameterChooser.Neighbours1D / (2.0 * FastPathCases.Particles);
        double delta = 0.99 * cutoff * Math.Sqrt(EwaldParameterChooser.TruncatedTailFraction * tolerance);
        var model = new SystemModel(1, KernelType.Log, MobilityType.Isotropic, new Regularization(type, delta), ExternalPotential.None(1));
        var parameters = EwaldParameterChooser.Choose(model, FastPathCases.Particles, tolerance);
        Assert.False(parameters.MeshOnly);
        var (state, reference, _) = FastPathCases.Reference(model, configuration);
        using var fast = FastPathBackends.Create(backend, model, parameters);
        var velocity = state.NewVectors();
        fast.Evaluate(state, velocity, withEnergy: false);
        double err = 0, norm = 0;
        for (int i = 0; i < state.Count; i++)
        {
            err += Sq(velocity[0][i] - reference[0][i]);
            norm += Sq(reference[0][i]);
        }
        double rms = Math.Sqrt(err / norm);
        output.WriteLine($"{type} {configuration} δ = {delta:E2} {parameters}: RMS relative {rms:E2}");
        Assert.True(rms <= tolerance, $"RMS relative velocity error {rms:E2} > {tolerance:E0}");
    }

    public static TheoryData<RegularizationType, string, double, string> ThresholdCases()
    {
        var data = new TheoryData<RegularizationType, string, double, string>();
        foreach (var type in new[] { RegularizationType.Gaussian, RegularizationType.Poisson })
        {
            foreach (string configuration in new[] { "uniform", "clustered" })
            {
                foreach (double tolerance in new[] { 1e-4, 1e-6, 1e-8 })
                {
                    foreach (string backend in FastPathBackends.CpuAndDevice())
                    {
                        data.Add(type, configuration, tolerance, backend);
                    }
                }
            }
        }
        return data;
    }

    /// <summary>
    /// 1D gaussian/poisson with δ too large for the split's dropped tail and too small for a mesh: the fast path
    /// refuses with the way out, and auto falls back to the reference.
    /// </summary>
    [Theory]
    [InlineData(RegularizationType.Gaussian)]
    [InlineData(RegularizationType.Poisson)]
    public void OneDimensionalRegularisedKernelRefusesWhatNeitherPathCanMeet(RegularizationType type)
    {
        var model = new SystemModel(1, KernelType.Log, MobilityType.Isotropic, new Regularization(type, 1e-7), ExternalPotential.None(1));
        const int n = 100_000;
        var refusal = Assert.Throws<NotSupportedException>(() => EwaldParameterChooser.Choose(model, n, 1e-8));
        Assert.Contains("forces.method \"reference\"", refusal.Message);
        Assert.Equal("reference", ForceEvaluatorFactory.Create(model, new ForcesSpec(ForceMethod.Auto, 1e-8), n).Name);
        Assert.False(EwaldParameterChooser.Choose(model, 1000, 1e-6).MeshOnly);
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
