namespace HpcGB.Engine.Integrators.Implicit;

/// <summary>What <see cref="NewtonConvergence.Next"/> says about a Newton iteration.</summary>
internal enum NewtonVerdict
{
    Continue,
    Converged,
    Stalled,
}

/// <summary>
/// The convergence test of one Newton solve, fed the size of every full (undamped) Newton step relative to the
/// error scale and whether the line search took all of it. Converged when the step, or the error it leaves at the
/// contraction rate ρ of the last two iterations (step·ρ/(1 − ρ)), is below the tolerance. ρ is a contraction
/// rate only between two full steps: after a damped one the iterate did not move by the previous step, and a
/// step that shrank because the line search cut the last one says nothing about how close the minimiser is.
/// Stalled: three full exact Newton steps in a row, each not shrinking the correction below
/// <see cref="MaxRate"/> times the one before (two such steps are also Newton's approach to a minimiser from
/// afar, where the step undershoots: a pair moving out of its core). Damped steps, and steps whose matrix had
/// negative curvature flipped (<see cref="NewtonMatrix.Flipped"/>), are the global phase (a pair crossing its
/// concave tail or core), where corrections grow while Φ falls.
/// </summary>
internal struct NewtonConvergence(double tolerance)
{
    /// <summary>Largest ρ for which the remaining-error estimate is trusted; at or above it two full steps stall.</summary>
    public const double MaxRate = 0.9;

    private double _previous = double.NaN;
    private bool _previousFull;
    private bool _previousExact;
    private int _slow; // consecutive exact full steps with a rate ≥ MaxRate

    /// <summary>The rate of the last two steps (NaN when either was damped).</summary>
    public double Rate { get; private set; } = double.NaN;

    /// <summary>Whether <see cref="Next"/> would say converged for this step if the line search took all of it.</summary>
    public readonly bool ConvergesIfFull(double correction) => Within(correction, _previousFull ? correction / _previous : double.NaN);

    private readonly bool Within(double correction, double rate) =>
        correction <= tolerance || (rate < MaxRate && correction * rate / (1 - rate) <= tolerance);

    /// <param name="correction">The full Newton step's size relative to the error scale.</param>
    /// <param name="full">Whether the line search took all of it.</param>
    /// <param name="exact">Whether its matrix kept every curvature (none flipped).</param>
    public NewtonVerdict Next(double correction, bool full, bool exact = true)
    {
        bool both = full && _previousFull;
        bool newton = both && exact && _previousExact;
        Rate = both ? correction / _previous : double.NaN;
        _previous = correction;
        _previousFull = full;
        _previousExact = exact;
        if (Within(correction, Rate))
        {
            return NewtonVerdict.Converged;
        }
        _slow = newton && Rate >= MaxRate ? _slow + 1 : 0;
        return _slow >= 2 ? NewtonVerdict.Stalled : NewtonVerdict.Continue;
    }
}
