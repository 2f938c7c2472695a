using HpcGB.Engine.Model;

namespace HpcGB.Engine.Simulation;

/// <summary>What a finished <see cref="SimulationRunner.Run"/> returns.</summary>
/// <param name="Frames">Frames emitted (time.outputs on success).</param>
/// <param name="FinalState">The state at the end time (unwrapped positions).</param>
/// <param name="AcceptedSteps">Accepted integrator steps.</param>
/// <param name="RejectedSteps">Rejected integrator steps.</param>
/// <param name="ForceEvaluations">All force evaluations, the frames' energy evaluations included.</param>
/// <param name="WallTime">Elapsed wall-clock time of the run.</param>
public sealed record SimulationResult(
    int Frames,
    ParticleState FinalState,
    long AcceptedSteps,
    long RejectedSteps,
    long ForceEvaluations,
    TimeSpan WallTime);
