using HpcGB.Engine.Forces;
using HpcGB.Engine.Model;

namespace HpcGB.Engine.Integrators.Implicit;

/// <summary>
/// Solves one implicit stage x − x̃ − γẋ(x) = 0, ẋ = −n∇E_n, as the minimising movement
/// x = argmin Φ(x), Φ(x) = ½|x − x̃|² + γ n E_n(x) (∇Φ = x − x̃ − γẋ): Newton steps M s = −∇Φ with the sparse
/// <see cref="NewtonMatrix"/> (positive definite, so s is a descent direction of Φ), and a backtracking
/// (Armijo) line search on Φ, in which a collision under regularisation none only halves the step: Φ's change read
/// from ∇Φ where the step is local or the pairs have a free-space core (every 2D kernel), from E_n else (1D).
/// Converged (<see cref="NewtonConvergence"/>) when the RMS of the full Newton step over atol + rtol, or of what
/// remains at the rate of the last two, is below <see cref="Tolerance"/>; a converged point where Φ curves down
/// along a pair's separation is a saddle, which the solver leaves by moving the pair together
/// (<see cref="Escape"/>) before converging again.
/// </summary>
internal sealed class StageSolver
{
    /// <summary>RMS of the last Newton correction over atol + rtol at convergence (the step's error tolerance is 1).</summary>
    public const double Tolerance = 0.05;

    private const int MaxIterations = 12;

    /// <summary>Newton's correction shrinking by less than this per full step with flipped curvature: creeping.</summary>
    private const double CreepRate = 0.8;

    /// <summary>Early escapes (<see cref="EscapeCaptured"/>) per solve.</summary>
    private const int MaxEarlyEscapes = 2;

    /// <summary>Saddles of Φ escaped (<see cref="Escape"/>) per solve before it counts as failed.</summary>
    private const int MaxEscapes = 3;

    /// <summary>Trials of <see cref="Escape"/>: α = 1 down to 2⁻⁵.</summary>
    private const int EscapeHalvings = 6;
    private const int MaxHalvings = 60;
    private const double Armijo = 1e-4;

    /// <summary>
    /// A Newton step that moves no pair by more than this fraction of its separation (<see cref="NewtonMatrix.IsLocal"/>)
    /// is local: Φ along it is its quadratic model to O(q), and the line search reads the decrease from ∇Φ at both
    /// ends (<see cref="GradientDecrease"/>) instead of from E_n.
    /// </summary>
    private const double LocalStep = 0.25;

    /// <summary>
    /// A local trial is taken when the trapezoid rule's ΔΦ, ½α(∇Φ(x)·s + ∇Φ(x + αs)·s), is at most this times α∇Φ(x)·s:
    /// exact for quadratic Φ, its error was below 0.05|∇Φ·s| at q ≤ ¼ on the peer workload, so the decrease taken is
    /// at least 0.05|∇Φ·s|, far above Armijo's 10⁻⁴ (a Newton step's is ½).
    /// </summary>
    private const double GradientDecrease = 0.1;

    /// <summary>
    /// A trial whose full Newton step is at most this (relative to the error scale) is evaluated with E_n: it is
    /// likely the solution, whose E_n the energy check reads (on the peer workload 379 of 447 such trials were; of
    /// the 49 larger ones, 1).
    /// </summary>
    private const double FinalCorrection = 200 * Tolerance;

    /// <summary>
    /// The start (the predictor) is evaluated with E_n when it moved a pair by more than this times its separation
    /// from the last solution: Newton's first step from there is then usually not local either and its line search
    /// needs Φ at the start (the free log gas: every start is beyond it). At 1 the peer workload at n = 4096 and
    /// 16384 evaluated 7 and 5 starts again for E_n; at ½, 2 and 1, for 10 more starts with E_n at n = 4096.
    /// </summary>
    private const double StartEnergyLocality = 0.5;
    private const double LinearTolerance = 1e-4;
    private const int MaxLinearIterations = 200;

