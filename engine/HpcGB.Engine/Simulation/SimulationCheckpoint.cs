using HpcGB.Engine.Integrators;

namespace HpcGB.Engine.Simulation;

/// <summary>
/// A run at a segment boundary, as <see cref="SimulationRunner.Capture"/> takes it and
/// <see cref="SimulationRunner.Resume"/> continues from it: everything a run carries from one segment to the next,
/// so that a resumed run takes exactly the steps an uninterrupted one would (bit-identical positions). The arrays
/// are copies.
/// </summary>
/// <param name="Time">Simulated time.</param>
/// <param name="NextFrame">Index of the next output frame (frames 0 … NextFrame−1 have been emitted).</param>
/// <param name="Positions">Unwrapped positions [axis][i].</param>
/// <param name="Integrator">The integrator's state, or null when it cannot be checkpointed.</param>
/// <param name="FrameEvaluations">Energy evaluations done for frames so far (part of the evaluation count).</param>
public sealed record SimulationCheckpoint(
    double Time,
    int NextFrame,
    double[][] Positions,
    IntegratorCheckpoint? Integrator,
    long FrameEvaluations);
