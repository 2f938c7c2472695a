using System.Diagnostics;
using HpcGB.Engine.Analysis;
using HpcGB.Engine.Forces;
using HpcGB.Engine.Initialization;
using HpcGB.Engine.Integrators;
using HpcGB.Engine.Model;
using HpcGB.Engine.Spec;

namespace HpcGB.Engine.Simulation;

/// <summary>
/// The one simulation driver, used by <c>hpcgb run</c>, the service's runs and the experiments. It owns a run's
/// particles, force evaluator and integrator and advances them <em>segment by segment</em>: a segment ends at the
/// next output time (where it measures a <see cref="Frame"/>) or earlier at a caller's stop time. Segment boundaries
/// depend only on the spec and the stop times asked for, so a run captured at a boundary (<see cref="Capture"/>)
/// and resumed (<see cref="Resume"/>) continues bit for bit like one that never stopped. Frame 0 is measured at
/// t = 0 by the first segment. Not thread-safe: one thread drives a runner.
/// </summary>
public sealed class SimulationRunner : IDisposable
{
    private readonly double[][] _velocity;
    private readonly bool _ownsEvaluator;
    private readonly EnergyMonitor _energyMonitor;
    private long _frameEvaluations;

    public SimulationRunner(SimulationSpec spec)
        : this(spec, InitialConditions.Create(spec), evaluator: null, checkpoint: null)
    {
    }

    /// <summary>Runs <paramref name="spec"/> with a given evaluator (tests, benchmarks, other backends); the caller
    /// keeps ownership of it.</summary>
    public SimulationRunner(SimulationSpec spec, IForceEvaluator evaluator)
        : this(spec, InitialConditions.Create(spec), evaluator ?? throw new ArgumentNullException(nameof(evaluator)), checkpoint: null)
    {
    }

    private SimulationRunner(SimulationSpec spec, ParticleState initial, IForceEvaluator? evaluator, SimulationCheckpoint? checkpoint)
    {
        if (spec.Time.Outputs < 2)
        {
            throw new SpecException("$.time.outputs", $"must be at least 2 (t = 0 and the end), got {spec.Time.Outputs}");
        }
        Spec = spec;
        InitialState = initial;
        State = initial.Clone();
        _ownsEvaluator = evaluator is null;
        Evaluator = evaluator ?? ForceEvaluatorFactory.Create(spec.System, spec.Forces, initial.Count);
        Integrator = IntegratorFactory.Create(Resolved(spec.Time, checkpoint), spec.System, initial, spec.Forces.EffectiveThreads);
        _velocity = State.NewVectors();
        _energyMonitor = new EnergyMonitor(spec.Time, Integrator.Name);
        BoundDistance = BoundDipoles.Distance(spec.System, initial.Count);
        if (checkpoint is not null)
        {
            Restore(checkpoint);
        }
    }

    /// <summary>
    /// A runner at <paramref name="checkpoint"/> of a run of <paramref name="spec"/> with these signs. The spec may end
    /// later than the one the checkpoint was taken from (an extended run), as long as the output times up to the
    /// checkpoint are the same. Throws <see cref="ArgumentException"/> when the checkpoint does not fit.
    /// </summary>
    public static SimulationRunner Resume(
        SimulationSpec spec, sbyte[] signs, SimulationCheckpoint checkpoint, IForceEvaluator? evaluator = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(signs);
        ArgumentNullException.ThrowIfNull(checkpoint);
        if (checkpoint.Positions.Length != spec.Dimension || checkpoint.Positions.Any(axis => axis.Length != signs.Length))
        {
            throw new ArgumentException(
                $"the checkpoint's positions do not match {signs.Length} particles in {spec.Dimension}D", nameof(checkpoint));
        }
        var state = new ParticleState(checkpoint.Positions.Select(axis => (double[])axis.Clone()).ToArray(), (sbyte[])signs.Clone());
        return new SimulationRunner(spec, state, evaluator, checkpoint);
    }

