using HpcGB.Engine.Forces;
using HpcGB.Engine.Model;

namespace HpcGB.Engine.Integrators;

/// <summary>
/// Advances the particle ODE ẋ = v(x) (v from an <see cref="IForceEvaluator"/>) in place, landing exactly on
/// the requested time, and counts its work. Positions are unwrapped; under glide the x2 array is never
/// written, so it stays bit-identical. Evaluator collisions surface as
/// <see cref="Simulation.SimulationException"/> carrying the simulated time.
/// </summary>
public interface IIntegrator
{
    /// <summary>Short name for outputs, e.g. "dp45".</summary>
    string Name { get; }

    long AcceptedSteps { get; }

    long RejectedSteps { get; }

    /// <summary>Calls of <see cref="IForceEvaluator.Evaluate"/> made by this integrator.</summary>
    long ForceEvaluations { get; }

    /// <summary>
    /// Moves <paramref name="state"/> from <paramref name="time"/> to exactly <paramref name="target"/> (≥ time).
    /// Consecutive calls on the same state continue where the last one stopped (adaptive step size and cached
    /// velocities carry over); call <see cref="Reset"/> after changing the state by other means.
    /// </summary>
    void Advance(
        IForceEvaluator evaluator, ParticleState state, double time, double target,
        CancellationToken cancellation = default);

    /// <summary>Called after every accepted step with the simulated time reached (progress bars); null for none.</summary>
    Action<double>? Progress { get; set; }

    /// <summary>Forgets cached velocities and the step-size history (the counters stay).</summary>
    void Reset();
}
