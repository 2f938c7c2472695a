using HpcGB.Engine.Cases;
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
    public static TheoryData<int, KernelType, RegularizationType, MobilityType, double, bool> Cases()
    {
        var data = new TheoryData<int, KernelType, RegularizationType, MobilityType, double, bool>();
        foreach (var (d, kernel, type) in TestSystems.RealSpaceKernels())
        {
            foreach (double delta in new[] { 0.02, 1e-6 })
            {
                data.Add(d, kernel, type, MobilityType.Isotropic, delta, false);
            }
            data.Add(d, kernel, type, MobilityType.Isotropic, 1e-3, true);
        }
        data.Add(2, KernelType.Edge, RegularizationType.None, MobilityType.Glide, 0.02, false);
        data.Add(2, KernelType.Edge, RegularizationType.Gaussian, MobilityType.Glide, 1e-6, false);
        data.Add(2, KernelType.Edge, RegularizationType.None, MobilityType.Glide, 1e-3, true);
        return data;
    }

    /// <summary>
    /// −∂ẋ_i/∂x_k of the reference evaluator (central differences) = Σ_pairs of (b_i b_j/n)∇²V blocks, on random
    /// particles with a tight dipole at 3δ, or (clustered) with all but the dipole inside a disc of radius 0.02.
    /// </summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void AssembledHessianIsTheEvaluatorJacobian(
        int d, KernelType kernel, RegularizationType type, MobilityType mobility, double delta, bool clustered)
    {
        var model = TestSystems.Model(d, kernel, type, delta, mobility);
        var state = TestSystems.RandomWithDipole(d, 10, delta, seed: 3);
        if (clustered)
        {
            for (int a = 0; a < d; a++)
            {
                for (int i = 2; i < state.Count; i++)
                {
                    state.Positions[a][i] = 0.3 + 0.02 * (state.Positions[a][i] - 0.5);
                }
            }
        }
        if (mobility == MobilityType.Glide)
        {
            state.Positions[1][1] += 0.5 * delta; // different slip planes for the tight pair
        }
        int n = state.Count, m = mobility == MobilityType.Glide ? 1 : d;
        var hessian = PairHessian.Exact(model);
        var evaluator = new PairSumEvaluator(model, KernelCases.For(model).PairKernel(model.Delta));
        double[,] exact = Assemble(hessian, state, m);
        var plus = state.NewVectors();
        var minus = state.NewVectors();
        double largest = LargestOf(exact), worst = 0;
        for (int a = 0; a < m; a++)
        {
            for (int k = 0; k < n; k++)
            {
                // Step relative to the particle's closest distance: the dipole members need a step ≪ δ.
                double h = 1e-4 * ClosestDistance(state, k);
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
                        // Relative to the entry, with a floor of 1e-3·(largest entry) for the entries whose
                        // difference quotient carries the rounding of the largest ones.
                        worst = Math.Max(worst, Math.Abs(fd - value) / (Math.Abs(value) + 1e-3 * largest));
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
            var pair = KernelCases.For(model).PairKernel(model.Delta);
            var hessian = PairHessian.Exact(model);
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

    /// <summary>
    /// The Newton matrix's core-plus-constant Hessian equals the exact one up to the remainder's O(r²) variation,
    /// from tight dipoles (r = δ/100 … 3δ) out to the pair radius 0.06.
    /// </summary>
    [Theory]
    [InlineData(KernelType.Log, RegularizationType.Gaussian, 1e-9)]
    [InlineData(KernelType.Log, RegularizationType.Gaussian, 0.01)]
    [InlineData(KernelType.Log, RegularizationType.None, 1e-9)]
    [InlineData(KernelType.Edge, RegularizationType.Gaussian, 1e-9)]
    [InlineData(KernelType.Edge, RegularizationType.Gaussian, 0.01)]
    [InlineData(KernelType.Edge, RegularizationType.None, 1e-6)]
    public void NewtonHessianMatchesTheExactOneWithinThePairRadius(KernelType kernel, RegularizationType type, double delta)
    {
        var model = TestSystems.Model(2, kernel, type, delta);
        var exact = PairHessian.Exact(model);
        var fast = PairHessian.ForNewton(model);
        var random = new Random(2);
        foreach (double r in new[] { 0.01 * delta, 0.5 * delta, 3 * delta, 1e-3, 0.02, 0.06 })
        {
            double angle = 2 * Math.PI * random.NextDouble();
            double dx = 0.3 + r * Math.Cos(angle), dy = -0.2 + r * Math.Sin(angle); // any image of the same difference
            dx -= 0.3;
            dy += 0.2;
            exact.Second(dx, dy, out double e11, out double e12, out double e22);
            fast.Second(dx, dy, out double f11, out double f12, out double f22);
            double scale = Math.Abs(e11) + Math.Abs(e12) + Math.Abs(e22);
            double allowed = 1e-6 * scale + 50 * r * r; // ≤ 2.5e-4 relative at r = 0.06 (measured)
            Assert.True(Math.Abs(e11 - f11) + Math.Abs(e12 - f12) + Math.Abs(e22 - f22) < allowed,
                $"r = {r}: exact ({e11:G6}, {e12:G6}, {e22:G6}) vs ({f11:G6}, {f12:G6}, {f22:G6})");
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

    private static double ClosestDistance(ParticleState state, int k)
    {
        double closest = double.PositiveInfinity;
        for (int j = 0; j < state.Count; j++)
        {
            if (j != k)
            {
                double r2 = 0;
                for (int a = 0; a < state.Dimension; a++)
                {
                    double e = Torus.Nearest(state.Positions[a][k] - state.Positions[a][j]);
                    r2 += e * e;
                }
                closest = Math.Min(closest, Math.Sqrt(r2));
            }
        }
        return closest;
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