    /// <summary>
    /// The time block to build the integrator from: a resumed <c>auto</c> run continues with the integrator it chose
    /// at t = 0 (named in the checkpoint), not one chosen anew from the checkpoint's particles.
    /// </summary>
    private static TimeSpec Resolved(TimeSpec time, SimulationCheckpoint? checkpoint) =>
        time.Integrator == IntegratorType.Auto && checkpoint?.Integrator is { } resume
            ? time with { Integrator = Enum.Parse<IntegratorType>(resume.Integrator, ignoreCase: true) }
            : time;

    public SimulationSpec Spec { get; }

    /// <summary>The particles this runner started from: t = 0 for a new run, the checkpoint for a resumed one.
    /// The runner never changes them.</summary>
    public ParticleState InitialState { get; }

    /// <summary>The particles now (unwrapped), at <see cref="Time"/>; changed by every segment.</summary>
    public ParticleState State { get; }

    /// <summary>Simulated time reached.</summary>
    public double Time { get; private set; }

    /// <summary>Index of the next output frame; frames 0 … NextFrame − 1 have been emitted.</summary>
    public int NextFrame { get; private set; }

    /// <summary>Every frame up to <c>time.end</c> has been emitted.</summary>
    public bool IsFinished => NextFrame >= Spec.Time.Outputs;

    public IForceEvaluator Evaluator { get; }

    public IIntegrator Integrator { get; }

    public string IntegratorName => Integrator.Name;

    /// <summary>Called after every accepted integrator step with the simulated time reached, between frames (progress
    /// bars, ETAs); null for none.</summary>
    public Action<double>? Progress
    {
        get => Integrator.Progress;
        set => Integrator.Progress = value;
    }

    /// <summary>Whether <see cref="Capture"/> records the integrator (all built-in integrators can).</summary>
    public bool IsResumable => Integrator is IResumableIntegrator;

    /// <summary>The bound-dipole distance r_b of this run (<see cref="BoundDipoles.Distance"/>).</summary>
    public double BoundDistance { get; }

    /// <summary>
    /// Runs one segment. Before frame 0 it measures frame 0 where the run stands (t = 0) and returns it. Otherwise it
    /// advances to the next output time, or to <paramref name="stopAt"/> if that comes first, and returns the frame
    /// measured there, or null when it stopped short of the output time. Throws <see cref="SimulationException"/>
    /// (collision, step too small) with the simulated time and <see cref="OperationCanceledException"/> when
    /// cancelled; either leaves the runner between boundaries, to be <see cref="Restore"/>d or dropped.
    /// </summary>
    public Frame? Advance(double stopAt, CancellationToken cancellation = default)
    {
        if (IsFinished)
        {
            throw new InvalidOperationException($"the run has emitted all {Spec.Time.Outputs} frames");
        }
        cancellation.ThrowIfCancellationRequested();
        if (NextFrame == 0)
        {
            return Measure();
        }
        if (!(stopAt > Time))
        {
            throw new ArgumentOutOfRangeException(nameof(stopAt), stopAt, $"must be after the run's time {Time:R}");
        }
        double output = Spec.Time.OutputTime(NextFrame);
        double target = Math.Min(output, stopAt);
        try
        {
            Integrator.Advance(Evaluator, State, Time, target, cancellation);
        }
        catch (SimulationException failure)
        {
            throw CollisionDiagnosis.Explain(failure, Spec.System, State);
        }
        Time = target;
        return target == output ? Measure() : null;
    }

    /// <summary>
    /// Runs to <c>time.end</c> from wherever the runner stands, calling <paramref name="onFrame"/> for each frame in
    /// order (frame 0 included for a new run). Exceptions as for <see cref="Advance"/>.
    /// </summary>
    public SimulationResult Run(Action<Frame> onFrame, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(onFrame);
        var clock = Stopwatch.StartNew();
        int frames = 0;
        while (!IsFinished)
        {
            if (Advance(Spec.Time.End, cancellation) is { } frame)
            {
                frames++;
                onFrame(frame);
            }
        }
        return new SimulationResult(
            frames, State, Integrator.AcceptedSteps, Integrator.RejectedSteps, ForceEvaluations, clock.Elapsed);
    }

