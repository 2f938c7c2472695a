namespace HpcGB.Engine.Spec;

/// <summary>The spec's <c>outputs</c> block: what a run records besides the positions and observables.</summary>
/// <param name="Velocities">Write ẋ_i at every frame (<c>/velocities</c> in trajectory.h5).</param>
public sealed record OutputsSpec(bool Velocities)
{
    public static OutputsSpec Default { get; } = new(Velocities: false);
}
