using HpcGB.Engine.Forces;

namespace HpcGB.Engine.Simulation;

/// <summary>
/// A run could not continue: a collision under the unregularised kernel, or a step size that fell below
/// the smallest meaningful one. <see cref="Time"/> is the simulated time at which it happened; the message
/// names it (and, for a collision, both particles) so a log line alone tells what went wrong where.
/// </summary>
public sealed class SimulationException(string message, double time, Exception? inner = null)
    : Exception(message, inner)
{
    public double Time { get; } = time;

    /// <summary>Wraps a collision raised by the evaluator at simulated time <paramref name="time"/>.</summary>
    public static SimulationException Collision(CollisionException collision, double time) => new(
        $"particles {collision.First} and {collision.Second} collided at t = {time:R} "
        + $"(distance {collision.Separation:R} < {CollisionException.Distance:R}) with regularization 'none'",
        time,
        collision);

    /// <summary>The adaptive step size dropped below <paramref name="minimum"/> at time <paramref name="time"/>.</summary>
    public static SimulationException Stalled(string integrator, double time, double step, double target) => new(
        $"{integrator}: stalled at t = {time:R}: steps of {step:R} would need more than {(target - time) / step:E1} more steps "
        + $"to reach the output time {target:R}; the system is too stiff for explicit steps (typically two particles "
        + "collapsing under regularisation none, or δ far below the particle spacing)",
        time);

    public static SimulationException StepTooSmall(string integrator, double time, double step, double minimum) => new(
        $"{integrator}: step size {step:R} fell below the minimum {minimum:R} at t = {time:R}; the system is too stiff "
        + "for these tolerances (typically two particles about to collide, or δ too small for the time scale)",
        time);
}