    /// <summary>All force evaluations since t = 0, the frames' energy evaluations included.</summary>
    public long ForceEvaluations => Integrator.ForceEvaluations + _frameEvaluations;

    /// <summary>The run where it stands, which must be a segment boundary (after a completed <see cref="Advance"/>).</summary>
    public SimulationCheckpoint Capture() => new(
        Time,
        NextFrame,
        State.Positions.Select(axis => (double[])axis.Clone()).ToArray(),
        (Integrator as IResumableIntegrator)?.Capture(),
        _frameEvaluations);

    /// <summary>
    /// Puts the run back to <paramref name="checkpoint"/> (of this run, or of one with the same spec and signs): after
    /// an interrupted segment, or to resume. Throws <see cref="ArgumentException"/> when the checkpoint does not fit.
    /// </summary>
    public void Restore(SimulationCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var time = Spec.Time;
        if (checkpoint.NextFrame < 0 || checkpoint.NextFrame > time.Outputs)
        {
            throw new ArgumentException($"the checkpoint's next frame {checkpoint.NextFrame} is outside 0 … {time.Outputs}", nameof(checkpoint));
        }
        if (!(checkpoint.Time >= 0 && checkpoint.Time <= time.End))
        {
            throw new ArgumentException($"the checkpoint's time {checkpoint.Time:R} is outside [0, {time.End:R}]", nameof(checkpoint));
        }
        if (checkpoint.Positions.Length != State.Dimension || checkpoint.Positions.Any(axis => axis.Length != State.Count))
        {
            throw new ArgumentException(
                $"the checkpoint's positions do not match {State.Count} particles in {State.Dimension}D", nameof(checkpoint));
        }
        for (int a = 0; a < State.Dimension; a++)
        {
            Array.Copy(checkpoint.Positions[a], State.Positions[a], State.Count);
        }
        if (checkpoint.Integrator is { } integrator)
        {
            if (Integrator is not IResumableIntegrator resumable)
            {
                throw new ArgumentException($"integrator '{Integrator.Name}' cannot be restored", nameof(checkpoint));
            }
            resumable.Restore(State, integrator);
        }
        else if (checkpoint.NextFrame == 0 && checkpoint.Time == 0)
        {
            Integrator.Reset();
        }
        else
        {
            throw new ArgumentException("the checkpoint holds no integrator state", nameof(checkpoint));
        }
        Time = checkpoint.Time;
        NextFrame = checkpoint.NextFrame;
        _frameEvaluations = checkpoint.FrameEvaluations;
    }

    /// <summary>Frees the evaluator's native buffers when the runner built it.</summary>
    public void Dispose()
    {
        if (_ownsEvaluator)
        {
            (Evaluator as IDisposable)?.Dispose();
        }
    }

    /// <summary>E_n, speeds and the other observables where the run stands: one evaluation with energy.</summary>
    private Frame Measure()
    {
        double energy;
        try
        {
            energy = Evaluator.Evaluate(State, _velocity, withEnergy: true);
        }
        catch (CollisionException collision)
        {
            throw SimulationException.Collision(collision, Time);
        }
        _frameEvaluations++;
        _energyMonitor.Check(Time, energy);
        var observables = new Observables(
            Time,
            energy,
            StateMeasures.MaxSpeed(_velocity),
            StateMeasures.PositionSum(State),
            BoundDipoles.Count(State, BoundDistance),
            Integrator.AcceptedSteps,
            Integrator.RejectedSteps,
            ForceEvaluations);
        var velocity = Spec.Outputs.Velocities ? _velocity.Select(axis => (double[])axis.Clone()).ToArray() : null;
        return new Frame(NextFrame++, observables, State.Clone(), velocity);
    }
}
