using HpcGB.Engine.Forces.Ewald;
using HpcGB.Engine.Forces.NearField;
using HpcGB.Engine.Model;
using HpcGB.Engine.Tests.Forces;

namespace HpcGB.Engine.Tests.Ewald;

/// <summary>
/// The fast path's energy and forces belong together, and its results do not depend on timing: on the CPU (the
/// widest SIMD path) and on OpenCL (<see cref="FastPathBackends"/>), one row each.
/// </summary>
public class FastPathConsistencyTests
{
    public static TheoryData<int, KernelType, RegularizationType, string> Kernels()
    {
        var data = new TheoryData<int, KernelType, RegularizationType, string>();
        foreach (var (d, kernel, type) in FastPathCases.Kernels())
        {
            foreach (string backend in FastPathBackends.CpuAndDevice())
            {
                data.Add(d, kernel, type, backend);
            }
        }
        return data;
    }

    public static TheoryData<KernelType, string> EdgeAndLog()
    {
        var data = new TheoryData<KernelType, string>();
        foreach (var kernel in new[] { KernelType.Log, KernelType.Edge })
        {
            foreach (string backend in FastPathBackends.CpuAndDevice())
            {
                data.Add(kernel, backend);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void VelocityIsMinusNTimesTheFastEnergyGradient(int d, KernelType kernel, RegularizationType type, string backend)
    {
        // Near field and mesh each differentiate their own energy exactly (analytic B-spline derivatives), so the
        // fast energy and fast velocities agree to far below the tolerance, not merely within it.
        var model = TestSystems.Model(d, kernel, type, 0.01, external: TestSystems.SomeField(d));
        var state = TestSystems.RandomWithDipole(d, 60, 0.01, seed: 21);
        int n = state.Count;
        using var evaluator = FastPathBackends.Create(backend, model, EwaldParameterChooser.Choose(model, n, 1e-8));
        var velocity = state.NewVectors();
        evaluator.Evaluate(state, velocity, withEnergy: false);
        // Fourth-order differences: random particles can sit 1e-4 apart, where central differences with
        // h = 1e-6 are off by h²/(3x³)/(1/x) ≈ 2e-5 relative.
        const double h = 1e-6;
        double EnergyAt(int i, int a, double shift)
        {
            double saved = state.Positions[a][i];
            state.Positions[a][i] = saved + shift;
            double e = evaluator.Evaluate(state, state.NewVectors(), withEnergy: true);
            state.Positions[a][i] = saved;
            return e;
        }
        foreach (int i in new[] { 0, 1, 17 })
        {
            for (int a = 0; a < d; a++)
            {
                double gradient = (-EnergyAt(i, a, 2 * h) + 8 * EnergyAt(i, a, h) - 8 * EnergyAt(i, a, -h) + EnergyAt(i, a, -2 * h)) / (12 * h);
                double expected = -n * gradient;
                Assert.True(Math.Abs(velocity[a][i] - expected) <= 1e-5 * (1 + Math.Abs(expected)),
                    $"particle {i} axis {a}: ẋ = {velocity[a][i]:R}, −n∂E = {expected:R}");
            }
        }
    }

    /// <summary>Same thread count on the CPU, same device on OpenCL: repeats are bit-identical.</summary>
    [Theory]
    [MemberData(nameof(EdgeAndLog))]
    public void RepeatedEvaluationsAreBitIdentical(KernelType kernel, string backend)
    {
        var model = TestSystems.Model(2, kernel, RegularizationType.Gaussian, 1e-3);
        var state = TestSystems.RandomWithDipole(2, 3000, 1e-3, seed: 8);
        using var evaluator = FastPathBackends.Create(backend, model, EwaldParameterChooser.Choose(model, state.Count, 1e-6));
        var first = state.NewVectors();
        var second = state.NewVectors();
        double e1 = evaluator.Evaluate(state, first, withEnergy: true);
        double e2 = evaluator.Evaluate(state, second, withEnergy: true);
        Assert.Equal(e1, e2);
        Assert.Equal(first[0], second[0]);
        Assert.Equal(first[1], second[1]);
    }
}
