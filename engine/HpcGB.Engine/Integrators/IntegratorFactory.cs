using HpcGB.Engine.Model;
using HpcGB.Engine.Spec;

namespace HpcGB.Engine.Integrators;

/// <summary>The one place that turns a spec's <c>time</c> block into an integrator.</summary>
public static class IntegratorFactory
{
    public static IIntegrator Create(TimeSpec time, SystemModel system)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(system);
        switch (time.Integrator)
        {
            case IntegratorType.Dp45:
                if (!(time.Rtol >= 0 && double.IsFinite(time.Rtol)))
                {
                    throw new SpecException("$.time.rtol", $"must be finite and non-negative, got {time.Rtol}");
                }
                if (!(time.Atol >= 0 && double.IsFinite(time.Atol)) || time.Rtol + time.Atol == 0)
                {
                    throw new SpecException("$.time.atol", $"must be finite, non-negative, and not 0 together with rtol; got {time.Atol}");
                }
                return new DormandPrince45(time.Rtol, time.Atol, system.Mobility);
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
