using HpcGB.Engine.Forces.Ewald;
using HpcGB.Engine.Forces.NearField;
using HpcGB.Engine.Model;
using HpcGB.Engine.Tests.Forces;

namespace HpcGB.Engine.Tests.Ewald;

/// <summary>The fast path's results do not depend on timing (its invariants: <see cref="InvariantTests"/>).</summary>
public class FastPathConsistencyTests
{
    [Theory]
    [InlineData(KernelType.Log)]
    [InlineData(KernelType.Edge)]
    public void SameThreadCountGivesBitIdenticalResults(KernelType kernel)
    {
        var model = TestSystems.Model(2, kernel, RegularizationType.Gaussian, 1e-3);
        var state = TestSystems.RandomWithDipole(2, 3000, 1e-3, seed: 8);
        using var evaluator = new EwaldEvaluator(model, EwaldParameterChooser.Choose(model, state.Count, 1e-6), SimdPath.Auto, threads: 2);
        var first = state.NewVectors();
        var second = state.NewVectors();
        double e1 = evaluator.Evaluate(state, first, withEnergy: true);
        double e2 = evaluator.Evaluate(state, second, withEnergy: true);
        Assert.Equal(e1, e2);
        Assert.Equal(first[0], second[0]);
        Assert.Equal(first[1], second[1]);
    }
}
