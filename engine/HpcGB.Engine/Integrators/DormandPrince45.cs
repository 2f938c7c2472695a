using HpcGB.Engine.Forces;
using HpcGB.Engine.Model;
using HpcGB.Engine.Simulation;

namespace HpcGB.Engine.Integrators;

/// <summary>
/// Adaptive explicit Runge–Kutta Dormand–Prince 5(4) (Hairer–Nørsett–Wanner, DOPRI5): the 5th-order solution
/// is propagated, the embedded 4th-order one only estimates the error; first-same-as-last, so an accepted step
/// costs six evaluations. Error norm: RMS over all moving components of err/(atol + rtol) (<see cref="PositionTolerance.Scale"/>);
/// a step is rejected when it exceeds 1. Step control: the DOPRI5 PI controller (β = 0.04, safety 0.9, step
/// factor in [0.2, 5], no growth right after a rejection); first step by Hairer's heuristic. Steps are clipped
/// so each <see cref="Advance"/> lands exactly on its target (no dense output), and a step below
/// 16·ε·max(|t|, |target|) throws <see cref="SimulationException"/> with the time and step size.
/// </summary>
public sealed partial class DormandPrince45 : IIntegrator
{
    private const double Safety = 0.9;
    private const double MinFactor = 0.2;

    /// <summary>Steps to the next output beyond which a run counts as stalled …</summary>
    private const double MaxStepsPerInterval = 1e6;

    /// <summary>… when that projection holds for this many accepted steps in a row.</summary>
    private const int StallPatience = 1000;
    private const double MaxFactor = 5.0;
    private const double Beta = 0.04;
    private const double MachineEpsilon = 2.220446049250313e-16;

    private readonly double _scale;
    private readonly MobilityType _mobility;

    private Workspace? _work;
    private bool _velocityCached;
    private double _cachedTime;
    private double _step;
    private double _previousError = 1e-4;

    private readonly IGlobalSums? _sums;

    /// <param name="sums">Where the particles are spread over the ranks of a distributed run: the sums that make the
    /// error norms global, so that every rank takes the same steps. Null for a run in one process.</param>
    public DormandPrince45(double rtol, double atol, MobilityType mobility, IGlobalSums? sums = null)
    {
        _sums = sums;
        if (!(rtol >= 0 && atol >= 0 && rtol + atol > 0 && double.IsFinite(rtol + atol)))
        {
            throw new ArgumentOutOfRangeException(nameof(rtol), $"need rtol, atol ≥ 0, not both 0 (got {rtol}, {atol})");
        }
        _scale = PositionTolerance.Scale(rtol, atol);
        _mobility = mobility;
    }

    public string Name => "dp45";

    public long AcceptedSteps { get; private set; }

    public long RejectedSteps { get; private set; }

    public long ForceEvaluations { get; private set; }

    public Action<double>? Progress { get; set; }

    public void Reset()
    {
        _velocityCached = false;
        _step = 0;
        _previousError = 1e-4;
    }

