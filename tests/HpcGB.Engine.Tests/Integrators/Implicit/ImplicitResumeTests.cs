using HpcGB.Engine.Cases;
using HpcGB.Engine.Forces;
using HpcGB.Engine.Forces.Reference;
using HpcGB.Engine.Integrators;
using HpcGB.Engine.Integrators.Implicit;
using HpcGB.Engine.Kernels;
using HpcGB.Engine.Model;
using HpcGB.Engine.Tests.Simulation;

namespace HpcGB.Engine.Tests.Integrators.Implicit;

/// <summary>Checkpoints of the implicit integrator: a restored run takes the same BDF steps, bit for bit.</summary>
public sealed class ImplicitResumeTests
{
    private const double Delta = 1e-6;

    private static readonly double[] Targets = [0.1, 0.2, 0.3, 0.4];

    /// <summary>Default BDF2, and orders up to 5 with the error per unit of time (its longer history and order).</summary>
    [Theory]
    [InlineData(ImplicitIntegrator.DefaultMaxOrder, false, 1e-6)]
    [InlineData(5, true, 1e-4)]
    public void RestoredRunIsBitIdenticalToAnUninterruptedOne(int maxOrder, bool perUnitTime, double rtol)
    {
        var (model, initial) = MixedSystem();
        var evaluator = new PairSumEvaluator(model, KernelCases.For(model).PairKernel(model.Delta));
        ImplicitIntegrator Create() => new(rtol, rtol / 1000, model, maxOrder, perUnitTime);

        var straight = initial.Clone();
        var straightIntegrator = Create();
        AdvanceThrough(straightIntegrator, evaluator, straight, 0, Targets.Length);

        var first = initial.Clone();
        var firstIntegrator = Create();
        AdvanceThrough(firstIntegrator, evaluator, first, 0, 2);
        var checkpoint = firstIntegrator.Capture();
        var saved = first.Clone();
        Assert.Equal(Targets[1], checkpoint.Time);
        Assert.InRange(checkpoint.History!.Times.Length, 2, maxOrder + 1);
        Assert.InRange(checkpoint.History.Order, 1, checkpoint.History.Times.Length - 1);

        // The capture must not alias the live integrator: keep stepping the original after it.
        AdvanceThrough(firstIntegrator, evaluator, first, 2, Targets.Length);

        // Into a fresh integrator and state, as the service restores a file.
        var resumed = saved.Clone();
        var restored = Create();
        restored.Restore(resumed, checkpoint);
        AdvanceThrough(restored, evaluator, resumed, 2, Targets.Length);
        AssertSameRun(straight, straightIntegrator, resumed, restored);

        // Back into the same integrator, state and evaluator, as the service rolls back an interrupted segment.
        for (int a = 0; a < first.Dimension; a++)
        {
            Array.Copy(saved.Positions[a], first.Positions[a], first.Count);
        }
        firstIntegrator.Restore(first, checkpoint);
        AdvanceThrough(firstIntegrator, evaluator, first, 2, Targets.Length);
        AssertSameRun(straight, straightIntegrator, first, firstIntegrator);
    }

    /// <summary>
    /// The checkpoint carries ẋ at its point (Newton's start at the last solution and the early escape of pairs
    /// captured within a step read it); one written before it was saved (no velocity) evaluates it once on the
    /// first step, and then takes the straight run's steps bit for bit, with that one evaluation more.
    /// </summary>
    [Fact]
    public void ACheckpointWithoutTheVelocityEvaluatesItOnceAndContinuesBitIdentically()
    {
        var (model, initial) = MixedSystem();
        var evaluator = new PairSumEvaluator(model, KernelCases.For(model).PairKernel(model.Delta));
        var straight = initial.Clone();
        var straightIntegrator = new ImplicitIntegrator(1e-6, 1e-9, model);
        AdvanceThrough(straightIntegrator, evaluator, straight, 0, Targets.Length);

        var state = initial.Clone();
        var first = new ImplicitIntegrator(1e-6, 1e-9, model);
        AdvanceThrough(first, evaluator, state, 0, 2);
        var checkpoint = first.Capture();
        Assert.NotNull(checkpoint.Velocity);
        var restored = new ImplicitIntegrator(1e-6, 1e-9, model);
        restored.Restore(state, checkpoint with { Velocity = null });
        AdvanceThrough(restored, evaluator, state, 2, Targets.Length);

        for (int a = 0; a < state.Dimension; a++)
        {
            Assert.Equal(straight.Positions[a].Select(BitConverter.DoubleToInt64Bits), state.Positions[a].Select(BitConverter.DoubleToInt64Bits));
        }
        Assert.Equal(straightIntegrator.AcceptedSteps, restored.AcceptedSteps);
        Assert.Equal(straightIntegrator.ForceEvaluations + 1, restored.ForceEvaluations);
    }

