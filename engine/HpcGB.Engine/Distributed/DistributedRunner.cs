using HpcGB.Engine.Analysis;
using HpcGB.Engine.Forces;
using HpcGB.Engine.Integrators;
using HpcGB.Engine.Integrators.Implicit;
using HpcGB.Engine.Model;
using HpcGB.Engine.Simulation;
using HpcGB.Engine.Spec;

namespace HpcGB.Engine.Distributed;

/// <summary>
/// <see cref="SimulationRunner"/> for a system spread over ranks (<see cref="DistributedSystem"/>): the same
/// segments, output times and observables, on every rank in lockstep. The integrator's norms are summed over ranks
/// (<see cref="IGlobalSums"/>), so all ranks take the same steps as each other and, up to rounding, as the serial
/// run. At every output time the particles are re-homed to the slabs they have moved into, carrying the
/// integrator's cached velocity, and the slabs move when their counts drift apart; between outputs a particle that
/// has left its slab is lent for each evaluation (<see cref="DistributedEwaldEvaluator"/>). A frame's positions and
/// velocities stream to rank 0 in the serial order (<see cref="StreamPositions"/>). Cancellation is agreed on at
/// every accepted step, so that all ranks stop at the same one.
/// </summary>
public sealed class DistributedRunner : IDisposable
{
    private readonly IIntegrator _integrator;
    private double[][] _velocity;
    private long _frameEvaluations;
    private CancellationToken _cancellation;
    private readonly DistributedStageHalo? _halo;

    /// <summary>This rank's part of the run at the last output frame (or where it resumed), for a checkpoint.</summary>
    private (SimulationCheckpoint Run, int[] Ids, int[] Slabs)? _boundary;

    public DistributedRunner(DistributedSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        var spec = system.Spec;
        if (spec.Time.Outputs < 2)
        {
            throw new SpecException("$.time.outputs", $"must be at least 2 (t = 0 and the end), got {spec.Time.Outputs}");
        }
        System = system;
        var time = spec.Time with { Integrator = system.Integrator };
        // The factory checks the time block as for a serial run; the distributed DP45 sums its norms over ranks, the
        // implicit integrator reaches across ranks through the halo of its Newton matrix.
        var checkedIntegrator = IntegratorFactory.Create(time, spec.System);
        _integrator = checkedIntegrator switch
        {
            DormandPrince45 => new DormandPrince45(time.Rtol, time.Atol, spec.System.Mobility, system.Communicator),
            ImplicitIntegrator => new ImplicitIntegrator(time.Rtol, time.Atol, spec.System, time.MaxOrder, time.Error == ErrorControl.PerUnitTime)
            {
                Halo = _halo = new DistributedStageHalo(system),
            },
            _ => checkedIntegrator,
        };
        _integrator.Progress = OnAcceptedStep;
        _velocity = system.Held.NewVectors();
        BoundDistance = BoundDipoles.Distance(spec.System, (int)system.Count);
        if (system.Resumed is { } resumed)
        {
            if (resumed.Integrator is { } state)
            {
                ((IResumableIntegrator)_integrator).Restore(system.Held, state with { Integrator = _integrator.Name });
            }
            Time = resumed.Time;
            NextFrame = resumed.NextFrame;
            _frameEvaluations = resumed.FrameEvaluations;
            _boundary = Boundary();
        }
    }

    public DistributedSystem System { get; }

    public SimulationSpec Spec => System.Spec;

    public double Time { get; private set; }

    public int NextFrame { get; private set; }

    public bool IsFinished => NextFrame >= Spec.Time.Outputs;

    public string IntegratorName => _integrator.Name;

    /// <summary>The implicit integrator's evaluations by cause on this rank (every rank takes the same), else null.</summary>
    internal EvaluationTally? Tally => (_integrator as ImplicitIntegrator)?.Tally;

    public IForceEvaluator Evaluator => System.Evaluator;

    /// <summary>
    /// Products of the implicit integrator's conjugate gradient with its Newton matrix since the run (or its resumption)
    /// began, the same on every rank: each exchanges the ghosts' entries twice per moving component; 0 for DP45.
    /// </summary>
    public long ConjugateGradientProducts => _halo?.Products ?? 0;

    /// <summary>r_b of the bound dipoles.</summary>
    public double BoundDistance { get; }

    /// <summary>Called after every accepted step with the simulated time (after the ranks agreed to go on).</summary>
    public Action<double>? Progress { get; set; }

    /// <summary>All force evaluations since t = 0, the frames' included (the same on every rank).</summary>
    public long ForceEvaluations => _integrator.ForceEvaluations + _frameEvaluations;

    /// <summary>
    /// One segment, as <see cref="SimulationRunner.Advance"/>: frame 0 where the run stands, then to the next output
    /// time (or <paramref name="stopAt"/> first). Every rank calls it with the same arguments.
    /// </summary>
    public Observables? Advance(double stopAt, CancellationToken cancellation = default)
    {
        if (IsFinished)
        {
            throw new InvalidOperationException($"the run has emitted all {Spec.Time.Outputs} frames");
        }
        _cancellation = cancellation;
        if (AgreedCancel())
        {
            throw new OperationCanceledException(cancellation);
        }
        if (NextFrame == 0)
        {
            return Measure();
        }
        double output = Spec.Time.OutputTime(NextFrame);
        double target = Math.Min(output, stopAt);
        _integrator.Advance(System.Evaluator, System.Held, Time, target, CancellationToken.None);
        Time = target;
        if (target != output)
        {
            return null;
        }
        Rehome();
        return Measure();
    }

