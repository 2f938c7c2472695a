using HpcGB.Engine.Cases;
using HpcGB.Engine.Forces.Reference;
using HpcGB.Engine.Integrators;
using HpcGB.Engine.Kernels;
using HpcGB.Engine.Model;
using HpcGB.Engine.Simulation;
using HpcGB.Engine.Tests.Simulation;
using Xunit.Abstractions;

namespace HpcGB.Engine.Tests.Integrators;

public sealed class DormandPrince45Tests(ITestOutputHelper output)
{
    [Fact]
    public void FixedStepErrorDecaysWithOrderFive()
    {
        var model = TestSpecs.Model();
        var evaluator = new SmoothPairEvaluator(model);
        var initial = TestSpecs.Uniform(model, 12);
        const double end = 0.25;

        var reference = initial.Clone();
        new DormandPrince45(1e-6, 1e-9, model.Mobility).AdvanceFixed(evaluator, reference, 0, end, 4096);

        int[] steps = [16, 32, 64, 128];
        var errors = new double[steps.Length];
        for (int s = 0; s < steps.Length; s++)
        {
            var state = initial.Clone();
            new DormandPrince45(1e-6, 1e-9, model.Mobility).AdvanceFixed(evaluator, state, 0, end, steps[s]);
            errors[s] = TestSpecs.MaxDifference(state, reference);
        }
        for (int s = 1; s < steps.Length; s++)
        {
            double order = Math.Log2(errors[s - 1] / errors[s]);
            output.WriteLine($"N = {steps[s - 1]} → {steps[s]}: error {errors[s - 1]:E3} → {errors[s]:E3}, observed order {order:F3}");
        }
        double finalOrder = Math.Log2(errors[^2] / errors[^1]);
        Assert.InRange(finalOrder, 4.7, 5.3);
        Assert.InRange(Math.Log2(errors[^3] / errors[^2]), 4.5, 5.5);
    }

    /// <summary>
    /// Positions on the torus have no origin: a translated copy of a system takes the same steps, the starting
    /// step included (it used to scale with |y|), and ends translated.
    /// </summary>
    [Fact]
    public void ATranslatedSystemTakesTheSameSteps()
    {
        var model = TestSpecs.Model(delta: 0.05);
        var evaluator = new PairSumEvaluator(model, KernelCases.For(model).PairKernel(model.Delta));
        var initial = TestSpecs.Uniform(model, 20);
        double[] shift = [0.37, 0.21];
        var moved = initial.Clone();
        for (int a = 0; a < 2; a++)
        {
            for (int i = 0; i < moved.Count; i++)
            {
                moved.Positions[a][i] += shift[a];
            }
        }
        var plain = new DormandPrince45(1e-7, 1e-10, model.Mobility);
        var translated = new DormandPrince45(1e-7, 1e-10, model.Mobility);
        plain.Advance(evaluator, initial, 0, 0.02);
        translated.Advance(evaluator, moved, 0, 0.02);
        double worst = 0;
        for (int a = 0; a < 2; a++)
        {
            for (int i = 0; i < moved.Count; i++)
            {
                worst = Math.Max(worst, Math.Abs(moved.Positions[a][i] - shift[a] - initial.Positions[a][i]));
            }
        }
        output.WriteLine($"{plain.AcceptedSteps} / {translated.AcceptedSteps} steps, largest difference {worst:E2}");
        Assert.Equal(plain.AcceptedSteps, translated.AcceptedSteps);
        Assert.Equal(plain.RejectedSteps, translated.RejectedSteps);
        Assert.True(worst < 1e-12, $"{worst:E3}");
    }

    [Fact]
    public void AdaptiveErrorFollowsTheTolerance()
    {
        var model = TestSpecs.Model();
        var evaluator = new SmoothPairEvaluator(model);
        var initial = TestSpecs.Uniform(model, 12);
        var reference = initial.Clone();
        new DormandPrince45(1e-6, 1e-9, model.Mobility).AdvanceFixed(evaluator, reference, 0, 0.5, 2048);

        double previous = double.PositiveInfinity;
        foreach (double rtol in new[] { 1e-4, 1e-6, 1e-8 })
        {
            var state = initial.Clone();
            var integrator = new DormandPrince45(rtol, rtol * 1e-3, model.Mobility);
            integrator.Advance(evaluator, state, 0, 0.5);
            double error = TestSpecs.MaxDifference(state, reference);
            output.WriteLine($"rtol {rtol:E0}: error {error:E3}, accepted {integrator.AcceptedSteps}, rejected {integrator.RejectedSteps}, evaluations {integrator.ForceEvaluations}");
            Assert.True(error < 100 * rtol, $"error {error} at rtol {rtol}");
            Assert.True(error < previous);
            previous = error;
        }
    }

