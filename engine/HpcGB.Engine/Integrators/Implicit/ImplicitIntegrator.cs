using HpcGB.Engine.Cases;
using HpcGB.Engine.Forces;
using HpcGB.Engine.Model;
using HpcGB.Engine.Simulation;

namespace HpcGB.Engine.Integrators.Implicit;

/// <summary>
/// Adaptive implicit integrator for the stiff gradient flow ẋ = −n∇E_n: variable-order (1 … <see cref="MaxOrder"/>,
/// BDF2 by default), variable-step BDF on the actual past times (<see cref="BdfFormula"/>), started by one
/// backward-Euler step. Every step solves x − x̃ − γẋ(x) = 0 with <see cref="StageSolver"/> (Newton–CG on the
/// minimising-movement merit function). Its cost is set by the slow dynamics, not by δ: tight dipoles relax inside
/// one step. BDF 1–5 are stable on the whole negative real axis, which holds every eigenvalue of a gradient flow's
/// (symmetric) Jacobian.
/// <para>
/// Error estimate: Milne's C·(x − P) (<see cref="BdfFormula.ErrorConstant"/>), filtered once by (I + γnH₊)⁻¹
/// (Shampine; H₊ the near-field Hessian with its negative curvature dropped, <see cref="Curvature.Stable"/>, of
/// the pairs held at both ends of the step), so that error in the stiff stable directions, which the method damps
/// anyway, does not limit the step; on the very first step the predictor is explicit Euler, C = ½, and the filter
/// is applied twice (Hairer–Wanner's RADAU5 device). Norm: RMS over moving components of err/(atol + rtol)
/// (<see cref="PositionTolerance.Scale"/>), per step or per unit of time (<see cref="ErrorPerUnitTime"/>); accept
/// when ≤ 1.
/// </para>
/// <para>
/// Order and step (<see cref="OrderChoice"/>): as in CVODE, the order stays for q + 1 steps after a change; then
/// the errors orders q − 1 and q + 1 would have made are estimated from divided differences, and the order with
/// the largest next step is taken. Step factor 0.9·err^{−1/(q+1)} (err^{−1/q} per unit of time),
/// held at 1 below 1.2 (steps that stay constant keep variable-step BDF stable), at most 2, at least 0.2; no
/// growth after a rejection; every error failure after the first at one step lowers the order by one.
/// </para>
/// <para>
/// The first step tries the whole first output interval: where the error of a stiff start is filtered, that
/// step is accepted; elsewhere the controller cuts it down at the cost of a few rejections.
/// </para>
/// <para>
/// Robustness: a failed Newton solve rejects the step and retries with τ/4; an accepted step never increases
/// E_n beyond rounding (10⁻¹²(1 + |E_n|)) — one that would is rejected and retried with τ/2. Below the minimum
/// step 16ε·max(|t|, |target|, 1) a <see cref="SimulationException"/> names the time, the step and the
/// particles involved.
/// </para>
/// </summary>
public sealed partial class ImplicitIntegrator : IIntegrator
{
    /// <summary>Energy slack of the monotonicity check, relative to 1 + |E_n|.</summary>
    public const double EnergySlack = 1e-12;

    /// <summary>Newton steps beyond convergence tried on a stage whose E_n is above the last accepted one.</summary>
    private const int PolishIterations = 4;

    private const double MachineEpsilon = 2.220446049250313e-16;

    private readonly double _scale;
    private readonly SystemModel _model;

    private Workspace? _work;
    private double _step;
    private double _time = double.NaN;
    private double _energy;
    private int _order = 1;
    private int _maxOrder;
    private int _stepsAtOrder;