    private readonly IForceEvaluator _evaluator;
    private readonly ParticleState _state; // the iterate (own arrays for the moving axes)
    private readonly double[][] _trial;
    private readonly double[][] _residual;
    private readonly double[][] _step;
    private double[][] _trialVelocity; // ẋ at a line-search trial, swapped with Velocity when the trial is taken
    private readonly int _moving;
    private readonly int _n;
    private double[][] _target = [];
    private double _merit;
    private double _weight;
    private bool _assembledHere; // the matrix was assembled at the current iterate (and this γ)
    private KnownPoint? _last; // the last solution, with its ẋ where known
    private int _earlyEscapes;
    private readonly bool _coreSearch; // the non-local line search reads Φ's change without E_n (CoreDecrease)

    public StageSolver(IForceEvaluator evaluator, ParticleState stage, NewtonMatrix matrix, int movingAxes, double radius)
    {
        _evaluator = evaluator;
        _state = stage;
        Matrix = matrix;
        _moving = movingAxes;
        _n = stage.Count;
        Radius = radius;
        _coreSearch = matrix.KnowsCoreEnergy;
        Velocity = stage.NewVectors();
        _trialVelocity = stage.NewVectors();
        _trial = NewMoving();
        _residual = NewMoving();
        _step = NewMoving();
    }

    public NewtonMatrix Matrix { get; }

    /// <summary>Pair radius of the Newton matrix.</summary>
    public double Radius { get; }

    /// <summary>ẋ at the last iterate (every axis).</summary>
    public double[][] Velocity { get; private set; }

    /// <summary>γ of the last <see cref="Solve"/>.</summary>
    public double Gamma { get; private set; }

    /// <summary>The stage's time after the last solution (the step τ) of the last <see cref="Solve"/>.</summary>
    public double Span { get; private set; }

    /// <summary>E_n at the last iterate; NaN while the iterate was evaluated without it (after <see cref="Solve"/>: known).</summary>
    public double Energy { get; private set; }

    public long Evaluations { get; private set; }

    /// <summary>The evaluations by cause.</summary>
    public EvaluationTally Tally { get; } = new();

    public int Iterations { get; private set; }

    /// <summary>Saddles of Φ left by <see cref="Escape"/> in the last <see cref="Solve"/>.</summary>
    public int Escapes { get; private set; }

    /// <summary>Why the last <see cref="Solve"/> failed (with the particles involved), or null.</summary>
    public string? Failure { get; private set; }

    /// <summary>
    /// From the iterate already in the stage state, solves for x̃ and γ, <paramref name="span"/> after the last
    /// solution (the step τ, where <see cref="NewtonMatrix.FoldStep"/> holds pairs at their two-body flow), with
    /// the error weight 1/(atol + rtol); returns false (with <see cref="Failure"/>) when Newton does not converge.
    /// With <paramref name="fallback"/> (the last solution) Newton starts from whichever of the two has the lower Φ: after a relaxation the
    /// predictor extrapolates a collapsed dipole through its collapse and reopens it on the other side; with
    /// <paramref name="fromFallback"/> it starts there without trying the stage's iterate. The fallback's ẋ, where
    /// known, is taken instead of evaluated. A converged iterate with E_n above <paramref name="energyBound"/> gets
    /// up to <paramref name="polish"/> more Newton steps (<see cref="Polish"/>) before the saddle test, so the
    /// point returned has passed both; whether E_n got below the bound is for the caller to check.
    /// </summary>
    public bool Solve(
        double[][] target, double gamma, double span, double weight, KnownPoint? fallback = null, bool fromFallback = false,
        double energyBound = double.PositiveInfinity, int polish = 0)
    {
        Failure = null;
        Iterations = 0;
        Escapes = 0;
        Gamma = gamma;
        Span = span;
        Matrix.ReleaseHolds();
        _target = target;
        _weight = weight;
        _assembledHere = false;
        _last = fallback;
        _earlyEscapes = 0;
        double energy = double.NaN;
        bool evaluated = !fromFallback && TryEvaluate(Velocity, out energy, EvaluationCause.Start, StartNeedsEnergy(fallback));
        if (fallback is { } last && (fromFallback || !(evaluated && StartIsLower(last, energy))))
        {
            for (int a = 0; a < _moving; a++)
            {
                Array.Copy(last.Positions[a], _state.Positions[a], _n);
            }
            _assembledHere = false;
            Failure = null;
            if (last.Velocity is { } velocity)
            {
                for (int a = 0; a < velocity.Length; a++)
                {
                    Array.Copy(velocity[a], Velocity[a], velocity[a].Length);
                }
                energy = last.Energy;
                evaluated = true;
            }
            else
            {
                evaluated = TryEvaluate(Velocity, out energy, EvaluationCause.Fallback, withEnergy: true);
            }
        }
        if (!evaluated)
        {
            return false;
        }
        Energy = energy;
        _merit = Merit(_state.Positions, target, gamma, energy);
        for (; ; Escapes++)
        {
            if (!Converge() || !KnowEnergy())
            {
                return false;
            }
            Polish(energyBound, polish);
            // The Newton matrix at the solution, for the saddle test here and the error filter after (already there
            // when the last Newton step found the iterate within the tolerance and stayed).
            if (!_assembledHere)
            {
                Matrix.Assemble(_state, gamma, Radius);
                _assembledHere = true;
            }
            var (i, j, rate) = Matrix.UnstablePair;
            if (rate <= 1)
            {
                return true;
            }
            // Φ curves down along these pairs' separation: Newton met a saddle of Φ, not its minimiser, which lies
            // where the pairs have fallen into their cores (or collided), or, for a like-sign pair inside a
            // Gaussian core, further apart.
            if (Escapes == MaxEscapes || !Escape())
            {
                Failure = $"particles {i} and {j} close in faster than the step resolves (rate {rate:G3} > 1 at a saddle of Φ; {Matrix.UnstablePairs.Count} such pairs)";
                return false;
            }
        }
    }