    [Fact]
    public void LandsExactlyOnEachTarget()
    {
        // ẋ = −λx has x(t) = x₀e^{−λt}: a run that stopped before or after a target would be off by ≈ λ·Δt.
        const double rate = 3.0;
        var model = TestSpecs.Model(dimension: 1);
        var state = TestSpecs.Uniform(model, 5);
        double[] x0 = (double[])state.Positions[0].Clone();
        var integrator = new DormandPrince45(1e-11, 1e-13, model.Mobility);
        var evaluator = new LinearDecayEvaluator(model, rate);
        var time = TestSpecs.Time(end: 1.0 / 3, outputs: 8);
        double t = 0;
        for (int k = 1; k < time.Outputs; k++)
        {
            double target = time.OutputTime(k);
            integrator.Advance(evaluator, state, t, target);
            t = target;
            for (int i = 0; i < x0.Length; i++)
            {
                Assert.Equal(x0[i] * Math.Exp(-rate * t), state.Positions[0][i], 1e-10);
            }
        }
        Assert.Equal(0, integrator.RejectedSteps);
    }

    [Fact]
    public void FirstSameAsLastCostsSixEvaluationsPerStep()
    {
        var model = TestSpecs.Model();
        var evaluator = new SmoothPairEvaluator(model);
        var state = TestSpecs.Uniform(model, 10);
        var integrator = new DormandPrince45(1e-7, 1e-10, model.Mobility);
        integrator.Advance(evaluator, state, 0, 0.2);
        integrator.Advance(evaluator, state, 0.2, 0.4);
        long steps = integrator.AcceptedSteps + integrator.RejectedSteps;
        // one k1 at the start, one for the initial step size, six per attempted step.
        Assert.Equal(2 + 6 * steps, integrator.ForceEvaluations);
        Assert.Equal(integrator.ForceEvaluations, evaluator.Calls);
    }

    [Fact]
    public void GlideNeverWritesTheSecondCoordinate()
    {
        // The linear evaluator returns a non-zero x2 velocity on purpose: the integrator must skip axis 1.
        var model = TestSpecs.Model(kernel: KernelType.Edge, mobility: MobilityType.Glide);
        var state = TestSpecs.Uniform(model, 16);
        double[] x2 = (double[])state.Positions[1].Clone();
        double[] x1 = (double[])state.Positions[0].Clone();
        var integrator = IntegratorFactory.Create(TestSpecs.Time(), model);
        integrator.Advance(new LinearDecayEvaluator(model, 2.0), state, 0, 0.3);
        Assert.Equal(x2, state.Positions[1]);
        Assert.NotEqual(x1, state.Positions[0]);
    }

    [Fact]
    public void CollisionBecomesSimulationExceptionWithParticlesAndTime()
    {
        var model = TestSpecs.Model();
        var evaluator = new FailingEvaluator(new SmoothPairEvaluator(model), failingCall: 40, collide: true);
        var state = TestSpecs.Uniform(model, 8);
        var integrator = new DormandPrince45(1e-8, 1e-10, model.Mobility);
        var error = Assert.Throws<SimulationException>(() => integrator.Advance(evaluator, state, 0, 1.0));
        Assert.True(error.Time > 0 && error.Time < 1.0);
        Assert.Contains("particles 3 and 7", error.Message);
        Assert.Contains($"t = {error.Time:R}", error.Message);
    }

    [Fact]
    public void NonFiniteVelocitiesEndInStepTooSmallWithTime()
    {
        var model = TestSpecs.Model();
        var evaluator = new FailingEvaluator(new SmoothPairEvaluator(model), failingCall: 30, collide: false);
        var state = TestSpecs.Uniform(model, 8);
        var integrator = new DormandPrince45(1e-8, 1e-10, model.Mobility);
        var error = Assert.Throws<SimulationException>(() => integrator.Advance(evaluator, state, 0, 1.0));
        Assert.Contains("step size", error.Message);
        Assert.Contains($"t = {error.Time:R}", error.Message);
        Assert.True(error.Time > 0);
    }

    [Fact]
    public void CancellationStopsTheRun()
    {
        var model = TestSpecs.Model();
        var state = TestSpecs.Uniform(model, 8);
        using var source = new CancellationTokenSource();
        source.Cancel();
        var integrator = new DormandPrince45(1e-8, 1e-10, model.Mobility);
        Assert.Throws<OperationCanceledException>(
            () => integrator.Advance(new SmoothPairEvaluator(model), state, 0, 1.0, source.Token));
    }
}
