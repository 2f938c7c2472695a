using HpcGB.Engine.Integrators.Implicit;
using HpcGB.Engine.Model;
using HpcGB.Engine.Spec;

namespace HpcGB.Engine.Integrators;

/// <summary>The one place that turns a spec's <c>time</c> block into an integrator.</summary>
public static class IntegratorFactory
{
    /// <summary>
    /// The integrator of <paramref name="time"/>; <c>auto</c> needs the <paramref name="initial"/> particles to
    /// estimate the stiffness (<see cref="StiffnessEstimate"/>) and resolves to <c>implicit</c> or <c>dp45</c>;
    /// <paramref name="threads"/> (the forces' thread count) is the implicit integrator's
    /// <see cref="ImplicitIntegrator.Threads"/>.
    /// </summary>
    public static IIntegrator Create(TimeSpec time, SystemModel system, ParticleState? initial = null, int threads = 1)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(system);
        var type = time.Integrator;
        if (type == IntegratorType.Auto)
        {
            if (initial is null)
            {
                throw new ArgumentNullException(nameof(initial), "integrator 'auto' needs the initial particles");
            }
            double interval = time.End / (time.Outputs - 1);
            type = StiffnessEstimate.ExplicitStepsPerInterval(system, initial, interval) > StiffnessEstimate.ExplicitStepsLimit
                ? IntegratorType.Implicit
                : IntegratorType.Dp45;
        }
        switch (type)
        {
            case IntegratorType.Dp45:
            case IntegratorType.Implicit:
                if (!(time.Rtol >= 0 && double.IsFinite(time.Rtol)))
                {
                    throw new SpecException("$.time.rtol", $"must be finite and non-negative, got {time.Rtol}");
                }
                if (!(time.Atol >= 0 && double.IsFinite(time.Atol)) || time.Rtol + time.Atol == 0)
                {
                    throw new SpecException("$.time.atol", $"must be finite, non-negative, and not 0 together with rtol; got {time.Atol}");
                }
                return type == IntegratorType.Dp45
                    ? new DormandPrince45(time.Rtol, time.Atol, system.Mobility)
                    : new ImplicitIntegrator(
                        time.Rtol, time.Atol, system, time.MaxOrder, time.Error == ErrorControl.PerUnitTime) { Threads = threads };
            case IntegratorType.Euler:
                if (!(time.Step > 0 && double.IsFinite(time.Step)))
                {
                    throw new SpecException("$.time.step", $"must be positive and finite, got {time.Step}");
                }
                return new ForwardEuler(time.Step, system.Mobility);
            default:
                throw new NotSupportedException($"unknown integrator {time.Integrator}");
        }
    }
}