    /// <summary>
    /// A checkpoint of issue 4's BDF2 integrator (its three newest points, no order saved) still restores: the run
    /// continues at order ≤ 2 and ends within the tolerance of an uninterrupted run.
    /// </summary>
    [Fact]
    public void ABdf2CheckpointWithoutAnOrderContinues()
    {
        var (model, initial) = MixedSystem();
        var evaluator = new PairSumEvaluator(model, KernelCases.For(model).PairKernel(model.Delta));
        var straight = initial.Clone();
        AdvanceThrough(new ImplicitIntegrator(1e-6, 1e-9, model), evaluator, straight, 0, Targets.Length);

        var state = initial.Clone();
        var first = new ImplicitIntegrator(1e-6, 1e-9, model);
        AdvanceThrough(first, evaluator, state, 0, 2);
        var history = first.Capture().History!;
        int kept = Math.Min(3, history.Times.Length);
        var old = first.Capture() with { History = new MultistepHistory(history.Times[..kept], history.Points[..kept], history.Energy) };
        var restored = new ImplicitIntegrator(1e-6, 1e-9, model);
        restored.Restore(state, old);
        Assert.Equal(0, restored.Capture().History!.Order);
        AdvanceThrough(restored, evaluator, state, 2, Targets.Length);
        Assert.True(TestSpecs.MaxDifference(straight, state) < 1e-5, $"{TestSpecs.MaxDifference(straight, state):E2}");
    }

    [Fact]
    public void AHistoryThatIsNotAtTheCheckpointTimeIsRefused()
    {
        var (model, state) = MixedSystem();
        var integrator = new ImplicitIntegrator(1e-6, 1e-9, model);
        AdvanceThrough(integrator, new PairSumEvaluator(model, KernelCases.For(model).PairKernel(model.Delta)), state, 0, 1);
        var checkpoint = integrator.Capture();
        var error = Assert.Throws<ArgumentException>(
            () => new ImplicitIntegrator(1e-6, 1e-9, model).Restore(state, checkpoint with { Time = 0.5 }));
        Assert.Contains("newest point", error.Message, StringComparison.Ordinal);
    }

    private static void AdvanceThrough(
        ImplicitIntegrator integrator, IForceEvaluator evaluator, ParticleState state, int from, int to)
    {
        for (int k = from; k < to; k++)
        {
            integrator.Advance(evaluator, state, k == 0 ? 0 : Targets[k - 1], Targets[k]);
        }
    }

    private static void AssertSameRun(
        ParticleState expected, ImplicitIntegrator expectedIntegrator, ParticleState actual, ImplicitIntegrator actualIntegrator)
    {
        for (int a = 0; a < expected.Dimension; a++)
        {
            Assert.Equal(expected.Positions[a].Select(BitConverter.DoubleToInt64Bits), actual.Positions[a].Select(BitConverter.DoubleToInt64Bits));
        }
        Assert.Equal(expectedIntegrator.AcceptedSteps, actualIntegrator.AcceptedSteps);
        Assert.Equal(expectedIntegrator.RejectedSteps, actualIntegrator.RejectedSteps);
        Assert.Equal(expectedIntegrator.ForceEvaluations, actualIntegrator.ForceEvaluations);
    }

    /// <summary>34 uniform particles and 3 dipoles δ/2 apart (δ = 1e-6): stiff, so BDF2 takes steps far above δ.</summary>
    private static (SystemModel Model, ParticleState State) MixedSystem()
    {
        var field = new ExternalPotential([new FourierMode([1, 0], 0.1, 0.0)], [0.0, 0.0]);
        var model = TestSpecs.Model(delta: Delta, external: field);
        var uniform = TestSpecs.Uniform(model, 34);
        double[][] centres = [[0.21, 0.33], [0.58, 0.71], [0.86, 0.12]];
        var x1 = uniform.Positions[0].Concat(centres.SelectMany(c => new[] { c[0], c[0] + Delta / 2 })).ToArray();
        var x2 = uniform.Positions[1].Concat(centres.SelectMany(c => new[] { c[1], c[1] })).ToArray();
        var signs = uniform.Signs.Concat(centres.SelectMany(_ => new sbyte[] { 1, -1 })).ToArray();
        return (model, new ParticleState([x1, x2], signs));
    }
}