    /// <summary>This frame's positions (wrapped, [n × d] rows) to rank 0 in the serial order, block by block.</summary>
    public void StreamPositions(Action<long, double[]>? sink)
    {
        var held = System.Held;
        int d = held.Dimension;
        var rows = new double[held.Count * d];
        for (int i = 0; i < held.Count; i++)
        {
            for (int a = 0; a < d; a++)
            {
                rows[i * d + a] = Torus.Wrap(held.Positions[a][i]);
            }
        }
        System.StreamInOrder(rows, d, sink);
    }

    /// <summary>This frame's velocities ([n × d] rows) to rank 0 in the serial order.</summary>
    public void StreamVelocities(Action<long, double[]>? sink)
    {
        int d = _velocity.Length, n = System.Held.Count;
        var rows = new double[n * d];
        for (int i = 0; i < n; i++)
        {
            for (int a = 0; a < d; a++)
            {
                rows[i * d + a] = _velocity[a][i];
            }
        }
        System.StreamInOrder(rows, d, sink);
    }

    /// <summary>
    /// The run at the last output frame (or where it resumed) gathered to rank 0 in the serial order — what a serial
    /// run's checkpoint holds, and the slabs — while the run may have gone on since (a cancelled segment). Null on the
    /// other ranks, and everywhere before frame 0. Every rank calls it; rank 0 holds every position and cached
    /// velocity for the while.
    /// </summary>
    public DistributedCheckpoint? GatherCheckpoint()
    {
        if (_boundary is not { } boundary)
        {
            return null;
        }
        var (run, ids, slabs) = boundary;
        int d = run.Positions.Length, held = ids.Length;
        var columns = IntegratorRows.Columns(run.Integrator);
        int v = columns.Length, width = d + v;
        var rows = new double[held * width];
        for (int i = 0; i < held; i++)
        {
            for (int a = 0; a < d; a++)
            {
                rows[i * width + a] = run.Positions[a][i];
            }
            for (int c = 0; c < v; c++)
            {
                rows[i * width + d + c] = columns[c][i];
            }
        }
        bool root = System.Communicator.Rank == 0;
        long n = System.Count;
        var positions = Enumerable.Range(0, root ? d : 0).Select(_ => new double[n]).ToArray();
        var gathered = Enumerable.Range(0, root ? v : 0).Select(_ => new double[n]).ToArray();
        System.StreamInOrder(ids, rows, width, root ? (first, block) =>
        {
            for (long j = 0; j < block.Length / width; j++)
            {
                for (int a = 0; a < d; a++)
                {
                    positions[a][first + j] = block[j * width + a];
                }
                for (int c = 0; c < v; c++)
                {
                    gathered[c][first + j] = block[j * width + d + c];
                }
            }
        } : null);
        if (!root)
        {
            return null;
        }
        var integrator = run.Integrator is { } state ? IntegratorRows.WithColumns(state, gathered) : null;
        return new DistributedCheckpoint(run with { Positions = positions, Integrator = integrator }, System.AllSigns!, slabs);
    }

    public void Dispose() => System.Dispose();

    /// <summary>This rank's part of the run where it stands (a segment boundary), as copies.</summary>
    private (SimulationCheckpoint, int[], int[]) Boundary() => (
        new SimulationCheckpoint(Time, NextFrame, System.Held.Positions.Select(axis => (double[])axis.Clone()).ToArray(),
            ((IResumableIntegrator)_integrator).Capture(), _frameEvaluations),
        (int[])System.Ids.Clone(),
        System.Evaluator.Layout.Boundaries.ToArray());

    private void OnAcceptedStep(double time)
    {
        if (AgreedCancel())
        {
            throw new OperationCanceledException(_cancellation);
        }
        Progress?.Invoke(time);
    }

    /// <summary>Whether any rank was asked to stop (every rank gets the same answer).</summary>
    private bool AgreedCancel() => System.Communicator.Size == 1
        ? _cancellation.IsCancellationRequested
        : System.Communicator.Max(_cancellation.IsCancellationRequested ? 1 : 0)[0] > 0;

    /// <summary>Particles to the slabs they are in, with the integrator's per-particle state (cached velocity, BDF history).</summary>
    private void Rehome()
    {
        var resumable = (IResumableIntegrator)_integrator;
        var checkpoint = resumable.Capture();
        var carried = IntegratorRows.Columns(checkpoint);
        var moved = System.Rehome(carried.Length == 0 ? null : carried);
        resumable.Restore(System.Held, IntegratorRows.WithColumns(checkpoint, moved ?? []));
        _velocity = System.Held.NewVectors();
    }

    /// <summary>The observables over all ranks: one evaluation with energy, then sums and maxima.</summary>
    private Observables Measure()
    {
        double energy;
        try
        {
            energy = System.Evaluator.Evaluate(System.Held, _velocity, withEnergy: true);
        }
        catch (CollisionException collision)
        {
            throw SimulationException.Collision(collision, Time);
        }
        _frameEvaluations++;
        var communicator = System.Communicator;
        double speed = communicator.Max(StateMeasures.MaxSpeed(_velocity))[0];
        var centroid = communicator.Sum(StateMeasures.PositionSum(System.Held));
        long dipoles = DistributedDipoles.Count(System, BoundDistance);
        NextFrame++;
        _boundary = Boundary();
        return new Observables(Time, energy, speed, centroid, dipoles,
            _integrator.AcceptedSteps, _integrator.RejectedSteps, ForceEvaluations);
    }
}
