using HpcGB.Engine.Model;

namespace HpcGB.Engine.Spec;

/// <summary>A validated simulation spec (the JSON schema of README.md, defaults applied).</summary>
public sealed record SimulationSpec(
    SystemModel System,
    ParticleSource Particles,
    TimeSpec Time,
    ForcesSpec Forces,
    ulong Seed) : RunSpec
{
    public override int Dimension => System.Dimension;

    /// <summary>What the run records besides positions and observables (the <c>outputs</c> block).</summary>
    public OutputsSpec Outputs { get; init; } = OutputsSpec.Default;
}
