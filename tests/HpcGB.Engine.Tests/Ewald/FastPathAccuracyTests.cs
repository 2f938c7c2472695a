using HpcGB.Engine.Cases;
using HpcGB.Engine.Forces;
using HpcGB.Engine.Forces.Ewald;
using HpcGB.Engine.Model;
using HpcGB.Engine.Forces.NearField;
using HpcGB.Engine.Spec;
using HpcGB.Engine.Tests.Forces;
using Xunit.Abstractions;

namespace HpcGB.Engine.Tests.Ewald;

/// <summary>
/// Every approximate backend (<see cref="ForceBackends.Approximate"/>: PME on each SIMD path, …) against the exact
/// reference on the same particles, for every case it supports × tolerance × configuration: the RMS relative velocity
/// error √(Σ|ẋ − ẋ_ref|² / Σ|ẋ_ref|²) must stay below the tolerance; the max error is reported.
/// </summary>
public class FastPathAccuracyTests(ITestOutputHelper output)
{
    public static TheoryData<string, int, KernelType, RegularizationType, string, double> Cases()
    {
        var data = new TheoryData<string, int, KernelType, RegularizationType, string, double>();
        foreach (var backend in ForceBackends.Approximate)
        {
            foreach (var c in KernelCases.All.Where(backend.Supports))
            {
                var configurations = FastPathCases.Configurations(c.Dimension);
                if (c.Kernel == KernelType.Edge)
                {
                    configurations = configurations.Concat(FastPathCases.GlideConfigurations);
                }
                foreach (string configuration in configurations)
                {
                    // 1e-10: the reference runs' tolerance, where the band of the spectrum is narrowest against the mesh;
                    // 1e-1 and 1e-2: the loosest the spec allows, where the chooser's reach q extrapolates its measured
                    // near-field error A e^{−q²/2} (measured at q = 3.5 … 6.5; log q = 1.4 at 1e-1).
                    foreach (double tolerance in new[] { 1e-1, 1e-2, 1e-4, 1e-6, 1e-8, 1e-10 })
                    {
                        data.Add(backend.Name, c.Dimension, c.Kernel, c.Regularization, configuration, tolerance);
                    }
                }
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void VelocityErrorIsBelowTolerance(string backend, int d, KernelType kernel, RegularizationType type, string configuration, double tolerance)
    {
        var model = FastPathCases.Model(d, kernel, type, configuration);
        var (state, reference, referenceEnergy) = FastPathCases.Reference(model, configuration);
        var fast = ForceBackends.Named(backend).Create(model, state.Count, tolerance);
        using var disposable = fast as IDisposable;
        var velocity = state.NewVectors();
        double energy = fast.Evaluate(state, velocity, withEnergy: true);
        string parameters = string.Join(", ", fast.Parameters.Select(p => $"{p.Key} = {p.Value}"));

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
    public void SplitAtTheLargestAllowedDeltaMeetsTheTolerance(string backend, RegularizationType type, string configuration, double tolerance)
    {
        double cutoff = EwaldParameterChooser.Neighbours1D / (2.0 * FastPathCases.Particles);
        double delta = 0.99 * cutoff * Math.Sqrt(EwaldParameterChooser.TruncatedTailFraction * tolerance);
        var model = new SystemModel(1, KernelType.Log, MobilityType.Isotropic, new Regularization(type, delta), ExternalPotential.None(1));
        var parameters = EwaldParameterChooser.Choose(model, FastPathCases.Particles, tolerance);
        Assert.False(parameters.MeshOnly);
        var (state, reference, _) = FastPathCases.Reference(model, configuration);
        var fast = ForceBackends.Named(backend).Create(model, state.Count, tolerance);
        using var disposable = fast as IDisposable;
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

    public static TheoryData<string, RegularizationType, string, double> ThresholdCases()
    {
        var data = new TheoryData<string, RegularizationType, string, double>();
        foreach (var backend in ForceBackends.Approximate)
        {
            foreach (var type in new[] { RegularizationType.Gaussian, RegularizationType.Poisson })
            {
                foreach (string configuration in new[] { "uniform", "clustered" })
                {
                    foreach (double tolerance in new[] { 1e-4, 1e-6, 1e-8 })
                    {
                        data.Add(backend.Name, type, configuration, tolerance);
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

    private static double Sq(double x) => x * x;
}