    public void Advance(
        IForceEvaluator evaluator, ParticleState state, double time, double target,
        CancellationToken cancellation = default)
    {
        if (!(target >= time))
        {
            throw new ArgumentOutOfRangeException(nameof(target), $"target {target} is before the current time {time}");
        }
        var work = Prepare(state, time);
        if (target == time)
        {
            return;
        }
        if (!_velocityCached)
        {
            Evaluate(evaluator, state, work.K[0], time);
            _velocityCached = true;
        }
        if (_step <= 0)
        {
            _step = InitialStep(evaluator, work, time, target);
        }

        double t = time;
        bool rejectedBefore = false;
        int crawling = 0;
        while (t < target)
        {
            cancellation.ThrowIfCancellationRequested();
            double minimum = 16 * MachineEpsilon * Math.Max(Math.Abs(t), Math.Abs(target));
            double proposed = _step;
            double h = proposed;
            bool last = t + 1.01 * h >= target;
            if (last)
            {
                h = target - t;
            }
            else if (h < minimum)
            {
                throw SimulationException.StepTooSmall(Name, t, h, minimum);
            }

            double error = TryStep(evaluator, work, t, h);
            double errorPower = Math.Pow(error, 0.2 - 0.75 * Beta);
            if (error <= 1.0)
            {
                // PI control: h_new = h / clamp(err^{0.2−0.75β} / err_old^β / safety, 1/5, 1/0.2).
                double factor = Math.Clamp(errorPower / Math.Pow(_previousError, Beta) / Safety, 1 / MaxFactor, 1 / MinFactor);
                double next = h / factor;
                if (rejectedBefore)
                {
                    next = Math.Min(next, h);
                }
                _previousError = Math.Max(error, 1e-4);
                Accept(work, state);
                AcceptedSteps++;
                t = last ? target : t + h;
                _cachedTime = t; // k1 now belongs to (state, t), even if a later step throws
                Progress?.Invoke(t);
                // A step shortened only to land on the target says nothing against the longer one proposed.
                _step = last ? Math.Max(next, proposed) : next;
                rejectedBefore = false;
                // A run that keeps needing more than 10^6 steps to reach the next output is not going to finish:
                // typically a pair jumped over its collision under regularisation none and now oscillates.
                crawling = target - t > MaxStepsPerInterval * h ? crawling + 1 : 0;
                if (crawling >= StallPatience)
                {
                    throw SimulationException.Stalled(Name, t, h, target);
                }
            }
            else
            {
                double shrink = double.IsFinite(error) ? Math.Min(1 / MinFactor, errorPower / Safety) : 1 / MinFactor;
                _step = h / shrink;
                RejectedSteps++;
                rejectedBefore = true;
                if (_step < minimum)
                {
                    throw SimulationException.StepTooSmall(Name, t, _step, minimum);
                }
            }
        }
    }

    /// <summary>
    /// Fixed-step mode for convergence tests: <paramref name="steps"/> equal 5th-order steps, every one
    /// accepted regardless of the error estimate.
    /// </summary>
    internal void AdvanceFixed(IForceEvaluator evaluator, ParticleState state, double time, double target, int steps)
    {
        var work = Prepare(state, time);
        if (!_velocityCached)
        {
            Evaluate(evaluator, state, work.K[0], time);
            _velocityCached = true;
        }
        double h = (target - time) / steps;
        for (int s = 0; s < steps; s++)
        {
            double t = time + s * h;
            TryStep(evaluator, work, t, h);
            Accept(work, state);
            AcceptedSteps++;
        }
        _cachedTime = target;
    }

    /// <summary>Allocates the stage buffers for this state and drops the cached velocity if it is stale.</summary>
    private Workspace Prepare(ParticleState state, double time)
    {
        if (_work is null || !ReferenceEquals(_work.Owner, state))
        {
            _work = new Workspace(state, StagePositions.MovingAxes(state, _mobility));
            Reset();
        }
        else if (_cachedTime != time)
        {
            _velocityCached = false;
        }
        _cachedTime = time;
        return _work;
    }

    /// <summary>y ← y_new (the last stage's positions), and k1 ← k7 (first same as last).</summary>
    private static void Accept(Workspace work, ParticleState state)
    {
        for (int a = 0; a < work.MovingAxes; a++)
        {
            Array.Copy(work.State.Positions[a], state.Positions[a], state.Count);
        }
        (work.K[0], work.K[6]) = (work.K[6], work.K[0]);
    }

    private void Evaluate(IForceEvaluator evaluator, ParticleState state, double[][] velocity, double time)
    {
        ForceEvaluations++;
        Velocities.Evaluate(evaluator, state, velocity, withEnergy: false, time);
    }

    /// <summary>Buffers for one state: the stage positions (x2 shared under glide) and the seven stage velocities.</summary>
    private sealed class Workspace
    {
        public Workspace(ParticleState owner, int movingAxes)
        {
            Owner = owner;
            MovingAxes = movingAxes;
            State = StagePositions.State(owner, movingAxes);
            K = new double[7][][];
            for (int s = 0; s < K.Length; s++)
            {
                K[s] = owner.NewVectors();
            }
        }

        public ParticleState Owner { get; }

        public int MovingAxes { get; }

        public ParticleState State { get; }

        public double[][][] K { get; }

        /// <summary>Number of moving components (this rank's), the N of the RMS norm.</summary>
        public int Components => MovingAxes * Owner.Count;
    }
}
