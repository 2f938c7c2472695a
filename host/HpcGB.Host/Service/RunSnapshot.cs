using HpcGB.Engine.Analysis;
using HpcGB.Engine.Integrators;
using HpcGB.Engine.Simulation;

namespace HpcGB.Host.Service;

/// <summary>
/// A run at a segment boundary (an output time or an <c>advance</c> target), taken by the worker right after the
/// integrator landed there: what <c>get_state</c> reports and what <c>checkpoint</c> writes. Immutable; the
/// arrays are copies.
/// </summary>
/// <param name="Time">Simulated time.</param>
/// <param name="NextFrame">Index of the next output frame (frames 0 … NextFrame−1 have been emitted).</param>
/// <param name="Positions">Unwrapped positions [axis][i].</param>
/// <param name="Integrator">The integrator's state, or null when it cannot be checkpointed.</param>
/// <param name="Last">Observables of the last frame, null before frame 0.</param>
/// <param name="FrameEvaluations">Energy evaluations done for frames so far (part of the evaluation count).</param>
internal sealed record RunSnapshot(
    double Time,
    int NextFrame,
    double[][] Positions,
    IntegratorCheckpoint? Integrator,
    Observables? Last,
    long FrameEvaluations)
{
    /// <summary>The runner's <paramref name="checkpoint"/> with the observables of the last frame.</summary>
    public static RunSnapshot At(SimulationCheckpoint checkpoint, Observables? last) => new(
        checkpoint.Time, checkpoint.NextFrame, checkpoint.Positions, checkpoint.Integrator, last, checkpoint.FrameEvaluations);

    /// <summary>What the runner resumes from.</summary>
    public SimulationCheckpoint ToCheckpoint() => new(Time, NextFrame, Positions, Integrator, FrameEvaluations);
}
