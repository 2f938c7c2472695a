using HpcGB.Engine.Cases;
using HpcGB.Engine.Forces.Reference;
using HpcGB.Engine.Model;

namespace HpcGB.Engine.Tests.Forces;

/// <summary>The two independent references, closed-form pair sums and direct Fourier sums, agree on whole systems.</summary>
public class ReferenceAgreementTests
{
    [Theory]
    [InlineData(1, KernelType.Log, RegularizationType.Gaussian, 0.05)]
    [InlineData(2, KernelType.Log, RegularizationType.Gaussian, 0.05)]
    [InlineData(2, KernelType.Edge, RegularizationType.Gaussian, 0.05)]
    [InlineData(1, KernelType.Log, RegularizationType.Poisson, 0.02)]
    public void WallSumsAgreeWithFourierSeriesOnWholeSystems(int d, KernelType kernel, RegularizationType type, double delta)
    {
        // Two independent references — closed-form wall sums and direct Fourier sums — on the same particles,
        // energies with their self terms included.
        var model = TestSystems.Model(d, kernel, type, delta, external: TestSystems.SomeField(d));
        var state = TestSystems.RandomWithDipole(d, 20, delta, seed: 5);
        var v = state.NewVectors();
        var w = state.NewVectors();
        double e = new PairSumEvaluator(model, KernelCases.For(model).PairKernel(model.Delta)).Evaluate(state, v, true);
        double f = new FourierSeriesEvaluator(model).Evaluate(state, w, true);
        Assert.Equal(f, e, 1e-11);
        for (int a = 0; a < d; a++)
        {
            for (int i = 0; i < state.Count; i++)
            {
                Assert.True(Math.Abs(v[a][i] - w[a][i]) <= 1e-11 * (1 + Math.Abs(w[a][i])), $"{v[a][i]:R} vs {w[a][i]:R}");
            }
        }
    }
}
