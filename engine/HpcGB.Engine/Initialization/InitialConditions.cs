using HpcGB.Engine.Model;
using HpcGB.Engine.Spec;

namespace HpcGB.Engine.Initialization;

/// <summary>
/// Builds the initial particles of a spec: explicit, <c>uniform</c>, <c>density</c> (Lemma 2.4 quantisation)
/// or <c>dipoles</c> (Section 4). Every random choice comes from one <see cref="SeededRandom"/> seeded with
/// <see cref="SimulationSpec.Seed"/>, so a spec reproduces its particles bit for bit. Positions are in [0,1)^d.
/// Invalid particle data throws <see cref="SpecException"/> naming the field.
/// </summary>
public static class InitialConditions
{
    public static ParticleState Create(SimulationSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        int d = spec.Dimension;
        var random = new SeededRandom(spec.Seed);
        return spec.Particles switch
        {
            ExplicitParticles p => ExplicitInit.Create(d, p),
            UniformParticles p => UniformInit.Create(d, p, random),
            DensityParticles p => DensityInit.Create(d, p, random),
            DipoleParticles p => DipoleInit.Create(spec.System, p, random),
            var other => throw new NotSupportedException($"unknown particle source {other.GetType().Name}"),
        };
    }
}
