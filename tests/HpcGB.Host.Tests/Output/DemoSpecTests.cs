using HpcGB.Engine.Spec;
using HpcGB.Host.Demo;

namespace HpcGB.Host.Tests.Output;

/// <summary>The built-in demo spec is a valid spec with the documented parameters.</summary>
public sealed class DemoSpecTests
{
    [Fact]
    public void RoundTripsThroughTheSpecReader()
    {
        var spec = DemoSpec.Create();
        string json = SpecWriter.ToJson(spec);

        Assert.Equal(json, SpecWriter.ToJson(SpecReader.Parse(json)));
    }

    [Fact]
    public void HasTheDocumentedParameters()
    {
        var spec = DemoSpec.Create();

        Assert.Equal(2, spec.Dimension);
        Assert.Equal(0.005, spec.System.Regularization.Delta);
        Assert.Equal(21, spec.Time.Outputs);
        Assert.Equal(1e-5, spec.Time.Rtol);
        Assert.Equal(ForceMethod.Reference, spec.Forces.Method);
        var particles = Assert.IsType<UniformParticles>(spec.Particles);
        Assert.Equal(0.5, particles.PositiveFraction);
        var mode = Assert.Single(spec.System.External.Modes);
        Assert.Equal([1, 0], mode.K);
        Assert.Equal(0.1, mode.Cos);
    }
}
