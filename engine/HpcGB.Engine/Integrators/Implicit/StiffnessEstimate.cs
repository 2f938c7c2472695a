using HpcGB.Engine.Model;

namespace HpcGB.Engine.Integrators.Implicit;

/// <summary>
/// The rule of <c>time.integrator = "auto"</c>. The stiffest relaxation rate of the flow is λ = max over pairs
/// of the curvature of their relative coordinate, 2|∇²V_δ(x_i − x_j)|/n (largest eigenvalue), taken over the
/// Newton matrix's pairs at t = 0 and, for a regularised kernel, at least 1/(nδ²): the rate of an
/// opposite-sign pair collapsed into its core, which any dipole that forms later reaches. An explicit method
/// needs steps ≲ 3.3/λ (DP45's stability interval on the negative axis); when that means more than
/// <see cref="ExplicitStepsLimit"/> steps per output interval, the implicit integrator is chosen.
/// </summary>
public static class StiffnessEstimate
{
    /// <summary>Explicit steps per output interval above which <c>auto</c> picks the implicit integrator.</summary>
    public const double ExplicitStepsLimit = 200;

    /// <summary>Length of DP45's stability interval on the negative real axis.</summary>
    public const double ExplicitStability = 3.3;

    /// <summary>λ for <paramref name="state"/> (see the type's summary).</summary>
    public static double StiffestRate(SystemModel model, ParticleState state)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(state);
        int n = state.Count;
        int components = model.Dimension == 2 && model.Mobility == MobilityType.Isotropic ? 2 : 1;
        var matrix = new NewtonMatrix(model, n, components);
        // With γ = 1 the stiffness is trace|∇²V|/n ≥ (largest eigenvalue)/n: twice it bounds the rate from above.
        matrix.Assemble(state, 1.0, ImplicitIntegrator.PairRadius(model, n));
        matrix.Modify(Curvature.Absolute);
        double rate = 2 * matrix.StiffestPair.Stiffness;
        if (model.Regularization.Type != RegularizationType.None)
        {
            rate = Math.Max(rate, 1.0 / (n * model.Delta * model.Delta));
        }
        return rate;
    }

    /// <summary>Explicit steps one output interval of length <paramref name="interval"/> would need.</summary>
    public static double ExplicitStepsPerInterval(SystemModel model, ParticleState state, double interval) =>
        interval * StiffestRate(model, state) / ExplicitStability;
}
