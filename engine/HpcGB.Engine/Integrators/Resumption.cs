using HpcGB.Engine.Model;

namespace HpcGB.Engine.Integrators;

/// <summary>Checks shared by the <see cref="IResumableIntegrator.Restore"/> implementations.</summary>
internal static class Resumption
{
    /// <summary>Throws <see cref="ArgumentException"/> when the checkpoint is for another integrator or its cached
    /// velocity does not fit <paramref name="state"/>.</summary>
    public static void CheckMatches(IIntegrator integrator, ParticleState state, IntegratorCheckpoint checkpoint)
    {
        if (checkpoint.Integrator != integrator.Name)
        {
            throw new ArgumentException(
                $"checkpoint of integrator '{checkpoint.Integrator}' cannot resume '{integrator.Name}'", nameof(checkpoint));
        }
        if (!double.IsFinite(checkpoint.Time))
        {
            throw new ArgumentException($"checkpoint time must be finite, got {checkpoint.Time}", nameof(checkpoint));
        }
        if (checkpoint.Velocity is { } velocity
            && (velocity.Length != state.Dimension || velocity.Any(axis => axis.Length != state.Count)))
        {
            throw new ArgumentException(
                $"checkpoint velocity does not match {state.Count} particles in {state.Dimension}D", nameof(checkpoint));
        }
    }
}
