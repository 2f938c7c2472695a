using HpcGB.Engine.Integrators.Implicit;

namespace HpcGB.Engine.Integrators;

/// <summary>
/// What a run's tolerances mean for its global error (issue 18, "make accuracy visible"), written by
/// <c>hpcgb run</c> into summary.json and its final table: which error rtol and atol bound, and for the implicit
/// integrator an estimate of the global error, the local error estimates of its accepted steps added up
/// (<see cref="ImplicitIntegrator.LocalErrorSum"/>; measured within 0.45–2.2 times of the largest global error
/// against tight references, docs/implicit.md "Accuracy").
/// </summary>
/// <param name="Control">What rtol and atol bound: <c>per_step</c> (each step's local error), <c>per_unit_time</c>,
/// or <c>none</c> (fixed steps).</param>
/// <param name="GlobalErrorEstimate">The estimated largest global error in positions at the end, or null where the
/// integrator has none.</param>
/// <param name="Meaning">One sentence on how the global error relates to rtol for this integrator.</param>
public sealed record AccuracyReport(string Control, double? GlobalErrorEstimate, string Meaning)
{
    public static AccuracyReport For(IIntegrator integrator) => integrator switch
    {
        ImplicitIntegrator { ErrorPerUnitTime: true } implicitRun => new(
            "per_unit_time", implicitRun.LocalErrorSum,
            "rtol and atol bound the local error per unit of time: the global error tracks rtol·T (measured 0.2–0.7·rtol at T = 1); "
            + "the estimate adds up the accepted steps' local error estimates"),
        ImplicitIntegrator implicitRun => new(
            "per_step", implicitRun.LocalErrorSum,
            "rtol and atol bound each step's local error: the global error is about their sum over the steps "
            + "(measured 60–320·rtol for BDF2); the estimate adds up the accepted steps' local error estimates"),
        DormandPrince45 => new(
            "per_step", null,
            "rtol and atol bound each step's local error of the 4th-order solution; the 5th-order one it keeps is "
            + "more accurate (measured global error about rtol)"),
        _ => new("none", null, "fixed steps: no error control; the global error is O(step)"),
    };
}