    /// <summary>
    /// Whether the start needs E_n: to compare with a last solution whose ẋ is not known, after no last solution
    /// (a solve again after a mirror), and, unless the line search reads Φ's change from ∇Φ and the cores
    /// (<see cref="CoreDecrease"/>), where the predictor moved a pair by more than
    /// <see cref="StartEnergyLocality"/> times its separation relative to the last solution (the pairs and
    /// separations of the matrix's last assembly: at the last solution, or at the attempt rejected since).
    /// </summary>
    private bool StartNeedsEnergy(KnownPoint? fallback)
    {
        if (fallback is not { Velocity: not null } last)
        {
            return true;
        }
        if (_coreSearch)
        {
            return false;
        }
        var x = _state.Positions;
        for (int a = 0; a < _moving; a++)
        {
            double[] d = _step[a], p = x[a], l = last.Positions[a];
            for (int i = 0; i < _n; i++)
            {
                d[i] = p[i] - l[i];
            }
        }
        return !Matrix.IsLocal(_step, Radius, StartEnergyLocality);
    }

    /// <summary>
    /// Whether Φ at the start (the iterate, just evaluated) is at most Φ at the last solution. With the last
    /// solution's ẋ known, by the trapezoid rule on the segment between them, ΔΦ ≈ ½(∇Φ(x) + ∇Φ(last))·(x − last)
    /// (exact for quadratic Φ; on the peer workload and the free log gas it decided as the exact Φ did at all 665
    /// starts, in the dipole settings only ties within 10⁻¹⁵ went the other way), so the start needs no E_n; else
    /// from the exact Φ.
    /// </summary>
    private bool StartIsLower(KnownPoint last, double energy)
    {
        if (last.Velocity is not { } lastVelocity)
        {
            return Merit(_state.Positions, _target, Gamma, energy) <= Merit(last.Positions, _target, Gamma, last.Energy);
        }
        double change = 0;
        for (int a = 0; a < _moving; a++)
        {
            double[] x = _state.Positions[a], l = last.Positions[a], t = _target[a], v = Velocity[a], w = lastVelocity[a];
            for (int i = 0; i < _n; i++)
            {
                double gradient = (x[i] - t[i] - Gamma * v[i]) + (l[i] - t[i] - Gamma * w[i]);
                change += gradient * (x[i] - l[i]);
            }
        }
        return 0.5 * Matrix.Halo.Sum(change) <= 0;
    }

