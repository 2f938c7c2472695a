using HpcGB.Engine.Integrators;
using HpcGB.Engine.Model;
using HpcGB.Engine.Spec;
using HpcGB.Engine.Tests.Simulation;
using Xunit.Abstractions;

namespace HpcGB.Engine.Tests.Integrators;

public sealed class ForwardEulerTests(ITestOutputHelper output)
{
    [Fact]
    public void ErrorDecaysWithOrderOne()
    {
        var model = TestSpecs.Model();
        var evaluator = new SmoothPairEvaluator(model);
        var initial = TestSpecs.Uniform(model, 12);
        var reference = initial.Clone();
        new DormandPrince45(1e-6, 1e-9, model.Mobility).AdvanceFixed(evaluator, reference, 0, 0.25, 512);

        double[] steps = [0.25 / 64, 0.25 / 128, 0.25 / 256];
        var errors = steps.Select(h =>
        {
            var state = initial.Clone();
            new ForwardEuler(h, model.Mobility).Advance(evaluator, state, 0, 0.25);
            return TestSpecs.MaxDifference(state, reference);
        }).ToArray();
        for (int s = 1; s < errors.Length; s++)
        {
            double order = Math.Log2(errors[s - 1] / errors[s]);
            output.WriteLine($"h = {steps[s - 1]:E3} → {steps[s]:E3}: error {errors[s - 1]:E3} → {errors[s]:E3}, order {order:F3}");
            Assert.InRange(order, 0.9, 1.1);
        }
    }

    [Fact]
    public void LastStepIsShortenedToLandExactly()
    {
        // ẋ = −λx with steps h, h, h, r: x = x₀(1 − λh)³(1 − λr) exactly (up to rounding).
        const double rate = 2.0, step = 0.1, end = 0.35;
        var model = TestSpecs.Model(dimension: 1);
        var state = TestSpecs.Uniform(model, 4);
        double[] x0 = (double[])state.Positions[0].Clone();
        var integrator = new ForwardEuler(step, model.Mobility);
        integrator.Advance(new LinearDecayEvaluator(model, rate), state, 0, end);
        Assert.Equal(4, integrator.AcceptedSteps);
        Assert.Equal(4, integrator.ForceEvaluations);
        double factor = Math.Pow(1 - rate * step, 3) * (1 - rate * (end - 3 * step));
        for (int i = 0; i < x0.Length; i++)
        {
            Assert.Equal(x0[i] * factor, state.Positions[0][i], 1e-14);
        }
    }

    [Fact]
    public void GlideNeverWritesTheSecondCoordinate()
    {
        var model = TestSpecs.Model(kernel: KernelType.Edge, mobility: MobilityType.Glide);
        var state = TestSpecs.Uniform(model, 10);
        double[] x2 = (double[])state.Positions[1].Clone();
        var integrator = IntegratorFactory.Create(TestSpecs.Time(integrator: IntegratorType.Euler, step: 0.01), model);
        Assert.IsType<ForwardEuler>(integrator);
        integrator.Advance(new LinearDecayEvaluator(model, 1.0), state, 0, 0.1);
        Assert.Equal(x2, state.Positions[1]);
    }
}
