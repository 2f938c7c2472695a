using HpcGB.Engine.Forces.Reference;
using HpcGB.Engine.Integrators.Implicit;
using HpcGB.Engine.Kernels;
using HpcGB.Engine.Model;
using HpcGB.Engine.Tests.Forces;

namespace HpcGB.Engine.Tests.Integrators.Implicit;

/// <summary>
/// The pair Hessians of the Newton matrix: assembled over all pairs they are the Jacobian of the reference
/// evaluator (finite differences of ẋ), and at tight dipoles (3δ, δ = 1e-6 and 1e-9) they match a
/// fourth-order difference of the exact kernel gradient at a coarser step.
/// </summary>
public sealed class PairHessianTests
{
    public static TheoryData<int, KernelType, RegularizationType, MobilityType, double> Cases()
    {
        var data = new TheoryData<int, KernelType, RegularizationType, MobilityType, double>();
        foreach (var (d, kernel, type) in TestSystems.RealSpaceKernels())
        {
            foreach (double delta in new[] { 0.02, 1e-6 })
            {
                data.Add(d, kernel, type, MobilityType.Isotropic, delta);
            }
        }
        data.Add(2, KernelType.Edge, RegularizationType.None, MobilityType.Glide, 0.02);
        data.Add(2, KernelType.Edge, RegularizationType.Gaussian, MobilityType.Glide, 1e-6);
        return data;
    }

    /// <summary>−∂ẋ_i/∂x_k of the reference evaluator (central differences) = Σ_pairs of (b_i b_j/n)∇²V blocks.</summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void AssembledHessianIsTheEvaluatorJacobian(int d, KernelType kernel, RegularizationType type, MobilityType mobility, double delta)
    {
        var model = TestSystems.Model(d, kernel, type, delta, mobility);
        var state = TestSystems.RandomWithDipole(d, 10, delta, seed: 3);
        if (mobility == MobilityType.Glide)
        {
            state.Positions[1][1] += 0.5 * delta; // different slip planes for the tight pair
        }
        int n = state.Count, m = mobility == MobilityType.Glide ? 1 : d;
        var hessian = new PairHessian(model);
        var evaluator = new PairSumEvaluator(model, PairKernels.Create(model));
        double[,] exact = Assemble(hessian, state, m);
        var plus = state.NewVectors();
        var minus = state.NewVectors();
        double largest = 0, worst = 0;
        for (int a = 0; a < m; a++)
        {
            for (int k = 0; k < n; k++)
            {
                // Step relative to the particle's closest distance: the dipole members need a step ≪ δ.
                double h = 1e-4 * (k < 2 ? 3 * delta : 0.05);
                double x = state.Positions[a][k];
                state.Positions[a][k] = x + h;
                evaluator.Evaluate(state, plus, withEnergy: false);
                state.Positions[a][k] = x - h;
                evaluator.Evaluate(state, minus, withEnergy: false);
                state.Positions[a][k] = x;
                for (int b = 0; b < m; b++)
                {
                    for (int i = 0; i < n; i++)
                    {
                        double fd = -(plus[b][i] - minus[b][i]) / (2 * h);
                        double value = exact[b * n + i, a * n + k];
                        largest = Math.Max(largest, Math.Abs(value));
                        worst = Math.Max(worst, Math.Abs(fd - value) / (Math.Abs(value) + 1e-3 * LargestOf(exact)));
                    }
                }
            }
        }
        Assert.True(worst < 1e-5, $"relative deviation {worst:E2} (largest entry {largest:E2})");
    }