    /// <summary>
    /// Makes E_n (and Φ) at the iterate known, evaluating there again if it was evaluated without it (ẋ does not
    /// depend on whether E_n is asked for); false if that evaluation fails.
    /// </summary>
    private bool KnowEnergy()
    {
        if (!double.IsNaN(Energy))
        {
            return true;
        }
        if (!TryEvaluate(_trialVelocity, out double energy, EvaluationCause.Energy, withEnergy: true))
        {
            return false;
        }
        (Velocity, _trialVelocity) = (_trialVelocity, Velocity);
        Energy = energy;
        _merit = Merit(_state.Positions, _target, Gamma, energy);
        return true;
    }

    /// <summary>Newton iterations from the current iterate until <see cref="NewtonConvergence"/> says converged.</summary>
    private bool Converge()
    {
        var test = new NewtonConvergence(Tolerance);
        bool creeping = false;
        for (int k = 0; k < MaxIterations; k++)
        {
            if (creeping && EscapeCaptured())
            {
                test = new NewtonConvergence(Tolerance);
                creeping = false;
                continue;
            }
            var result = NewtonStep(out double step, out bool full, keepWithinTolerance: k > 0, test: test);
            if (result == StepResult.Placed)
            {
                test = new NewtonConvergence(Tolerance); // a new problem: the held pairs are no longer unknowns
                continue;
            }
            if (result != StepResult.Moved)
            {
                return result is StepResult.AtMinimum or StepResult.WithinTolerance;
            }
            switch (test.Next(_weight * step, full, exact: Matrix.Flipped == 0))
            {
                case NewtonVerdict.Converged:
                    return true;
                case NewtonVerdict.Stalled:
                    Failure = $"Newton stalled (correction {_weight * step:G3} after {test.Rate:G3} of the previous one; largest at particle {LargestCorrection()})";
                    return false;
            }
            creeping = Matrix.Flipped > 0 && test.Rate >= CreepRate;
        }
        Failure = $"Newton did not converge in {MaxIterations} iterations (largest correction at particle {LargestCorrection()})";
        return false;
    }

    /// <summary>
    /// While Newton creeps (full steps with flipped curvature that barely shrink the correction), an attracting pair
    /// is usually being carried into its core a little per iteration, to be escaped there by the saddle test at
    /// the end. Escapes at once the unstable pairs of the iterate that the flow captures within the step anyway:
    /// those whose two-body capture time from the last solution, |w|²/(−d|w|²/dt) with its ẋ, is within γ (the
    /// others, whose capture the step would bring forward, are left to Newton). True when the escape was taken.
    /// Isotropic mobility only: under glide an opposite pair on two slip planes is captured into its 45° well, not
    /// at w = 0, which the two-body time does not time (the peer workload at n = 10⁵ took 24 % more evaluations
    /// with it, docs/implicit.md).
    /// </summary>
    private bool EscapeCaptured()
    {
        if (_last is not { Velocity: { } v } last || _earlyEscapes == MaxEarlyEscapes || _moving < _state.Dimension)
        {
            return false;
        }
        if (!_assembledHere)
        {
            Matrix.Assemble(_state, Gamma, Radius);
            _assembledHere = true;
        }
        if (!(Matrix.UnstablePair.Rate > 1) || Matrix.EscapeCapturedStep(_step, last.Positions, v, Gamma) == 0)
        {
            return false;
        }
        _earlyEscapes++;
        return EscapeTrials(EvaluationCause.EarlyEscape);
    }

    /// <summary>
    /// Moves every unstable pair (<see cref="NewtonMatrix.UnstablePairs"/>) along its separation w (on the moving
    /// axes) towards each other by αw, one α for all, 1, ½, ¼, … (α = 1: the two meet on the moving axes), to the
    /// first point without a collision where Φ is lower; false if there is none. An attracting pair goes into its
    /// core. A like-sign pair inside a Gaussian core (its energy has its maximum at w = 0, so Φ is concave there
    /// too) sits at backward Euler's spurious solution, on the far side of w = 0 from x̃'s separation: moving it
    /// through w = 0 lets Newton continue to the minimiser on x̃'s side. Many pairs are captured in one long step
    /// of a dense system, so one trial moves them all.
    /// </summary>
    private bool Escape()
    {
        Matrix.EscapeStep(_step);
        return EscapeTrials(EvaluationCause.Escape);
    }

