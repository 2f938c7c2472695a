using HpcGB.Engine.Forces;
using HpcGB.Engine.Model;
using HpcGB.Engine.Simulation;

namespace HpcGB.Engine.Integrators;

/// <summary>Vector helpers shared by the integrators; they touch only the moving axes.</summary>
internal static class Stages
{
    /// <summary>The axes that move: all of them, or only x1 under glide (x2 must never be written).</summary>
    public static int MovingAxes(ParticleState state, MobilityType mobility) =>
        mobility == MobilityType.Glide ? 1 : state.Dimension;

    /// <summary>
    /// The error scale atol + rtol·L of one position component, with L = 1 the torus period. Positions on the
    /// torus have no origin: scaling by |x| would give a particle near x = 0 a tolerance a hundred times tighter
    /// than one near x = ½, and a translated copy of a system a different sequence of steps.
    /// </summary>
    public static double ErrorScale(double rtol, double atol) => atol + rtol;

    /// <summary>Evaluates velocities, turning a collision into a <see cref="SimulationException"/> at <paramref name="time"/>.</summary>
    public static double Evaluate(
        IForceEvaluator evaluator, ParticleState state, double[][] velocity, bool withEnergy, double time)
    {
        try
        {
            return evaluator.Evaluate(state, velocity, withEnergy);
        }
        catch (CollisionException collision)
        {
            throw SimulationException.Collision(collision, time);
        }
    }

    /// <summary>
    /// A state for stage positions: own arrays for the moving axes, and under glide the very x2 array of
    /// <paramref name="state"/>, so every stage sees the slip planes bit for bit.
    /// </summary>
    public static ParticleState StageState(ParticleState state, int movingAxes)
    {
        var positions = new double[state.Dimension][];
        for (int a = 0; a < state.Dimension; a++)
        {
            positions[a] = a < movingAxes ? new double[state.Count] : state.Positions[a];
        }
        return new ParticleState(positions, state.Signs);
    }
}
