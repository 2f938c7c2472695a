using HpcGB.Engine.Model;

namespace HpcGB.Engine.Integrators;

/// <summary>
/// An integrator whose state between two <see cref="IIntegrator.Advance"/> calls can be saved and put back, so a
/// run stopped at time t and resumed from a checkpoint takes exactly the steps an uninterrupted run would have
/// taken from t on (bit-identical positions).
/// </summary>
public interface IResumableIntegrator : IIntegrator
{
    /// <summary>The state after the last <see cref="IIntegrator.Advance"/>: its end time, step size, cached
    /// velocity and counters. The arrays are copies.</summary>
    IntegratorCheckpoint Capture();

    /// <summary>Continues from <paramref name="checkpoint"/> with <paramref name="state"/> holding the positions
    /// at <see cref="IntegratorCheckpoint.Time"/>; the next call must be <c>Advance(…, state, checkpoint.Time, …)</c>.</summary>
    void Restore(ParticleState state, IntegratorCheckpoint checkpoint);
}

/// <summary>
/// What an <see cref="IResumableIntegrator"/> carries from one <c>Advance</c> to the next.
/// </summary>
/// <param name="Integrator">The <see cref="IIntegrator.Name"/> that captured it; restoring into another one fails.</param>
/// <param name="Time">Where the last <c>Advance</c> ended.</param>
/// <param name="Step">The proposed next step size (0: none yet; fixed-step integrators report their step).</param>
/// <param name="PreviousError">The step controller's memory (the last accepted error norm; 0 when unused).</param>
/// <param name="Velocity">The cached first-same-as-last stage v(y(Time)), [axis][i], or null when none is cached.</param>
/// <param name="History">The points a multistep integrator builds its next step from, or null (one-step
/// integrators, or none accepted yet).</param>
public sealed record IntegratorCheckpoint(
    string Integrator,
    double Time,
    double Step,
    double PreviousError,
    double[][]? Velocity,
    long AcceptedSteps,
    long RejectedSteps,
    long ForceEvaluations,
    MultistepHistory? History = null)
{
    /// <summary>The implicit integrator's <see cref="Implicit.ImplicitIntegrator.LocalErrorSum"/> so far (0: none).</summary>
    public double LocalErrorSum { get; init; }
}

/// <summary>The newest accepted points of a multistep integrator (BDF's x_n, x_{n−1}, …), newest first.</summary>
/// <param name="Times">t_n, t_{n−1}, …; the first is <see cref="IntegratorCheckpoint.Time"/>.</param>
/// <param name="Points">[k][axis][i]: the moving axes of the k-th newest point.</param>
/// <param name="Energy">E_n at the newest point: the reference of the implicit integrator's energy check.</param>
/// <param name="Order">The order of the next step; 0 in checkpoints written before the order was saved (the BDF2
/// integrator of issue 4, whose history of 2 or 3 points continues at order ≤ 2).</param>
/// <param name="StepsAtOrder">Steps taken at <paramref name="Order"/> since it was chosen (the order choice waits
/// for q + 1 of them).</param>
public sealed record MultistepHistory(double[] Times, double[][][] Points, double Energy, int Order = 0, int StepsAtOrder = 0);