    [Theory]
    [InlineData(2, KernelType.Log, RegularizationType.Gaussian)]
    [InlineData(2, KernelType.Log, RegularizationType.None)]
    [InlineData(2, KernelType.Edge, RegularizationType.Gaussian)]
    [InlineData(2, KernelType.Edge, RegularizationType.None)]
    [InlineData(1, KernelType.Log, RegularizationType.Gaussian)]
    [InlineData(1, KernelType.Log, RegularizationType.Poisson)]
    [InlineData(1, KernelType.Log, RegularizationType.None)]
    public void TightDipoleHessianMatchesFourthOrderDifferences(int d, KernelType kernel, RegularizationType type)
    {
        foreach (double delta in new[] { 1e-6, 1e-9 })
        {
            var model = TestSystems.Model(d, kernel, type, delta);
            var pair = PairKernels.Create(model);
            var hessian = new PairHessian(model);
            double dx = 3 * delta * (d == 2 ? 0.6 : 1.0), dy = d == 2 ? -3 * delta * 0.8 : 0.0;
            double h = 1e-2 * 3 * delta;
            double h11 = d == 2 ? Second(pair, dx, dy, h, 0, 0) : hessian.Second11(dx, dy);
            if (d == 2)
            {
                hessian.Second(dx, dy, out double e11, out double e12, out double e22);
                double scale = Math.Abs(e11) + Math.Abs(e22) + Math.Abs(e12);
                Assert.True(Math.Abs(e11 - h11) < 1e-6 * scale, $"δ = {delta}: h11 {e11:R} vs {h11:R}");
                Assert.True(Math.Abs(e12 - Second(pair, dx, dy, h, 0, 1)) < 1e-6 * scale, $"δ = {delta}: h12");
                Assert.True(Math.Abs(e22 - Second(pair, dx, dy, h, 1, 1)) < 1e-6 * scale, $"δ = {delta}: h22");
                Assert.True(Math.Abs(hessian.Second11(dx, dy) - e11) < 1e-9 * scale);
            }
            else
            {
                double coarse = Second(pair, dx, 0, h, 0, 0);
                Assert.True(Math.Abs(h11 - coarse) < 1e-6 * Math.Abs(coarse), $"δ = {delta}: {h11:R} vs {coarse:R}");
            }
        }
    }

    /// <summary>The dense n∇²E pair part over all pairs (test-only; the engine never forms it).</summary>
    private static double[,] Assemble(PairHessian hessian, ParticleState state, int m)
    {
        int n = state.Count;
        var result = new double[m * n, m * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                if (i == j)
                {
                    continue;
                }
                double dx = state.Positions[0][i] - state.Positions[0][j];
                double dy = state.Dimension == 2 ? state.Positions[1][i] - state.Positions[1][j] : 0;
                double bb = state.Signs[i] * state.Signs[j] / (double)n;
                double[,] block = new double[m, m];
                if (m == 1)
                {
                    block[0, 0] = hessian.Second11(dx, dy);
                }
                else
                {
                    hessian.Second(dx, dy, out block[0, 0], out block[0, 1], out block[1, 1]);
                    block[1, 0] = block[0, 1];
                }
                for (int a = 0; a < m; a++)
                {
                    for (int b = 0; b < m; b++)
                    {
                        result[a * n + i, b * n + i] += bb * block[a, b];
                        result[a * n + i, b * n + j] -= bb * block[a, b];
                    }
                }
            }
        }
        return result;
    }

    private static double LargestOf(double[,] matrix)
    {
        double largest = 0;
        foreach (double v in matrix)
        {
            largest = Math.Max(largest, Math.Abs(v));
        }
        return largest;
    }

    /// <summary>∂_a ∂_b V by the fourth-order central difference of the gradient's component b along axis a.</summary>
    private static double Second(IPairKernel pair, double dx, double dy, double h, int a, int b)
    {
        double Component(double s)
        {
            pair.Gradient(dx + (a == 0 ? s : 0), dy + (a == 1 ? s : 0), out double gx, out double gy);
            return b == 0 ? gx : gy;
        }
        return (8 * (Component(h) - Component(-h)) - (Component(2 * h) - Component(-2 * h))) / (12 * h);
    }
}