    /// <param name="rtol">Relative tolerance.</param>
    /// <param name="atol">Absolute tolerance.</param>
    /// <param name="model">The physics (pair kernel for the Newton matrix, external field, mobility).</param>
    /// <param name="maxOrder">The highest BDF order, 1 (backward Euler) … 5; 2 by default (<see cref="MaxOrder"/>).</param>
    /// <param name="errorPerUnitTime">What rtol and atol bound (<see cref="ErrorPerUnitTime"/>); per step by default.</param>
    public ImplicitIntegrator(
        double rtol, double atol, SystemModel model, int maxOrder = DefaultMaxOrder, bool errorPerUnitTime = false)
    {
        if (!(rtol >= 0 && atol >= 0 && rtol + atol > 0 && double.IsFinite(rtol + atol)))
        {
            throw new ArgumentOutOfRangeException(nameof(rtol), $"need rtol, atol ≥ 0, not both 0 (got {rtol}, {atol})");
        }
        ArgumentNullException.ThrowIfNull(model);
        _scale = PositionTolerance.Scale(rtol, atol);
        _model = model;
        MaxOrder = maxOrder;
        ErrorPerUnitTime = errorPerUnitTime;
    }

    /// <summary>
    /// The default highest order. Measured (issue 18, docs/implicit.md): orders up to 5 with the error per unit of
    /// time make the global error track rtol (setting 1) but cost more work than BDF2 at equal accuracy on the
    /// peer workload at n = 4096 and 6.5× the steps of δ = 1e-6 for dipoles at δ = 1e-4, so BDF2 stays the default.
    /// </summary>
    public const int DefaultMaxOrder = 2;

    public string Name => "implicit";

    /// <summary>The highest order the integrator may use, 1 … 5; a change takes effect from the next step.</summary>
    public int MaxOrder
    {
        get => _maxOrder;
        set
        {
            if (value is < 1 or > BdfFormula.MaxOrder)
            {
                throw new ArgumentOutOfRangeException(nameof(value), $"the order must be 1 … {BdfFormula.MaxOrder}, got {value}");
            }
            _maxOrder = value;
            _order = Math.Min(_order, value);
        }
    }

    /// <summary>
    /// What rtol and atol bound. false (the default): the local error of each step, as in DASSL and CVODE; the
    /// global error is then their sum over the steps (~100·rtol for BDF2 in setting 1). true: the error per unit of
    /// time, (atol + rtol)·min(τ, 1) per step with steps below 10⁻³ counted as 10⁻³ (<see cref="LocalTolerance"/>),
    /// so that the local errors of a run add up to about rtol per unit of time whatever the steps. A change takes
    /// effect from the next step.
    /// </summary>
    public bool ErrorPerUnitTime { get; set; }

    public long AcceptedSteps { get; private set; }

    public long RejectedSteps { get; private set; }

    public long ForceEvaluations { get; private set; }

    /// <summary>
    /// Σ over the accepted steps of the (filtered) local error estimate's RMS over the moving components: the
    /// run's local errors added up, its global error where the flow neither damps nor amplifies them
    /// (docs/implicit.md, "Accuracy": measured against tight references it is within a few times of the largest
    /// global error).
    /// </summary>
    public double LocalErrorSum { get; private set; }

