using HpcGB.Engine.Model;

namespace HpcGB.Engine.Simulation;

/// <summary>What <see cref="SimulationRunner.Run"/> returns when the run reached its end time.</summary>
/// <param name="Frames">Frames emitted by this call (time.outputs for a run from t = 0).</param>
/// <param name="FinalState">The state at the end time (unwrapped positions); the runner's own, not a copy.</param>
/// <param name="AcceptedSteps">Accepted integrator steps since t = 0.</param>
/// <param name="RejectedSteps">Rejected integrator steps since t = 0.</param>
/// <param name="ForceEvaluations">All force evaluations since t = 0, the frames' energy evaluations included.</param>
/// <param name="WallTime">Elapsed wall-clock time of this call.</param>
public sealed record SimulationResult(
    int Frames,
    ParticleState FinalState,
    long AcceptedSteps,
    long RejectedSteps,
    long ForceEvaluations,
    TimeSpan WallTime);
