using HpcGB.Engine.Continuum;
using HpcGB.Engine.Model;

namespace HpcGB.Engine.Spec;

/// <summary>
/// A validated <c>"model": "continuum"</c> spec (docs/continuum.md): the physics of <see cref="SystemModel"/>, the
/// grid shape ([M] or [M1, M2]), the initial densities of each sign (validated on that grid), output times
/// End·i/(Outputs−1) and the Courant number of the step.
/// </summary>
public sealed record ContinuumSpec(
    SystemModel System,
    int[] Grid,
    ContinuumDensity Positive,
    ContinuumDensity Negative,
    double End,
    int Outputs,
    double Cfl) : RunSpec
{
    public override int Dimension => System.Dimension;

    public double OutputTime(int index) => index == Outputs - 1 ? End : End * index / (Outputs - 1);
}
