using HpcGB.Engine.Model;

namespace HpcGB.Engine.Integrators;

/// <summary>Checkpoints: Euler carries only its counters and the time its last <see cref="Advance"/> reached.</summary>
public sealed partial class ForwardEuler : IResumableIntegrator
{
    private double _endTime;

    public IntegratorCheckpoint Capture() =>
        new(Name, _endTime, _step, 0, null, AcceptedSteps, RejectedSteps, ForceEvaluations);

    public void Restore(ParticleState state, IntegratorCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(checkpoint);
        Resumption.CheckMatches(this, state, checkpoint);
        _endTime = checkpoint.Time;
        AcceptedSteps = checkpoint.AcceptedSteps;
        ForceEvaluations = checkpoint.ForceEvaluations;
    }
}