    /// <summary>
    /// Threads for the Newton matrix's passes over the pairs (the forces' thread count; 1 by default), on the
    /// evaluator's helper threads where it lends them (<see cref="IForceEvaluator.HelperThreads"/>). The results do
    /// not depend on it: each pair's block is computed alone.
    /// </summary>
    public int Threads
    {
        get => _threads;
        set => _threads = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), $"need at least one thread, got {value}");
    }

    private int _threads = 1;

    /// <summary>Called after every accepted step.</summary>
    public Action<ImplicitStep>? StepAccepted { get; set; }

    /// <summary>Called after every rejected attempt with (time, step, reason).</summary>
    public Action<double, double, string>? StepRejected { get; set; }

    public Action<double>? Progress { get; set; }

    /// <summary>
    /// The other ranks' share of a system spread over ranks (HpcGB.Engine.Distributed): the state passed to
    /// <see cref="Advance"/> then holds this rank's particles, and the Newton matrix, its conjugate gradient and every
    /// norm and decision reach across ranks through it. Null (the default): the state is the whole system.
    /// </summary>
    internal IStageHalo? Halo { get; init; }

    public void Reset()
    {
        _time = double.NaN;
        _step = 0;
        _resumed = null;
        _order = 1;
        _stepsAtOrder = 0;
        _work?.History.Clear();
    }

    public void Advance(
        IForceEvaluator evaluator, ParticleState state, double time, double target,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(evaluator);
        ArgumentNullException.ThrowIfNull(state);
        if (!(target >= time))
        {
            throw new ArgumentOutOfRangeException(nameof(target), $"target {target} is before the current time {time}");
        }
        var work = Prepare(evaluator, state, time);
        if (target == time)
        {
            return;
        }
        if (work.History.Count == 0)
        {
            // The starting point: its energy for the monotonicity check, its velocity for the first predictor.
            ForceEvaluations++;
            _energy = Velocities.Evaluate(evaluator, state, work.NewestVelocity, withEnergy: true, time);
            work.NewestVelocityKnown = true;
            work.History.Push(time, state.Positions);
            _order = 1;
            _stepsAtOrder = 0;
        }
        else if (!work.NewestVelocityKnown)
        {
            // Restored from a checkpoint written without ẋ at its point (before it was saved): evaluated, as the
            // straight run kept it from the accepted solve, so the steps are the same (one evaluation more).
            ForceEvaluations++;
            Velocities.Evaluate(evaluator, state, work.NewestVelocity, withEnergy: true, time);
            work.NewestVelocityKnown = true;
        }
        if (_step <= 0)
        {
            _step = target - time;
        }

        double t = time;
        int failures = 0; // error-test failures of the step being attempted
        bool rejectedBefore = false;
        var lastAccepted = default(AcceptedError);
        while (t < target)
        {
            cancellation.ThrowIfCancellationRequested();
            double minimum = 16 * MachineEpsilon * Math.Max(1.0, Math.Max(Math.Abs(t), Math.Abs(target)));
            double proposed = _step;
            bool last = t + 1.01 * proposed >= target;
            // Within two steps of the target, the rest is split evenly: a step cut short to land there and the
            // full one after it would be a step ratio of up to 1/0.01, which variable-step BDF of order > 2 does
            // not survive (zero stability needs ratios near 1).
            double tau = last ? target - t : t + 2 * proposed > target ? 0.5 * (target - t) : proposed;
            Outcome outcome;
            using (evaluator.BeginAttempt())
            {
                outcome = TryStep(work, t, tau);
            }
            if (outcome.Accepted)
            {
                double before = _energy;
                _energy = work.Solver.Energy;
                var choice = ChooseNext(work, tau, outcome, rejectedBefore, lastAccepted);
                lastAccepted = new AcceptedError(tau, outcome.Error, outcome.Order);
                t = last ? target : t + tau;
                Accept(work, state, t);
                AcceptedSteps++;
                LocalErrorSum += work.LocalError;
                Progress?.Invoke(t);
                _step = choice.Step;
                if (choice.Order != _order)
                {
                    _order = choice.Order;
                    _stepsAtOrder = 0;
                }
                rejectedBefore = false;
                failures = 0;
                StepAccepted?.Invoke(new ImplicitStep(t, tau, outcome.Order, before, _energy, work.Solver.Iterations, outcome.Error));
            }
            else
            {
                RejectedSteps++;
                rejectedBefore = true;
                StepRejected?.Invoke(t, tau, outcome.Reason!);
                _step = tau * outcome.Shrink;
                if (outcome.ErrorTest && ++failures >= 2 && _order > 1)
                {
                    // Repeated error failures: the higher derivatives the order relies on are not there. One order
                    // down at a time (CVODE goes to 1 at the third): per unit of time, order 1 costs ~1/rtol steps.
                    _order--;
                    _stepsAtOrder = 0;
                }
                if (_step < minimum)
                {
                    throw new SimulationException(
                        $"{Name}: step size {_step:R} fell below the minimum {minimum:R} at t = {t:R}: {outcome.Reason}",
                        t);
                }
            }
        }
        _time = t;
    }

    /// <summary>One attempt of a step of size τ from the newest history point at time t.</summary>
    private Outcome TryStep(Workspace work, double t, double tau)
    {
        var history = work.History;
        int order = Math.Min(_order, history.Count - 1);
        bool first = history.Count == 1;
        var x = history.Point(0);
        if (!work.StableKnown)
        {
            FindStablePairs(work, x);
        }
        var u = work.Nodes;
        u[0] = 0;
        for (int j = 1; j <= history.Count; j++)
        {
            u[j] = (history.Time(j - 1) - (t + tau)) / tau;
        }
        double gamma = tau;
        Span<double> corrector = stackalloc double[BdfFormula.MaxOrder];
        Span<double> predictor = stackalloc double[BdfFormula.MaxOrder + 1];
        if (first)
        {
            order = 1;
            corrector[0] = 1;
        }
        else
        {
            gamma = tau * BdfFormula.Corrector(u, order, corrector);
            BdfFormula.Predictor(u, order, predictor);
        }
        var stage = work.Stage.Positions;
        for (int a = 0; a < work.MovingAxes; a++)
        {
            double[] target = work.Target[a], p = work.Predictor[a];
            Combine(history, a, corrector[..order], 0, target);
            if (first)
            {
                double[] x0 = x[a], v = work.NewestVelocity[a];
                for (int i = 0; i < p.Length; i++)
                {
                    p[i] = x0[i] + tau * v[i];
                }
            }
            else
            {
                Combine(history, a, predictor[..(order + 1)], 0, p);
            }
            Array.Copy(p, stage[a], p.Length);
        }
        // Newton starts from the predictor or the last solution, from the last solution on the first step (explicit
        // Euler overshoots tight dipoles); its ẋ there is the one the accepted solve evaluated.
        var last = new KnownPoint(x, work.NewestVelocityKnown ? work.NewestVelocity : null, _energy);
        double tolerance = LocalTolerance(tau);
        double bound = _energy + EnergySlack * (1 + Math.Abs(_energy));
        long before = work.Solver.Evaluations;
        bool solved = work.Solver.Solve(work.Target, gamma, tau, 1.0 / tolerance, last, fromFallback: first, bound, PolishIterations);
        if (solved && work.Solver.Matrix.MirrorBack(work.Stage, x, work.MovingAxes) > 0)
        {
            // Newton again from the pairs put back on their own side (SlipPlaneCrossing).
            work.Solver.Tally.Reject("(mirrored back, solved again)", 0);
            solved = work.Solver.Solve(work.Target, gamma, tau, 1.0 / tolerance, null, false, bound, PolishIterations);
        }
        ForceEvaluations += work.Solver.Evaluations - work.CountedEvaluations;
        work.CountedEvaluations = work.Solver.Evaluations;
        if (!solved)
        {
            work.Solver.Tally.Reject("newton: " + FailureKind(work.Solver.Failure), work.Solver.Evaluations - before);
            return Outcome.Reject(0.25, $"{work.Solver.Failure} (step {tau:R}{StiffestDescription(work)})");
        }
        double energy = work.Solver.Energy;
        if (energy > bound)
        {
            work.Solver.Tally.Reject("energy excess", work.Solver.Evaluations - before);
            return Outcome.Reject(0.5, $"the energy would increase from {_energy:R} to {energy:R} (step {tau:R}{StiffestDescription(work)})");
        }
        var (crossedI, crossedJ) = work.Solver.Matrix.FindCrossing(work.Stage, x, work.MovingAxes);
        if (crossedI >= 0)
        {
            work.Solver.Tally.Reject("slip-plane jump", work.Solver.Evaluations - before);
            return Outcome.Reject(0.5, $"particles {crossedI} and {crossedJ} jumped across each other's slip plane equilibrium (step {tau:R})");
        }
        double c = first ? 0.5 : BdfFormula.ErrorConstant(u, order, gamma / tau);
        for (int a = 0; a < work.MovingAxes; a++)
        {
            double[] e = work.Estimate[a], z = stage[a], p = work.Predictor[a];
            for (int i = 0; i < e.Length; i++)
            {
                e[i] = c * (z[i] - p[i]);
            }
        }
        // A pair held at its two-body flow (NewtonMatrix.FoldStep): its separation's error is its frozen background's.
        work.Solver.Matrix.HoldError(work.Estimate, work.Solver.Velocity, tau);
        // The solver assembled the matrix at the solution (not the last Newton iterate: a pair closing in has its
        // stiffness there). Only pairs held at both ends of the step filter: a pair pulled in at the start and
        // captured by the end is stiff at the solution, but the error of when it was captured is not damped.
        work.Solver.Matrix.Modify(Curvature.Stable, work.StableAtStart);
        double error = FilteredNorm(work, first ? 2 : 1, tolerance, out var worst);
        work.LocalError = error * tolerance;
        if (!(error <= 1.0))
        {
            work.Solver.Tally.Reject("error test", work.Solver.Evaluations - before);
            double shrink = double.IsFinite(error)
                ? Math.Clamp(OrderChoice.Safety * Math.Pow(error, -1.0 / Exponent(order, tau)), OrderChoice.MinFactor, 0.9)
                : OrderChoice.MinFactor;
            return Outcome.Reject(shrink, $"the error estimate {error:G3} exceeds 1 (step {tau:R}{StiffestDescription(work, work.Solver.Matrix.LargestAcrossRanks(worst.Held, worst.Size))})", errorTest: true);
        }
        return new Outcome(true, order, error, gamma, 1.0, null, false);
    }

    private static string FailureKind(string? failure) =>
        failure is null ? "?" : string.Concat(failure.TakeWhile(c => c != '(')).Split(' ', 4) switch
        {
            ["particles", _, "and", var rest] => "particles … " + string.Join(' ', rest.Split(' ').Skip(1).Take(3)),
            var words => string.Join(' ', words.Take(3)),
        };

    /// <summary>Evaluations by cause and rejections by reason (bench <c>implicit</c>).</summary>
    internal EvaluationTally? Tally => _work?.Solver.Tally;

    /// <summary>
    /// The local error allowed on a step of τ: (atol + rtol)·min(τ, 1), an error per unit of time, so that the
    /// local errors of a run add up to about rtol per unit of time whatever the steps (the error per step, as in
    /// DASSL and CVODE, adds up to rtol times the number of steps); never below <see cref="RoundingFloor"/>, which
    /// Newton's corrections could not resolve.
    /// </summary>
    private double LocalTolerance(double tau) =>
        Math.Max(ErrorPerUnitTime ? _scale * Math.Clamp(tau, OrderChoice.ShortestUnit, 1.0) : _scale, RoundingFloor);

    /// <summary>The exponent of the error norm in τ: q + 1 for the local error of order q, q per unit of time.</summary>
    private double Exponent(int q, double tau) =>
        ErrorPerUnitTime && tau is < 1 and > OrderChoice.ShortestUnit ? q : q + 1;

    /// <summary>1000 ε: a hundred roundings of a position of order 1, what the smallest Newton correction (5% of
    /// the tolerance) can still see.</summary>
    private const double RoundingFloor = 1000 * MachineEpsilon;

    /// <summary>out = Σ_j w_j · (history point j + offset) on axis a.</summary>
    private static void Combine(StepHistory history, int a, ReadOnlySpan<double> weights, int offset, double[] output)
    {
        Array.Clear(output);
        for (int j = 0; j < weights.Length; j++)
        {
            double w = weights[j];
            double[] xj = history.Point(j + offset)[a];
            for (int i = 0; i < output.Length; i++)
            {
                output[i] += w * xj[i];
            }
        }
    }

    private static string StiffestDescription(Workspace work, int particle = -1)
    {
        var (i, j, stiffness) = work.Solver.Matrix.StiffestPair;
        string pair = i < 0 ? "" : $"; stiffest pair {i}–{j}, γ·curvature {stiffness:G3}";
        return particle < 0 ? pair : $"; largest error at particle {particle}{pair}";
    }

    /// <summary>
    /// Copies the solution into the state and makes it the newest history point; the pairs held there
    /// (from the matrix the solver assembled at the solution) are the next step's filter pairs.
    /// </summary>
    private void Accept(Workspace work, ParticleState state, double t)
    {
        for (int a = 0; a < work.MovingAxes; a++)
        {
            Array.Copy(work.Stage.Positions[a], state.Positions[a], state.Count);
        }
        work.History.Push(t, state.Positions);
        var velocity = work.Solver.Velocity;
        for (int a = 0; a < velocity.Length; a++)
        {
            Array.Copy(velocity[a], work.NewestVelocity[a], velocity[a].Length);
        }
        work.NewestVelocityKnown = true;
        _stepsAtOrder++;
        work.StableAtStart.Clear();
        work.Solver.Matrix.CollectStablePairs(work.StableAtStart);
        work.StableKnown = true;
    }

    /// <summary>The pairs held at <paramref name="x"/> (a run's start, or a restored checkpoint's point).</summary>
    private static void FindStablePairs(Workspace work, double[][] x)
    {
        var stage = work.Stage.Positions;
        for (int a = 0; a < work.MovingAxes; a++)
        {
            Array.Copy(x[a], stage[a], x[a].Length);
        }
        work.Solver.Matrix.Assemble(work.Stage, 1.0, work.Solver.Radius);
        work.StableAtStart.Clear();
        work.Solver.Matrix.CollectStablePairs(work.StableAtStart);
        work.StableKnown = true;
    }

    private Workspace Prepare(IForceEvaluator evaluator, ParticleState state, double time)
    {
        // A restored checkpoint's step size and history hold for the state it was restored into, new workspace or not.
        bool resuming = _resumed is { } resumed && ReferenceEquals(resumed.Owner, state);
        if (_work is null || !ReferenceEquals(_work.Owner, state) || !ReferenceEquals(_work.Evaluator, evaluator))
        {
            _work = new Workspace(evaluator, state, StagePositions.MovingAxes(state, _model.Mobility), _model, Halo);
            if (!resuming)
            {
                _step = 0;
            }
        }
        var resumedVelocity = resuming ? _resumed!.Velocity : null;
        if (resuming)
        {
            Load(_resumed!.History, _work.History);
        }
        _resumed = null;
        _work.Solver.Matrix.Threads = Threads;
        // The forces' helper spins between evaluations: the matrix's passes split over it without waking a thread.
        _work.Solver.Matrix.Helpers = evaluator.HelperThreads;
        if (_time != time)
        {
            _work.History.Clear();
        }
        if (_work.History.Count == 0 || resuming)
        {
            _work.StableKnown = false;
            _work.NewestVelocityKnown = false;
        }
        if (resumedVelocity is not null && _work.History.Count > 0)
        {
            // ẋ at the checkpoint's point, as the straight run kept it from the accepted solve.
            for (int a = 0; a < resumedVelocity.Length; a++)
            {
                Array.Copy(resumedVelocity[a], _work.NewestVelocity[a], resumedVelocity[a].Length);
            }
            _work.NewestVelocityKnown = true;
        }
        return _work;
    }

    /// <summary>
    /// Pair radius of the Newton matrix: one neighbour spacing 1/√n in 2D (about π neighbours each; 5/n in 1D),
    /// and at least 3 core lengths (every tight dipole; none under regularisation <c>none</c>, whose δ is unused —
    /// with the default δ = 0.01 it made the radius 0.03 at n = 16384 and the run 3.2× slower, issue 18).
    /// A pair's curvature falls off as γ/(n r²): 2.5 spacings cost 2–5× the assembly for no fewer Newton
    /// iterations (issue 4, settings 4 and 6).
    /// </summary>
    internal static double PairRadius(SystemModel model, int count)
    {
        double spacing = model.Dimension == 2 ? 1.0 / Math.Sqrt(count) : 5.0 / count;
        return Math.Min(0.25, Math.Max(spacing, 3 * KernelCases.For(model).CoreLength(model.Delta)));
    }

    private readonly record struct Outcome(
        bool Accepted, int Order, double Error, double Gamma, double Shrink, string? Reason, bool ErrorTest)
    {
        public static Outcome Reject(double shrink, string reason, bool errorTest = false) =>
            new(false, 0, double.PositiveInfinity, 0, shrink, reason, errorTest);
    }
}
