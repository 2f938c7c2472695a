using HpcGB.Engine.Cases;
using HpcGB.Engine.Forces.Reference;
using HpcGB.Engine.Integrators;
using HpcGB.Engine.Integrators.Implicit;
using HpcGB.Engine.Kernels;
using HpcGB.Engine.Model;
using HpcGB.Engine.Tests.Simulation;
using Xunit.Abstractions;

namespace HpcGB.Engine.Tests.Integrators.Implicit;

/// <summary>One implicit stage, solved from a chosen start.</summary>
public sealed class StageSolverTests(ITestOutputHelper output)
{
    /// <summary>
    /// A start that is a critical point of Φ (x̃ = x − γẋ(x)) with Φ concave along an attracting pair's approach
    /// (γ·2/(n r²) ≈ 100): Newton has nothing to correct there, and the solve must go on to the minimiser, with
    /// the pair in its core, instead of stopping at the saddle.
    /// </summary>
    [Theory]
    [InlineData(MobilityType.Isotropic)]
    [InlineData(MobilityType.Glide)]
    public void SaddleOfThePairApproachIsEscapedIntoTheCore(MobilityType mobility)
    {
        const double delta = 1e-3, gamma = 0.05;
        var model = TestSpecs.Model(mobility: mobility, delta: delta);
        var start = new ParticleState([[0.30, 0.315, 0.7, 0.8], [0.4, 0.4, 0.2, 0.75]], [1, -1, 1, -1]);
        var evaluator = new PairSumEvaluator(model, KernelCases.For(model).PairKernel(model.Delta));
        int moving = mobility == MobilityType.Glide ? 1 : 2;
        var velocity = start.NewVectors();
        evaluator.Evaluate(start, velocity, withEnergy: false);
        var target = new double[moving][];
        for (int a = 0; a < moving; a++)
        {
            target[a] = start.Positions[a].Select((x, i) => x - gamma * velocity[a][i]).ToArray();
        }
        var stage = Stages.StageState(start, moving);
        for (int a = 0; a < moving; a++)
        {
            Array.Copy(start.Positions[a], stage.Positions[a], start.Count);
        }
        var matrix = new NewtonMatrix(model, start.Count, moving);
        var solver = new StageSolver(evaluator, stage, matrix, moving, 0.25);

        Assert.True(solver.Solve(target, gamma, 1e6), solver.Failure);

        double separation = Math.Abs(Torus.Nearest(stage.Positions[0][0] - stage.Positions[0][1]));
        output.WriteLine($"{solver.Iterations} Newton steps, separation {separation / delta:G3} δ, E {solver.Energy:G6}");
        Assert.True(separation < delta, $"separation {separation / delta:G3} δ");
        Assert.True(matrix.UnstablePair.Rate <= 1);
    }
}