    /// <summary>
    /// The trials of an escape step s (in <c>_step</c>): α = 1, ½, … to the first with a lower Φ, its change read
    /// without E_n where the cores' energy is known (<see cref="CoreChange"/>: on the free log gas to T = 0.01 it
    /// took the exact Φ's decision at all 287 escape trials of both seeds, every one a decrease of at least 0.66|α∇Φ·s|,
    /// the rule's error at most 10⁻³ of it).
    /// </summary>
    private bool EscapeTrials(EvaluationCause cause)
    {
        bool taken;
        if (_coreSearch)
        {
            double slope = Slope(Velocity);
            taken = Backtrack(EscapeHalvings, 0, a => CoreChange(a, slope) < 0, out _, cause);
        }
        else
        {
            taken = Backtrack(EscapeHalvings, (_, next, _) => next < _merit, out _, cause);
        }
        Tally.Escaped(taken);
        return taken;
    }

    /// <summary>
    /// Up to <paramref name="iterations"/> more Newton steps until E_n ≤ <paramref name="energy"/>. Near a tight
    /// dipole E_n varies on the scale δ, far below the position tolerance, so an iterate that passed the
    /// correction test may still carry an energy excess that the minimiser of Φ does not have.
    /// </summary>
    private void Polish(double energy, int iterations)
    {
        for (int k = 0; k < iterations && Energy > energy; k++)
        {
            if (NewtonStep(out _, out _, polish: true) != StepResult.Moved)
            {
                break;
            }
        }
    }

    /// <summary>
    /// One damped Newton step on Φ from the current iterate, with the RMS of the full (undamped) Newton step and
    /// whether the line search took all of it. With <paramref name="keepWithinTolerance"/> (an iterate Newton
    /// has moved to), an exact Newton step below the tolerance is not taken: the iterate is within it of the
    /// minimiser, and its E_n and ẋ are already evaluated, where moving would cost one more evaluation (a third
    /// of a step's) for a correction of a twentieth of the step's error tolerance.
    /// </summary>
    private StepResult NewtonStep(out double correction, out bool full, bool keepWithinTolerance = false, bool polish = false, NewtonConvergence? test = null)
    {
        correction = 0;
        full = false;
        Iterations++;
        double gamma = Gamma;
        for (int a = 0; a < _moving; a++)
        {
            double[] x = _state.Positions[a], t = _target[a], v = Velocity[a], f = _residual[a];
            for (int i = 0; i < _n; i++)
            {
                f[i] = -(x[i] - t[i] - gamma * v[i]);
            }
        }
        if (!_assembledHere) // else already assembled at this iterate (a polish step after Newton stayed)
        {
            Matrix.Assemble(_state, gamma, Radius);
            _assembledHere = true;
        }
        Matrix.Solve(_residual, _step, LinearTolerance, MaxLinearIterations);
        if (polish)
        {
            Matrix.Hold(_step);
        }
        else if (BeforeTheFold())
        {
            return Place() ? StepResult.Placed : StepResult.Failed;
        }
        double slope = 0;
        for (int a = 0; a < _moving; a++)
        {
            for (int i = 0; i < _n; i++)
            {
                slope -= _residual[a][i] * _step[a][i];
            }
        }
        slope = Matrix.Halo.Sum(slope);
        if (!(slope < 0))
        {
            // Already at the minimiser to rounding: nothing left to correct.
            return StepResult.AtMinimum;
        }
        correction = Rms(_step);
        // A correction already below the tolerance is taken whole: Φ changes at its rounding there, and the
        // Armijo test would halve it into noise.
        bool whole = correction * _weight <= Tolerance;
        if (whole && keepWithinTolerance && Matrix.Flipped == 0)
        {
            return StepResult.WithinTolerance;
        }
        bool searched;
        double alpha;
        if (!polish && (whole || Matrix.IsLocal(_step, Radius, LocalStep)))
        {
            // Local (or below the tolerance): the decrease from ∇Φ, E_n only where the trial is likely the solution.
            searched = Backtrack(MaxHalvings, correction * _weight <= FinalCorrection ? MaxHalvings : 0, a => whole || TrapezoidDecrease(a, slope), out alpha, EvaluationCause.NewtonTrial);
        }
        else if (!polish && _coreSearch)
        {
            // Armijo's test on Φ's change read from ∇Φ and the cores; E_n only at a full step that would be the solution.
            bool final = test is { } t && t.ConvergesIfFull(correction * _weight);
            searched = Backtrack(MaxHalvings, final ? 1 : 0, a => CoreDecrease(a, slope), out alpha, EvaluationCause.NewtonTrial);
        }
        else
        {
            searched = LineSearch(slope, whole, out alpha, polish);
        }
        if (!searched)
        {
            Failure ??= $"the line search found no decrease after {MaxHalvings} halvings (largest correction at particle {LargestCorrection()})";
            return StepResult.Failed;
        }
        // The convergence test sees the full Newton step, not the damped one: a line search that cut α says the
        // iterate is far from the minimiser, not near it.
        full = alpha == 1.0;
        return StepResult.Moved;
    }

