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

    /// <summary>
    /// Both of two evaluations on a fresh evaluator meet the tolerance against the exact reference, on close dipoles
    /// (δ = 1e-6, 3δ apart) with the chooser's parameters at n = 400 (50 neighbours: a short cut-off, few pairs per
    /// particle). The OpenCL near field once read unwritten slots of its private pair queue in the masked last block:
    /// garbage coordinates times a zero weight gave NaN on the first evaluation only.
    /// </summary>
    [Theory]
    [MemberData(nameof(Rows))]
    public void FirstAndSecondEvaluationOnAFreshEvaluatorMeetTheTolerance(string backend, KernelType kernel)
    {
        const double tolerance = 1e-4;
        const string configuration = "dipoles-1e-6";
        var model = FastPathCases.Model(2, kernel, RegularizationType.Gaussian, configuration);
        var (state, reference, _) = FastPathCases.Reference(model, configuration);
        var evaluator = ForceBackends.Named(backend).Create(model, state.Count, tolerance);
        using var disposable = evaluator as IDisposable;
        for (int evaluation = 1; evaluation <= 2; evaluation++)
        {
            var velocity = state.NewVectors();
            evaluator.Evaluate(state, velocity, withEnergy: evaluation == 2);
            double err = 0, norm = 0;
            for (int a = 0; a < 2; a++)
            {
                for (int i = 0; i < state.Count; i++)
                {
                    err += (velocity[a][i] - reference[a][i]) * (velocity[a][i] - reference[a][i]);
                    norm += reference[a][i] * reference[a][i];
                }
            }
            double rms = Math.Sqrt(err / norm);
            Assert.True(rms <= tolerance, $"evaluation {evaluation}: RMS relative velocity error {rms:E2} > {tolerance:E0}");
        }
    }
}
