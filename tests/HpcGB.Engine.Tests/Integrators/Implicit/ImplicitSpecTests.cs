using HpcGB.Engine.Integrators;
using HpcGB.Engine.Integrators.Implicit;
using HpcGB.Engine.Simulation;
using HpcGB.Engine.Spec;

namespace HpcGB.Engine.Tests.Integrators.Implicit;

/// <summary><c>time.integrator</c> = implicit | auto through the spec reader, the factory and the runner.</summary>
public sealed class ImplicitSpecTests
{
    [Theory]
    [InlineData("implicit", 0.05, "implicit")]
    [InlineData("auto", 1e-6, "implicit")] // tight dipoles: explicit steps ~ nδ²
    [InlineData("auto", 0.05, "dp45")] // the non-stiff setting 1
    [InlineData("dp45", 1e-6, "dp45")]
    public void TheRunnerBuildsTheChosenIntegrator(string integrator, double delta, string expected)
    {
        string json = $$"""
            { "dimension": 2, "regularization": { "delta": {{delta}} },
              "particles": { "init": "{{(delta < 1e-3 ? "dipoles" : "uniform")}}",
                             {{(delta < 1e-3 ? $"\"count\": 20, \"half_width\": [{delta / 2}, 0]" : "\"n\": 40")}} },
              "time": { "end": 1, "integrator": "{{integrator}}" } }
            """;
        var spec = SpecReader.Parse(json);
        Assert.Contains($"\"integrator\": \"{integrator}\"", SpecWriter.ToJson(spec)); // written back as given
        var runner = new SimulationRunner(spec);
        Assert.Equal(expected, runner.IntegratorName);
    }

    [Fact]
    public void AutoNeedsTheInitialParticles()
    {
        var time = TimeSpec.Default with { Integrator = IntegratorType.Auto };
        Assert.Throws<ArgumentNullException>(() => IntegratorFactory.Create(time, Simulation.TestSpecs.Model()));
    }

    [Fact]
    public void ImplicitRejectsBadTolerancesAndOrders()
    {
        var model = Simulation.TestSpecs.Model();
        var time = TimeSpec.Default with { Integrator = IntegratorType.Implicit, Rtol = 0, Atol = 0 };
        var error = Assert.Throws<SpecException>(() => IntegratorFactory.Create(time, model));
        Assert.Equal("$.time.atol", error.Path);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ImplicitIntegrator(1e-6, 1e-9, model, maxOrder: 6));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ImplicitIntegrator(1e-6, 1e-9, model, maxOrder: 0));
    }
}