    /// <summary>
    /// The pairs past their two-body fold (<see cref="NewtonMatrix.FoldStep"/>), decided from the last solution's ẋ
    /// (without it, Newton's as before): those their two-body flow captures within the step go into their cores
    /// with this Newton step, the others are held at the flow's separation at the step's end for the rest of the
    /// stage, so the stage is solved for everything else rather than Newton creeping them towards their cores (or
    /// failing after its whole budget, which timed captures by τ/4 retries). True when pairs were newly held.
    /// </summary>
    private bool BeforeTheFold()
    {
        if (_last is not { Velocity: { } velocity } last)
        {
            return false;
        }
        var (escaped, held) = Matrix.FoldStep(_step, _target, Velocity, Gamma, Span, last.Positions, velocity);
        Tally.FoldEscapes += escaped;
        Tally.FoldHolds += held;
        return held > 0;
    }

    /// <summary>
    /// Moves the newly held pairs to their held separation with the rest of Newton's step (<see cref="NewtonMatrix.FoldStep"/>
    /// set the held pairs' part of it) and evaluates there, whatever Φ does: holding a pair takes it out of the
    /// unknowns, so Φ's line search is not asked (the flow's separation may lie apart from an iterate that Newton crept
    /// past it, where Φ is higher; a line search refused that placement). Where that collides, the held pairs alone
    /// move, their centres where they are. One evaluation where the placement alone and Newton's next trial took two
    /// (on the whole free gas 5931 evaluations against 7405). False if the evaluation fails.
    /// </summary>
    private bool Place()
    {
        if (Backtrack(1, 0, _ => true, out _, EvaluationCause.Hold))
        {
            return true;
        }
        for (int a = 0; a < _moving; a++)
        {
            Array.Clear(_step[a]);
        }
        Matrix.Hold(_step);
        return Backtrack(1, 0, _ => true, out _, EvaluationCause.Hold);
    }

    private enum StepResult
    {
        Moved,
        Placed,
        AtMinimum,
        WithinTolerance,
        Failed,
    }

    /// <summary>
    /// Backtracks α = 1, ½, … until Φ(x + αs) ≤ Φ(x) + 10⁻⁴α∇Φ·s (plus rounding of Φ), then moves there; with
    /// <paramref name="whole"/>, to the first trial without a collision.
    /// </summary>
    private bool LineSearch(double slope, bool whole, out double alpha, bool polish) =>
        Backtrack(MaxHalvings, (a, next, energy) =>
            whole || next <= _merit + Armijo * a * slope + 1e-14 * (Math.Abs(_merit) + Math.Abs(Gamma * Matrix.Halo.Total * energy)), out alpha,
            polish ? EvaluationCause.Polish : EvaluationCause.NewtonTrial);

