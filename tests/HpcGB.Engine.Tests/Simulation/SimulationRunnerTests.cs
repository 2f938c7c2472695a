using HpcGB.Engine.Model;
using HpcGB.Engine.Simulation;
using HpcGB.Engine.Spec;
using HpcGB.Engine.Tests.Integrators;

namespace HpcGB.Engine.Tests.Simulation;

public sealed class SimulationRunnerTests
{
    [Theory]
    [InlineData(IntegratorType.Dp45)]
    [InlineData(IntegratorType.Euler)]
    public void FramesLandExactlyOnTheOutputTimes(IntegratorType integrator)
    {
        var model = TestSpecs.Model();
        var time = TestSpecs.Time(end: 0.37, outputs: 7, integrator: integrator, step: 0.013);
        var runner = new SimulationRunner(TestSpecs.Spec(model, new UniformParticles(20, 0.5), time), new SmoothPairEvaluator(model));
        var frames = Collect(runner, out var result);

        Assert.Equal(time.Outputs, frames.Count);
        Assert.Equal(time.Outputs, result.Frames);
        for (int i = 0; i < frames.Count; i++)
        {
            Assert.Equal(i, frames[i].Index);
            Assert.Equal(time.OutputTime(i), frames[i].Observables.Time); // bit-exact
        }
        Assert.Equal(0.0, frames[0].Observables.Time);
        Assert.Equal(0, TestSpecs.MaxDifference(frames[0].State, runner.InitialState));
        Assert.Equal(0, TestSpecs.MaxDifference(frames[^1].State, result.FinalState));
        Assert.NotSame(frames[^1].State.Positions[0], result.FinalState.Positions[0]);
        Assert.Equal(integrator == IntegratorType.Dp45 ? "dp45" : "euler", runner.IntegratorName);
    }

    [Fact]
    public void RunIsRepeatableAndLeavesTheInitialStateAlone()
    {
        var model = TestSpecs.Model();
        var spec = TestSpecs.Spec(model, new UniformParticles(20, 0.5));
        var runner = new SimulationRunner(spec, new SmoothPairEvaluator(model));
        var before = runner.InitialState.Clone();
        var first = runner.Run(_ => { });
        Assert.True(runner.IsFinished);
        Assert.Equal(0, runner.Run(_ => { }).Frames);
        var second = new SimulationRunner(spec, new SmoothPairEvaluator(model)).Run(_ => { });
        Assert.Equal(0, TestSpecs.MaxDifference(before, runner.InitialState));
        Assert.Equal(0, TestSpecs.MaxDifference(first.FinalState, second.FinalState));
        Assert.Equal(first.AcceptedSteps, second.AcceptedSteps);
        Assert.Equal(first.ForceEvaluations, second.ForceEvaluations);
    }

    [Fact]
    public void ObservablesReportSpeedsCentroidAndBoundDipoles()
    {
        // 25 dipoles of width 2|h| = 0.01 < 3δ = 0.03, centres ≥ 0.1 apart: exactly 25 bound pairs.
        var model = TestSpecs.Model(delta: 0.01);
        var spec = TestSpecs.Spec(model, new DipoleParticles(25, [0.005, 0], true, null), TestSpecs.Time(end: 1e-4, outputs: 2));
        var evaluator = new SmoothPairEvaluator(model);
        var runner = new SimulationRunner(spec, evaluator);
        var frames = Collect(runner, out _);
        var initial = frames[0].Observables;
        Assert.Equal(25, initial.BoundDipoles);

        var velocity = runner.InitialState.NewVectors();
        evaluator.Evaluate(runner.InitialState, velocity, false);
        double maxSpeed = Enumerable.Range(0, runner.InitialState.Count)
            .Max(i => Math.Sqrt(velocity[0][i] * velocity[0][i] + velocity[1][i] * velocity[1][i]));
        Assert.Equal(maxSpeed, initial.MaxSpeed, 14);
        Assert.Equal(runner.InitialState.Positions[0].Sum(), initial.Centroid[0], 12);
        Assert.Equal(0, initial.AcceptedSteps);
        Assert.Equal(1, initial.ForceEvaluations);
        Assert.True(frames[1].Observables.ForceEvaluations > 2);
    }

    [Fact]
    public void AppliedForceMovesTheCentroidByFTimesTheSignImbalance()
    {
        // Σ ẋ_i = Σ b_i F + (pair terms, which cancel): the centroid moves at F·(n₊ − n₋).
        double[] force = [0.3, -0.2];
        var model = TestSpecs.Model(external: new ExternalPotential([], force));
        var spec = TestSpecs.Spec(model, new UniformParticles(40, 0.7), TestSpecs.Time(end: 0.05, outputs: 4));
        var runner = new SimulationRunner(spec, new SmoothPairEvaluator(model));
        var frames = Collect(runner, out _);
        int imbalance = runner.InitialState.Signs.Sum(b => b);
        Assert.Equal(16, imbalance);
        foreach (var frame in frames)
        {
            for (int a = 0; a < 2; a++)
            {
                double expected = frames[0].Observables.Centroid[a] + frame.Observables.Time * force[a] * imbalance;
                Assert.Equal(expected, frame.Observables.Centroid[a], 11);
            }
        }
    }

    [Fact]
    public void CancellationStopsTheRun()
    {
        var model = TestSpecs.Model();
        var runner = new SimulationRunner(TestSpecs.Spec(model, new UniformParticles(10, 0.5)), new SmoothPairEvaluator(model));
        using var source = new CancellationTokenSource();
        int frames = 0;
        Assert.ThrowsAny<OperationCanceledException>(() => runner.Run(_ =>
        {
            frames++;
            source.Cancel();
        }, source.Token));
        Assert.Equal(1, frames);
    }

    internal static List<Frame> Collect(SimulationRunner runner, out SimulationResult result)
    {
        var frames = new List<Frame>();
        result = runner.Run(frames.Add);
        return frames;
    }
}
