using HpcGB.Engine.Forces;
using HpcGB.Engine.Model;
using HpcGB.Engine.Simulation;

namespace HpcGB.Engine.Integrators.Implicit;

/// <summary>
/// Adaptive implicit integrator for the stiff gradient flow ẋ = −n∇E_n: variable-step BDF2 (order 2, started by
/// one backward-Euler step) or backward Euler alone (order 1). Every step solves x − x̃ − γẋ(x) = 0 with
/// <see cref="StageSolver"/> (Newton–CG on the minimising-movement merit function). Its cost is set by the slow
/// dynamics, not by δ: tight dipoles relax inside one step.
/// <para>
/// Error estimate: the corrector–predictor difference (polynomial predictor through the last points, as in
/// DASSL/CVODE) times the local-error constant of the order, filtered once by (I + γnH₊)⁻¹ (Shampine; H₊ the
/// near-field Hessian with its negative curvature dropped, <see cref="Curvature.Stable"/>), so that error in the
/// stiff stable directions, which an L-stable method damps anyway, does not limit the step; on the very first
/// step the predictor is explicit Euler and the filter is applied twice (Hairer–Wanner's RADAU5 device).
/// Norm: RMS over moving components of err/(atol + rtol) (<see cref="Stages.ErrorScale"/>); accept when ≤ 1. Step factor
/// 0.9·err^{−1/(q+1)} in [0.2, 2] (2 keeps variable-step BDF2 zero-stable), no growth after a rejection.
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

    private const double Safety = 0.9;
    private const double MinFactor = 0.2;
    private const double MaxFactor = 2.0;
    private const double MachineEpsilon = 2.220446049250313e-16;

    private readonly double _scale;
    private readonly SystemModel _model;

    private Workspace? _work;
    private double _step;
    private double _time = double.NaN;
    private double _energy;

    /// <param name="rtol">Relative tolerance.</param>
    /// <param name="atol">Absolute tolerance.</param>
    /// <param name="model">The physics (pair kernel for the Newton matrix, external field, mobility).</param>
    /// <param name="order">2 (BDF2, the default) or 1 (backward Euler).</param>
    public ImplicitIntegrator(double rtol, double atol, SystemModel model, int order = 2)
    {
        if (!(rtol >= 0 && atol >= 0 && rtol + atol > 0 && double.IsFinite(rtol + atol)))
        {
            throw new ArgumentOutOfRangeException(nameof(rtol), $"need rtol, atol ≥ 0, not both 0 (got {rtol}, {atol})");
        }
        if (order is not (1 or 2))
        {
            throw new ArgumentOutOfRangeException(nameof(order), $"the order must be 1 or 2, got {order}");
        }
        ArgumentNullException.ThrowIfNull(model);
        _scale = Stages.ErrorScale(rtol, atol);
        _model = model;
        Order = order;
    }

    public string Name => "implicit";

    public int Order { get; }

    public long AcceptedSteps { get; private set; }

    public long RejectedSteps { get; private set; }

    public long ForceEvaluations { get; private set; }

    /// <summary>Called after every accepted step.</summary>
    public Action<ImplicitStep>? StepAccepted { get; set; }

    /// <summary>Called after every rejected attempt with (time, step, reason).</summary>
    public Action<double, double, string>? StepRejected { get; set; }

    public Action<double>? Progress { get; set; }

    public void Reset()
    {
        _time = double.NaN;
        _step = 0;
        _resumed = null;
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
            _energy = Stages.Evaluate(evaluator, state, work.StartVelocity, withEnergy: true, time);
            work.History.Push(time, state.Positions);
        }
        if (_step <= 0)
        {
            _step = target - time;
        }

        double t = time;
        bool rejectedBefore = false;
        while (t < target)
        {
            cancellation.ThrowIfCancellationRequested();
            double minimum = 16 * MachineEpsilon * Math.Max(1.0, Math.Max(Math.Abs(t), Math.Abs(target)));
            double proposed = _step;
            bool last = t + 1.01 * proposed >= target;
            double tau = last ? target - t : proposed;
            var outcome = TryStep(work, t, tau);
            if (outcome.Accepted)
            {
                double factor = Math.Clamp(Safety * Math.Pow(Math.Max(outcome.Error, 1e-10), -1.0 / (outcome.Order + 1)), MinFactor, MaxFactor);
                if (rejectedBefore)
                {
                    factor = Math.Min(factor, 1.0);
                }
                double next = tau * factor;
                double before = _energy;
                _energy = work.Solver.Energy;
                t = last ? target : t + tau;
                Accept(work, state, t);
                AcceptedSteps++;
                Progress?.Invoke(t);
                _step = last ? Math.Max(next, proposed) : next;
                rejectedBefore = false;
                StepAccepted?.Invoke(new ImplicitStep(t, tau, outcome.Order, before, _energy, work.Solver.Iterations, outcome.Error));
            }
            else
            {
                RejectedSteps++;
                rejectedBefore = true;
                StepRejected?.Invoke(t, tau, outcome.Reason!);
                _step = tau * outcome.Shrink;
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
        int order = Math.Min(Order, Math.Max(1, history.Count - 1));
        bool first = history.Count == 1;
        var x = history.Point(0);
        if (!work.StableKnown)
        {
            FindStablePairs(work, x);
        }
        double gamma = tau;
        var stage = work.Stage.Positions;
        for (int a = 0; a < work.MovingAxes; a++)
        {
            double[] target = work.Target[a], predictor = work.Predictor[a], xn = x[a];
            if (order == 2)
            {
                // Variable-step BDF2, ω = τ/τ₁: x − ((1+ω)²x_n − ω²x_{n−1})/(1+2ω) = τ(1+ω)/(1+2ω)·ẋ(x).
                double omega = tau / (history.Time(0) - history.Time(1));
                double[] xm = history.Point(1)[a];
                double denominator = 1 + 2 * omega;
                for (int i = 0; i < xn.Length; i++)
                {
                    target[i] = ((1 + omega) * (1 + omega) * xn[i] - omega * omega * xm[i]) / denominator;
                }
                gamma = tau * (1 + omega) / denominator;
            }
            else
            {
                Array.Copy(xn, target, xn.Length);
            }
            Predict(work, a, t, tau, first);
            // Newton starts from the predictor, except on the first step (explicit Euler overshoots tight dipoles).
            Array.Copy(first ? xn : predictor, stage[a], xn.Length);
        }
        double bound = _energy + EnergySlack * (1 + Math.Abs(_energy));
        bool solved = work.Solver.Solve(work.Target, gamma, 1.0 / _scale, first ? null : x, _energy, bound, PolishIterations);
        ForceEvaluations += work.Solver.Evaluations - work.CountedEvaluations;
        work.CountedEvaluations = work.Solver.Evaluations;
        if (!solved)
        {
            return Outcome.Reject(0.25, $"{work.Solver.Failure} (step {tau:R}{StiffestDescription(work)})");
        }
        double energy = work.Solver.Energy;
        if (energy > bound)
        {
            return Outcome.Reject(0.5, $"the energy would increase from {_energy:R} to {energy:R} (step {tau:R}{StiffestDescription(work)})");
        }
        double error = ErrorNorm(work, history, order, first, tau);
        if (!(error <= 1.0))
        {
            double shrink = double.IsFinite(error)
                ? Math.Clamp(Safety * Math.Pow(error, -1.0 / (order + 1)), MinFactor, 1.0)
                : MinFactor;
            return Outcome.Reject(shrink, $"the error estimate {error:G3} exceeds 1 (step {tau:R}{StiffestDescription(work, work.WorstParticle)})");
        }
        return new Outcome(true, order, error, 1.0, null);
    }

    /// <summary>
    /// Predictor at t + τ: explicit Euler on the first step, else the linear (order 1) or quadratic (order 2)
    /// polynomial through the newest history points.
    /// </summary>
    private static void Predict(Workspace work, int a, double t, double tau, bool first)
    {
        var history = work.History;
        double[] p = work.Predictor[a], x0 = history.Point(0)[a];
        if (first)
        {
            double[] v = work.StartVelocity[a];
            for (int i = 0; i < p.Length; i++)
            {
                p[i] = x0[i] + tau * v[i];
            }
            return;
        }
        double s = t + tau;
        double t0 = history.Time(0), t1 = history.Time(1);
        double[] x1 = history.Point(1)[a];
        if (history.Count == 2 || work.Integrator.Order == 1)
        {
            double l0 = (s - t1) / (t0 - t1), l1 = (s - t0) / (t1 - t0);
            for (int i = 0; i < p.Length; i++)
            {
                p[i] = l0 * x0[i] + l1 * x1[i];
            }
            return;
        }
        double t2 = history.Time(2);
        double[] x2 = history.Point(2)[a];
        double m0 = (s - t1) * (s - t2) / ((t0 - t1) * (t0 - t2));
        double m1 = (s - t0) * (s - t2) / ((t1 - t0) * (t1 - t2));
        double m2 = (s - t0) * (s - t1) / ((t2 - t0) * (t2 - t1));
        for (int i = 0; i < p.Length; i++)
        {
            p[i] = m0 * x0[i] + m1 * x1[i] + m2 * x2[i];
        }
    }

    /// <summary>
    /// The filtered local-error estimate: C·(x_{n+1} − P), C = ½ (first step), τ/(τ + τ₁) (order 1) or
    /// τ(τ+τ₁)/((2τ+τ₁)(τ+τ₁+τ₂)) (order 2, from the BDF2 error constant and the predictor's), filtered by
    /// (I + γnH₊)⁻¹ (twice on the first step), in the RMS norm relative to atol + rtol.
    /// </summary>
    private double ErrorNorm(Workspace work, StepHistory history, int order, bool first, double tau)
    {
        double c;
        if (first)
        {
            c = 0.5;
        }
        else if (order == 1)
        {
            double tau1 = history.Time(0) - history.Time(1);
            c = tau / (tau + tau1);
        }
        else
        {
            double tau1 = history.Time(0) - history.Time(1), tau2 = history.Time(1) - history.Time(2);
            c = tau * (tau + tau1) / ((2 * tau + tau1) * (tau + tau1 + tau2));
        }
        var stage = work.Stage.Positions;
        for (int a = 0; a < work.MovingAxes; a++)
        {
            double[] e = work.Estimate[a], z = stage[a], p = work.Predictor[a];
            for (int i = 0; i < e.Length; i++)
            {
                e[i] = c * (z[i] - p[i]);
            }
        }
        // The solver assembled the matrix at the solution (not the last Newton iterate: a pair closing in has its
        // stiffness there). Only pairs held at both ends of the step filter: a pair pulled in at the start and
        // captured by the end is stiff at the solution, but the error of when it was captured is not damped.
        var matrix = work.Solver.Matrix;
        matrix.Modify(Curvature.Stable, work.StableAtStart);
        for (int pass = 0; pass < (first ? 2 : 1); pass++)
        {
            matrix.Solve(work.Estimate, work.Filtered, 1e-6, 200);
            (work.Estimate, work.Filtered) = (work.Filtered, work.Estimate);
        }
        double sum = 0, worst = -1;
        for (int a = 0; a < work.MovingAxes; a++)
        {
            double[] e = work.Estimate[a];
            for (int i = 0; i < e.Length; i++)
            {
                double r = e[i] / _scale;
                sum += r * r;
                if (Math.Abs(r) > worst)
                {
                    worst = Math.Abs(r);
                    work.WorstParticle = i;
                }
            }
        }
        double norm = Math.Sqrt(sum / (work.MovingAxes * work.Stage.Count));
        return double.IsFinite(norm) ? norm : double.PositiveInfinity;
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
    private static void Accept(Workspace work, ParticleState state, double t)
    {
        for (int a = 0; a < work.MovingAxes; a++)
        {
            Array.Copy(work.Stage.Positions[a], state.Positions[a], state.Count);
        }
        work.History.Push(t, state.Positions);
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
            _work = new Workspace(this, evaluator, state, Stages.MovingAxes(state, _model.Mobility), _model);
            if (!resuming)
            {
                _step = 0;
            }
        }
        if (resuming)
        {
            Load(_resumed!.History, _work.History);
        }
        _resumed = null;
        if (_time != time)
        {
            _work.History.Clear();
        }
        if (_work.History.Count == 0 || resuming)
        {
            _work.StableKnown = false;
        }
        return _work;
    }

    /// <summary>
    /// Pair radius of the Newton matrix: one neighbour spacing 1/√n in 2D (about π neighbours each; 5/n in 1D),
    /// and at least 3δ (every tight dipole). A pair's curvature falls off as γ/(n r²): 2.5 spacings cost 2–5× the
    /// assembly for no fewer Newton iterations (issue 4, settings 4 and 6).
    /// </summary>
    internal static double PairRadius(SystemModel model, int count)
    {
        double spacing = model.Dimension == 2 ? 1.0 / Math.Sqrt(count) : 5.0 / count;
        return Math.Min(0.25, Math.Max(spacing, 3 * model.Delta));
    }

    private readonly record struct Outcome(bool Accepted, int Order, double Error, double Shrink, string? Reason)
    {
        public static Outcome Reject(double shrink, string reason) => new(false, 0, double.PositiveInfinity, shrink, reason);
    }

    /// <summary>Buffers for one state and evaluator.</summary>
    private sealed class Workspace
    {
        public Workspace(ImplicitIntegrator integrator, IForceEvaluator evaluator, ParticleState owner, int movingAxes, SystemModel model)
        {
            Integrator = integrator;
            Evaluator = evaluator;
            Owner = owner;
            MovingAxes = movingAxes;
            Stage = Stages.StageState(owner, movingAxes);
            int n = owner.Count;
            var matrix = new NewtonMatrix(model, n, model.Dimension == 2 && movingAxes == 2 ? 2 : 1);
            Solver = new StageSolver(evaluator, Stage, matrix, movingAxes, PairRadius(model, n));
            History = new StepHistory(movingAxes, n);
            StartVelocity = owner.NewVectors();
            Target = Moving(movingAxes, n);
            Predictor = Moving(movingAxes, n);
            Estimate = Moving(movingAxes, n);
            Filtered = Moving(movingAxes, n);
        }

        public ImplicitIntegrator Integrator { get; }

        public IForceEvaluator Evaluator { get; }

        public ParticleState Owner { get; }

        public int MovingAxes { get; }

        public ParticleState Stage { get; }

        public StageSolver Solver { get; }

        public StepHistory History { get; }

        public double[][] StartVelocity { get; }

        public double[][] Target { get; }

        public double[][] Predictor { get; }

        public double[][] Estimate { get; set; }

        public double[][] Filtered { get; set; }

        public long CountedEvaluations { get; set; }

        /// <summary>Keys of the pairs held (curvature along their separation &gt; 0) at the newest history point:
        /// the only pairs whose curvature filters the next step's error estimate.</summary>
        public HashSet<long> StableAtStart { get; } = [];

        public bool StableKnown { get; set; }

        public int WorstParticle { get; set; }

        private static double[][] Moving(int axes, int n)
        {
            var v = new double[axes][];
            for (int a = 0; a < axes; a++)
            {
                v[a] = new double[n];
            }
            return v;
        }
    }
}