    /// <summary>
    /// Whether the trial x + αs just evaluated (its ẋ in <c>_trialVelocity</c>) lowers Φ by at least
    /// <see cref="GradientDecrease"/>·α∇Φ(x)·s by the trapezoid rule, ½α(∇Φ(x)·s + ∇Φ(x + αs)·s).
    /// </summary>
    private bool TrapezoidDecrease(double alpha, double slope) => 0.5 * (slope + Slope(_trialVelocity)) <= GradientDecrease * slope;

    /// <summary>
    /// Armijo's test, Φ(x + αs) ≤ Φ(x) + 10⁻⁴α∇Φ(x)·s, on the trial just evaluated (its ẋ in <c>_trialVelocity</c>)
    /// with Φ's change read without E_n: the trapezoid rule ½α(∇Φ(x)·s + ∇Φ(x + αs)·s) plus what it misses in the
    /// cores of the pairs the step moves far (<see cref="NewtonMatrix.CoreCorrection"/>). On the free log gas to
    /// T = 0.01 it took the exact Φ's decision at every one of 1020 trials (error ≤ 4·10⁻³|α∇Φ·s|, median 2·10⁻⁶,
    /// where the exact Φ's ratio was at least 10⁻³ from Armijo's 10⁻⁴).
    /// </summary>
    private bool CoreDecrease(double alpha, double slope) => CoreChange(alpha, slope) <= Armijo * alpha * slope;

    /// <summary>
    /// Φ(x + αs) − Φ(x) without E_n, for the trial x + αs just evaluated (its ẋ in <c>_trialVelocity</c>) from x with
    /// ∇Φ(x)·s = <paramref name="slope"/>: the trapezoid rule plus what it misses in the cores of the pairs the move
    /// takes far (<see cref="NewtonMatrix.CoreCorrection"/>, at the matrix's assembly at x).
    /// </summary>
    private double CoreChange(double alpha, double slope) =>
        0.5 * alpha * (slope + Slope(_trialVelocity)) + Matrix.CoreCorrection(_step, alpha);

    /// <summary>∇Φ·s (s in <c>_step</c>) at the iterate's positions with ẋ = <paramref name="velocity"/>, summed over the ranks.</summary>
    private double Slope(double[][] velocity)
    {
        double end = 0;
        double[][] x = _state.Positions;
        for (int a = 0; a < _moving; a++)
        {
            double[] z = x[a], t = _target[a], v = velocity[a], s = _step[a];
            for (int i = 0; i < _n; i++)
            {
                end += (z[i] - t[i] - Gamma * v[i]) * s[i];
            }
        }
        return Matrix.Halo.Sum(end);
    }

    /// <summary>
    /// Tries x + αs (s in <c>_step</c>) for α = 1, ½, … (<paramref name="trials"/> of them) and moves to the first
    /// that evaluates without a collision and that <paramref name="accepts"/> (α, Φ there, E_n there) takes, with
    /// its Φ, E_n and ẋ; else stays at x, whose E_n and ẋ are kept, and returns false. Φ at x is made known first.
    /// </summary>
    private bool Backtrack(int trials, Func<double, double, double, bool> accepts, out double alpha, EvaluationCause cause)
    {
        if (!KnowEnergy())
        {
            alpha = 0;
            return false;
        }
        return Backtrack(trials, trials, a => accepts(a, _trialMerit, _trialEnergy), out alpha, cause);
    }

    private double _trialEnergy, _trialMerit; // at the trial just evaluated (NaN without E_n)

