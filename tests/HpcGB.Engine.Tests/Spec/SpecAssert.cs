using HpcGB.Engine.Model;
using HpcGB.Engine.Spec;

namespace HpcGB.Engine.Tests.Spec;

/// <summary>
/// Field-by-field comparison of specs. Records holding arrays (and <see cref="ExternalPotential"/>, a class)
/// compare by reference, so arrays are compared element by element here; doubles must match exactly.
/// </summary>
internal static class SpecAssert
{
    public static void Equal(SimulationSpec expected, SimulationSpec actual)
    {
        Equal(expected.System, actual.System);
        Equal(expected.Particles, actual.Particles);
        Assert.Equal(expected.Time, actual.Time);
        Assert.Equal(expected.Forces, actual.Forces);
        Assert.Equal(expected.Seed, actual.Seed);
    }

    public static void Equal(SystemModel expected, SystemModel actual)
    {
        Assert.Equal(expected.Dimension, actual.Dimension);
        Assert.Equal(expected.Kernel, actual.Kernel);
        Assert.Equal(expected.Mobility, actual.Mobility);
        Assert.Equal(expected.Regularization, actual.Regularization);
        Equal(expected.External, actual.External);
    }

    public static void Equal(ExternalPotential expected, ExternalPotential actual)
    {
        Assert.Equal(expected.Modes.Count, actual.Modes.Count);
        for (int m = 0; m < expected.Modes.Count; m++)
        {
            Assert.Equal(expected.Modes[m].K, actual.Modes[m].K);
            Assert.Equal(expected.Modes[m].Cos, actual.Modes[m].Cos);
            Assert.Equal(expected.Modes[m].Sin, actual.Modes[m].Sin);
        }
        Assert.Equal(expected.Force, actual.Force);
    }

    public static void Equal(ParticleSource expected, ParticleSource actual)
    {
        Assert.Equal(expected.GetType(), actual.GetType());
        switch (expected)
        {
            case ExplicitParticles e:
                var a = (ExplicitParticles)actual;
                Assert.Equal(e.Positions.Length, a.Positions.Length);
                for (int i = 0; i < e.Positions.Length; i++)
                {
                    Assert.Equal(e.Positions[i], a.Positions[i]);
                }
                Assert.Equal(e.Signs, a.Signs);
                break;
            case UniformParticles e:
                Assert.Equal(e, actual);
                break;
            case DensityParticles e:
                var d = (DensityParticles)actual;
                Assert.Equal(e.Count, d.Count);
                Equal(e.Positive, d.Positive);
                Equal(e.Negative, d.Negative);
                break;
            case DipoleParticles e:
                var p = (DipoleParticles)actual;
                Assert.Equal(e.Count, p.Count);
                Assert.Equal(e.HalfWidth, p.HalfWidth);
                Assert.Equal(e.RandomOrientation, p.RandomOrientation);
                Equal(e.CentreDensity, p.CentreDensity);
                break;
            default:
                Assert.Fail($"unexpected particle source {expected.GetType().Name}");
                break;
        }
    }

    public static void Equal(DensityGrid? expected, DensityGrid? actual)
    {
        if (expected is null || actual is null)
        {
            Assert.Equal(expected is null, actual is null);
            return;
        }
        Assert.Equal(expected.Shape, actual.Shape);
        Assert.Equal(expected.Values, actual.Values);
    }
}
