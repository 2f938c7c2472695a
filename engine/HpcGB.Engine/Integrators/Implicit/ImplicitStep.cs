namespace HpcGB.Engine.Integrators.Implicit;

/// <summary>One accepted step of <see cref="ImplicitIntegrator"/>, as reported to its observer.</summary>
/// <param name="Time">The time the step ended at.</param>
/// <param name="Step">The step size τ.</param>
/// <param name="Order">1 (backward Euler) or 2 (BDF2).</param>
/// <param name="EnergyBefore">E_n at the start of the step.</param>
/// <param name="EnergyAfter">E_n at the end (never above <paramref name="EnergyBefore"/> beyond rounding).</param>
/// <param name="NewtonIterations">Newton iterations of the accepted solve.</param>
/// <param name="ErrorNorm">The filtered error estimate (≤ 1).</param>
public sealed record ImplicitStep(
    double Time, double Step, int Order, double EnergyBefore, double EnergyAfter, int NewtonIterations, double ErrorNorm);
