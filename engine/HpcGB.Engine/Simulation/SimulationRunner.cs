using System.Diagnostics;
using HpcGB.Engine.Analysis;
using HpcGB.Engine.Forces;
using HpcGB.Engine.Initialization;
using HpcGB.Engine.Integrators;
using HpcGB.Engine.Model;
using HpcGB.Engine.Spec;

namespace HpcGB.Engine.Simulation;

/// <summary>
/// Runs one spec: initial particles, force evaluator and integrator are built in the constructor, and
/// <see cref="Run"/> integrates from t = 0 through every output time of <see cref="TimeSpec"/>, emitting a
/// frame at each (frame 0 at t = 0). Each frame's energy and speeds come from one extra evaluation with
/// energy at that time; bound dipoles are opposite-sign pairs closer than 3δ.
/// </summary>
public sealed class SimulationRunner
{
    /// <summary>Bound-dipole threshold in units of δ.</summary>
    public const double BoundDistanceInDeltas = 3.0;

    public SimulationRunner(SimulationSpec spec)
        : this(spec, InitialConditions.Create(spec), evaluator: null)
    {
    }

    /// <summary>Runs <paramref name="spec"/> with a given evaluator (tests, benchmarks, other backends).</summary>
    public SimulationRunner(SimulationSpec spec, IForceEvaluator evaluator)
        : this(spec, InitialConditions.Create(spec), evaluator ?? throw new ArgumentNullException(nameof(evaluator)))
    {
    }

    private SimulationRunner(SimulationSpec spec, ParticleState initial, IForceEvaluator? evaluator)
    {
        if (spec.Time.Outputs < 2)
        {
            throw new SpecException("$.time.outputs", $"must be at least 2 (t = 0 and the end), got {spec.Time.Outputs}");
        }
        Spec = spec;
        InitialState = initial;
        Evaluator = evaluator ?? ForceEvaluatorFactory.Create(spec.System, spec.Forces, initial.Count);
        Integrator = IntegratorFactory.Create(spec.Time, spec.System, initial);
    }

    public SimulationSpec Spec { get; }

    /// <summary>The particles at t = 0; <see cref="Run"/> works on a copy.</summary>
    public ParticleState InitialState { get; }

    public IForceEvaluator Evaluator { get; }

    public IIntegrator Integrator { get; }

    public string IntegratorName => Integrator.Name;

    /// <summary>Opposite-sign pairs closer than this count as bound dipoles (3δ).</summary>
    public double BoundDistance => BoundDistanceInDeltas * Spec.System.Delta;

    /// <summary>
    /// Integrates through all output times, calling <paramref name="onFrame"/> for each frame in order.
    /// Throws <see cref="SimulationException"/> (collision, step too small) with the simulated time, and
    /// <see cref="OperationCanceledException"/> when cancelled.
    /// </summary>
    public SimulationResult Run(Action<Frame> onFrame, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(onFrame);
        var clock = Stopwatch.StartNew();
        var time = Spec.Time;
        var state = InitialState.Clone();
        var velocity = state.NewVectors();
        var integrator = Integrator;
        integrator.Reset();
        long acceptedBefore = integrator.AcceptedSteps;
        long rejectedBefore = integrator.RejectedSteps;
        long evaluationsBefore = integrator.ForceEvaluations;
        long frameEvaluations = 0;

        var energyMonitor = new EnergyMonitor(time, integrator.Name);
        double t = 0;
        for (int index = 0; index < time.Outputs; index++)
        {
            ct.ThrowIfCancellationRequested();
            if (index > 0)
            {
                double target = time.OutputTime(index);
                try
                {
                    integrator.Advance(Evaluator, state, t, target, ct);
                }
                catch (SimulationException failure)
                {
                    throw CollisionDiagnosis.Explain(failure, Spec.System, state);
                }
                t = target;
            }
            double energy = Integrators.Stages.Evaluate(Evaluator, state, velocity, withEnergy: true, t);
            frameEvaluations++;
            var observables = new Observables(
                t,
                energy,
                StateMeasures.MaxSpeed(velocity),
                StateMeasures.PositionSum(state),
                DipoleCounter.CountBound(state, BoundDistance),
                integrator.AcceptedSteps - acceptedBefore,
                integrator.RejectedSteps - rejectedBefore,
                integrator.ForceEvaluations - evaluationsBefore + frameEvaluations);
            onFrame(new Frame(index, observables, state.Clone()));
            energyMonitor.Check(t, energy);
        }

        return new SimulationResult(
            time.Outputs,
            state,
            integrator.AcceptedSteps - acceptedBefore,
            integrator.RejectedSteps - rejectedBefore,
            integrator.ForceEvaluations - evaluationsBefore + frameEvaluations,
            clock.Elapsed);
    }
}
