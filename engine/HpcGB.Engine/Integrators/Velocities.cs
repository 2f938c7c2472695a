using HpcGB.Engine.Forces;
using HpcGB.Engine.Model;
using HpcGB.Engine.Simulation;

namespace HpcGB.Engine.Integrators;

/// <summary>Velocity evaluation as the integrators need it.</summary>
internal static class Velocities
{
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
}
