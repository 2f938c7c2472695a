using HpcGB.Engine.Model;

namespace HpcGB.Engine.Integrators;

/// <summary>Which axes an integrator moves, and stage states that own only those (x2 under glide is shared).</summary>
internal static class StagePositions
{
    /// <summary>The axes that move: all of them, or only x1 under glide (x2 must never be written).</summary>
    public static int MovingAxes(ParticleState state, MobilityType mobility) =>
        mobility == MobilityType.Glide ? 1 : state.Dimension;

    /// <summary>
    /// A state for stage positions: own arrays for the moving axes, and under glide the very x2 array of
    /// <paramref name="state"/>, so every stage sees the slip planes bit for bit.
    /// </summary>
    public static ParticleState State(ParticleState state, int movingAxes)
    {
        var positions = new double[state.Dimension][];
        for (int a = 0; a < state.Dimension; a++)
        {
            positions[a] = a < movingAxes ? new double[state.Count] : state.Positions[a];
        }
        return new ParticleState(positions, state.Signs);
    }
}
