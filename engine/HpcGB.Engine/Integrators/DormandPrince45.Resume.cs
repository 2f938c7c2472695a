using HpcGB.Engine.Model;

namespace HpcGB.Engine.Integrators;

/// <summary>Checkpoints: the step size, the PI controller's memory and the first-same-as-last stage.</summary>
public sealed partial class DormandPrince45 : IResumableIntegrator
{
    public IntegratorCheckpoint Capture()
    {
        double[][]? velocity = _velocityCached && _work is not null
            ? _work.K[0].Select(axis => (double[])axis.Clone()).ToArray()
            : null;
        return new IntegratorCheckpoint(
            Name, _cachedTime, _step, _previousError, velocity, AcceptedSteps, RejectedSteps, ForceEvaluations);
    }

    public void Restore(ParticleState state, IntegratorCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(checkpoint);
        Resumption.CheckMatches(this, state, checkpoint);
        _work = new Workspace(state, StagePositions.MovingAxes(state, _mobility));
        if (checkpoint.Velocity is { } velocity)
        {
            for (int a = 0; a < velocity.Length; a++)
            {
                Array.Copy(velocity[a], _work.K[0][a], state.Count);
            }
        }
        _velocityCached = checkpoint.Velocity is not null;
        _cachedTime = checkpoint.Time;
        _step = checkpoint.Step;
        _previousError = checkpoint.PreviousError;
        AcceptedSteps = checkpoint.AcceptedSteps;
        RejectedSteps = checkpoint.RejectedSteps;
        ForceEvaluations = checkpoint.ForceEvaluations;
    }
}
