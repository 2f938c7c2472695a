using HpcGB.Engine.Forces.Ewald;
using HpcGB.Engine.Forces.NearField;
using HpcGB.Engine.Model;
using HpcGB.Engine.Tests.Forces;

namespace HpcGB.Engine.Tests.Ewald;

/// <summary>
/// The fast backends' results do not depend on timing: same thread count on the CPU, same device on OpenCL (their
/// invariants and accuracy: <see cref="InvariantTests"/>, <see cref="FastPathAccuracyTests"/>).
/// </summary>
public class FastPathConsistencyTests
{
    public static TheoryData<string, KernelType> Rows()
    {
        var data = new TheoryData<string, KernelType>();
        foreach (var backend in ForceBackends.Approximate)
        {
            data.Add(backend.Name, KernelType.Log);
            data.Add(backend.Name, KernelType.Edge);
        }
        return data;
    }

    /// <summary>Same thread count on the CPU, same device on OpenCL: repeats are bit-identical.</summary>
    [Theory]
    [MemberData(nameof(Rows))]
    public void RepeatedEvaluationsAreBitIdentical(string backend, KernelType kernel)
    {
        var model = TestSystems.Model(2, kernel, RegularizationType.Gaussian, 1e-3);
        var state = TestSystems.RandomWithDipole(2, 3000, 1e-3, seed: 8);
        var evaluator = ForceBackends.Named(backend).Create(model, state.Count, 1e-6);
        using var disposable = evaluator as IDisposable;
        var first = state.NewVectors();
        var second = state.NewVectors();
        double e1 = evaluator.Evaluate(state, first, withEnergy: true);
        double e2 = evaluator.Evaluate(state, second, withEnergy: true);
        Assert.Equal(e1, e2);
        Assert.Equal(first[0], second[0]);
        Assert.Equal(first[1], second[1]);
    }
}
