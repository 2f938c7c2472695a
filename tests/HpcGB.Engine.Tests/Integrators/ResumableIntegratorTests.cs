using HpcGB.Engine.Integrators;
using HpcGB.Engine.Model;
using HpcGB.Engine.Tests.Simulation;

namespace HpcGB.Engine.Tests.Integrators;

/// <summary>Capture at t1, restore into a fresh integrator and state, continue: the same bits as never stopping.</summary>
public sealed class ResumableIntegratorTests
{
    public static TheoryData<string> Integrators => ["dp45", "euler"];

    [Theory]
    [MemberData(nameof(Integrators))]
    public void RestoredRunIsBitIdenticalToAnUninterruptedOne(string name)
    {
        var model = TestSpecs.Model();
        var evaluator = new SmoothPairEvaluator(model);
        var initial = TestSpecs.Uniform(model, 12);
        double[] targets = [0.05, 0.1, 0.15, 0.2];

        var straight = initial.Clone();
        var straightIntegrator = Create(name, model);
        double t = 0;
        foreach (double target in targets)
        {
            straightIntegrator.Advance(evaluator, straight, t, target);
            t = target;
        }

        var first = initial.Clone();
        var firstIntegrator = Create(name, model);
        firstIntegrator.Advance(evaluator, first, 0, targets[0]);
        firstIntegrator.Advance(evaluator, first, targets[0], targets[1]);
        var checkpoint = firstIntegrator.Capture();
        var resumed = first.Clone();
        Assert.Equal(targets[1], checkpoint.Time);
        Assert.Equal(name == "dp45", checkpoint.Velocity is not null);

        // The capture must not alias the live integrator: keep stepping the original after it.
        firstIntegrator.Advance(evaluator, first, targets[1], targets[3]);

        var restored = Create(name, model);
        restored.Restore(resumed, checkpoint);
        restored.Advance(evaluator, resumed, targets[1], targets[2]);
        restored.Advance(evaluator, resumed, targets[2], targets[3]);

        for (int a = 0; a < straight.Dimension; a++)
        {
            Assert.Equal(straight.Positions[a], resumed.Positions[a]);
        }
        Assert.Equal(straightIntegrator.AcceptedSteps, restored.AcceptedSteps);
        Assert.Equal(straightIntegrator.RejectedSteps, restored.RejectedSteps);
        Assert.Equal(straightIntegrator.ForceEvaluations, restored.ForceEvaluations);
    }

    [Fact]
    public void RestoringAnotherIntegratorsCheckpointFails()
    {
        var model = TestSpecs.Model();
        var state = TestSpecs.Uniform(model, 4);
        var euler = new ForwardEuler(1e-3, model.Mobility);
        euler.Advance(new SmoothPairEvaluator(model), state, 0, 0.01);
        var error = Assert.Throws<ArgumentException>(
            () => new DormandPrince45(1e-6, 1e-9, model.Mobility).Restore(state, euler.Capture()));
        Assert.Contains("'euler'", error.Message, StringComparison.Ordinal);
    }

    private static IResumableIntegrator Create(string name, SystemModel model) => name == "dp45"
        ? new DormandPrince45(1e-6, 1e-9, model.Mobility)
        : new ForwardEuler(7e-3, model.Mobility);
}
