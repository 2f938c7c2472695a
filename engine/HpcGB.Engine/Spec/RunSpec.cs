namespace HpcGB.Engine.Spec;

/// <summary>A validated spec of either model: <see cref="SimulationSpec"/> (particles) or <see cref="ContinuumSpec"/>.</summary>
public abstract record RunSpec
{
    public abstract int Dimension { get; }
}

/// <summary>The values of the top-level <c>model</c> key.</summary>
internal enum RunModel
{
    Particles,
    Continuum,
}