    /// <summary>
    /// <see cref="Backtrack(int, Func{double, double, double, bool}, out double, EvaluationCause)"/> whose first
    /// <paramref name="withEnergy"/> trials are evaluated with E_n (the rest without), and <paramref name="accepts"/> sees α alone (the
    /// trial's ẋ in <c>_trialVelocity</c>, its E_n and Φ in <c>_trialEnergy</c>, <c>_trialMerit</c>).
    /// </summary>
    private bool Backtrack(int trials, int withEnergy, Func<double, bool> accepts, out double alpha, EvaluationCause cause)
    {
        alpha = 1.0;
        _assembledHere = false;
        double[][] x = _state.Positions;
        for (int a = 0; a < _moving; a++)
        {
            Array.Copy(x[a], _trial[a], _n);
        }
        for (int h = 0; h < trials; h++, alpha *= 0.5)
        {
            for (int a = 0; a < _moving; a++)
            {
                for (int i = 0; i < _n; i++)
                {
                    x[a][i] = _trial[a][i] + alpha * _step[a][i];
                }
            }
            if (!TryEvaluate(_trialVelocity, out double energy, h == 0 || cause != EvaluationCause.NewtonTrial ? cause : EvaluationCause.Halving, h < withEnergy))
            {
                continue;
            }
            _trialEnergy = energy;
            _trialMerit = Merit(x, _target, Gamma, energy);
            if (accepts(alpha))
            {
                _merit = _trialMerit;
                Energy = energy;
                (Velocity, _trialVelocity) = (_trialVelocity, Velocity);
                Failure = null; // a collided trial before this one is history
                return true;
            }
        }
        for (int a = 0; a < _moving; a++)
        {
            Array.Copy(_trial[a], x[a], _n);
        }
        return false;
    }

    /// <summary>
    /// Evaluates ẋ at the iterate into <paramref name="velocity"/>, with E_n where asked (else NaN). Only here is it
    /// decided which evaluations may take the far field from an earlier one of the attempt
    /// (<see cref="IForceEvaluator.EvaluateKeepingFarField"/>): those without E_n after the solve's start. So the start
    /// and every point whose E_n is known are evaluated fully, and a solve ends on one (<see cref="KnowEnergy"/>):
    /// the solution's ẋ, which the step's error, the next predictor and a checkpoint read, is exact.
    /// </summary>
    private bool TryEvaluate(double[][] velocity, out double energy, EvaluationCause cause, bool withEnergy)
    {
        Evaluations++;
        try
        {
            bool kept = false;
            if (withEnergy || cause == EvaluationCause.Start)
            {
                energy = _evaluator.Evaluate(_state, velocity, withEnergy);
            }
            else
            {
                kept = _evaluator.EvaluateKeepingFarField(_state, velocity);
                energy = double.NaN;
            }
            Tally.Count(cause, withEnergy, collided: false, kept);
        }
        catch (CollisionException collision)
        {
            Tally.Count(cause, withEnergy, collided: true);
            Failure = $"particles {collision.First} and {collision.Second} collided in a Newton trial";
            energy = double.NaN;
            return false;
        }
        if (!withEnergy)
        {
            energy = double.NaN;
        }
        else if (!double.IsFinite(energy))
        {
            Failure = "the energy is not finite at a Newton trial";
            return false;
        }
        return true;
    }

    private double Merit(double[][] x, double[][] target, double gamma, double energy)
    {
        double sum = 0;
        for (int a = 0; a < _moving; a++)
        {
            for (int i = 0; i < _n; i++)
            {
                double d = x[a][i] - target[a][i];
                sum += d * d;
            }
        }
        return 0.5 * Matrix.Halo.Sum(sum) + gamma * Matrix.Halo.Total * energy;
    }

    private double Rms(double[][] v)
    {
        double sum = 0;
        for (int a = 0; a < _moving; a++)
        {
            for (int i = 0; i < _n; i++)
            {
                double e = v[a][i];
                sum += e * e;
            }
        }
        return Math.Sqrt(Matrix.Halo.Sum(sum) / (_moving * Matrix.Halo.Total));
    }

    private int LargestCorrection()
    {
        int best = 0;
        double largest = -1;
        for (int a = 0; a < _moving; a++)
        {
            for (int i = 0; i < _n; i++)
            {
                double e = Math.Abs(_step[a][i]);
                if (e > largest)
                {
                    largest = e;
                    best = i;
                }
            }
        }
        return Matrix.LargestAcrossRanks(best, largest);
    }

    private double[][] NewMoving()
    {
        var v = new double[_moving][];
        for (int a = 0; a < _moving; a++)
        {
            v[a] = new double[_n];
        }
        return v;
    }
}

/// <summary>A point whose E_n, and where known ẋ (every axis), are already evaluated: the last solution.</summary>
internal readonly record struct KnownPoint(double[][] Positions, double[][]? Velocity, double Energy);
