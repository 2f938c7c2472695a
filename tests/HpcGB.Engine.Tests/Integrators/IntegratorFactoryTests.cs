using HpcGB.Engine.Integrators;
using HpcGB.Engine.Integrators.Implicit;
using HpcGB.Engine.Spec;
using HpcGB.Engine.Tests.Simulation;

namespace HpcGB.Engine.Tests.Integrators;

public sealed class IntegratorFactoryTests
{
    [Fact]
    public void CreatesTheRequestedIntegrator()
    {
        var model = TestSpecs.Model();
        Assert.Equal("dp45", IntegratorFactory.Create(TestSpecs.Time(), model).Name);
        Assert.Equal("euler", IntegratorFactory.Create(TestSpecs.Time(integrator: IntegratorType.Euler), model).Name);
    }

    [Theory]
    [InlineData(2, ErrorControl.PerStep)]
    [InlineData(5, ErrorControl.PerUnitTime)]
    [InlineData(1, ErrorControl.PerUnitTime)]
    public void PassesTheImplicitSettingsOn(int maxOrder, ErrorControl error)
    {
        var time = TestSpecs.Time(integrator: IntegratorType.Implicit) with { MaxOrder = maxOrder, Error = error };
        var integrator = Assert.IsType<ImplicitIntegrator>(IntegratorFactory.Create(time, TestSpecs.Model()));
        Assert.Equal(maxOrder, integrator.MaxOrder);
        Assert.Equal(error == ErrorControl.PerUnitTime, integrator.ErrorPerUnitTime);
    }

    [Theory]
    [InlineData(IntegratorType.Euler, 1e-6, 1e-9, 0.0, "$.time.step")]
    [InlineData(IntegratorType.Dp45, -1e-6, 1e-9, 0.1, "$.time.rtol")]
    [InlineData(IntegratorType.Dp45, 0.0, 0.0, 0.1, "$.time.atol")]
    public void RejectsInvalidSettingsNamingTheField(IntegratorType type, double rtol, double atol, double step, string path)
    {
        var time = TestSpecs.Time(integrator: type, rtol: rtol, atol: atol, step: step);
        var error = Assert.Throws<SpecException>(() => IntegratorFactory.Create(time, TestSpecs.Model()));
        Assert.Equal(path, error.Path);
    }
}
