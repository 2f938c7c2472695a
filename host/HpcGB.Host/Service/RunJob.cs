using HpcGB.Engine.Simulation;
using HpcGB.Engine.Spec;

namespace HpcGB.Host.Service;

/// <summary>
/// One run: its <see cref="SimulationRunner"/> (touched only by the worker that executes it), the latest
/// <see cref="RunSnapshot"/>, its status and subscribers. Control calls (<see cref="Start"/>, <see cref="Advance"/>,
/// <see cref="Pause"/>, <see cref="Cancel"/>) come from connection threads and only change flags under the lock;
/// the worker acts on them at segment boundaries (cancel also interrupts a segment).
/// </summary>
internal sealed partial class RunJob : IDisposable
{
    private readonly object _gate = new();
    private readonly SimulationRunner _runner;
    private readonly RunOutputFiles? _outputs;
    private readonly List<Subscriber> _subscribers = [];
    private readonly List<TaskCompletionSource<RunSnapshot>> _stopWaiters = [];
    private readonly CancellationTokenSource _cancel = new();
    private RunSnapshot _snapshot;
    private RunStatus _status;
    private double _stopAt;
    private bool _pauseRequested;
    private bool _interrupted;

    /// <summary>A new run at t = 0; <paramref name="outputs"/> makes the files it writes on the server side, if any.</summary>
    public RunJob(long id, SimulationSpec spec, RpcConnection owner, Func<SimulationRunner, RunOutputFiles>? outputs = null)
        : this(id, spec, owner, new SimulationRunner(spec), snapshot: null)
    {
        try
        {
            _outputs = outputs?.Invoke(_runner);
        }
        catch
        {
            _runner.Dispose();
            throw;
        }
    }

    /// <summary>A restored run, paused at <paramref name="snapshot"/>; <see cref="ArgumentException"/> when it does
    /// not fit the spec.</summary>
    public RunJob(long id, SimulationSpec spec, RpcConnection owner, sbyte[] signs, RunSnapshot snapshot)
        : this(id, spec, owner, SimulationRunner.Resume(spec, signs, snapshot.ToCheckpoint()), snapshot)
    {
    }

    private RunJob(long id, SimulationSpec spec, RpcConnection owner, SimulationRunner runner, RunSnapshot? snapshot)
    {
        Id = id;
        Spec = spec;
        Owner = owner;
        _runner = runner;
        _snapshot = snapshot ?? RunSnapshot.At(runner.Capture(), last: null);
        _status = snapshot is null ? RunStatus.Created : RunStatus.Paused;
    }

    public long Id { get; }

    public SimulationSpec Spec { get; }

    /// <summary>The connection that created (or restored) the run; it counts against that connection's limit.</summary>
    public RpcConnection Owner { get; }

    public sbyte[] Signs => _runner.State.Signs;

    public string IntegratorName => _runner.IntegratorName;

    public bool IsResumable => _runner.IsResumable;

    public RunSnapshot Snapshot
    {
        get
        {
            lock (_gate)
            {
                return _snapshot;
            }
        }
    }

    public RunStatus Status
    {
        get
        {
            lock (_gate)
            {
                return _status;
            }
        }
    }

    /// <summary>Why the run failed (null unless <see cref="RunStatus.Failed"/>).</summary>
    public string? Failure { get; private set; }

    /// <summary>Runs to <c>time.end</c>; the caller then queues the run on the worker pool.</summary>
    public void Start()
    {
        lock (_gate)
        {
            RequireIdle("start");
            _stopAt = Spec.Time.End;
            _status = RunStatus.Queued;
        }
    }

    /// <summary>Runs to <paramref name="target"/> and pauses there; the task completes when the worker stopped.
    /// <paramref name="queue"/> is false when the run is already at the target.</summary>
    public Task<RunSnapshot> Advance(double target, out bool queue)
    {
        lock (_gate)
        {
            RequireIdle("advance");
            if (target < _snapshot.Time)
            {
                throw RpcFault.InvalidParams($"params[1] (t): {target:R} is before the run's time {_snapshot.Time:R}");
            }
            if (target > Spec.Time.End)
            {
                throw RpcFault.InvalidParams($"params[1] (t): {target:R} is beyond the spec's time.end {Spec.Time.End:R}");
            }
            queue = target > _snapshot.Time;
            if (!queue)
            {
                return Task.FromResult(_snapshot);
            }
            _stopAt = target;
            _status = RunStatus.Queued;
            return AddWaiter();
        }
    }

    /// <summary>Asks an active run to stop at its next segment boundary; completes when it has.</summary>
    public Task<RunSnapshot> Pause()
    {
        lock (_gate)
        {
            if (!_status.IsActive())
            {
                return Task.FromResult(_snapshot);
            }
            _pauseRequested = true;
            return AddWaiter();
        }
    }

    /// <summary>Stops the run for good (interrupting a segment); completes when the worker let go of it.</summary>
    public Task<RunSnapshot> Cancel()
    {
        Subscriber[] subscribers;
        RunSnapshot snapshot;
        lock (_gate)
        {
            if (_status.IsActive())
            {
                _cancel.Cancel();
                return AddWaiter();
            }
            if (_status is not (RunStatus.Created or RunStatus.Paused))
            {
                return Task.FromResult(_snapshot);
            }
            _status = RunStatus.Cancelled;
            subscribers = [.. _subscribers];
            snapshot = _snapshot;
        }
        Broadcast(subscribers, RunNotifications.Cancelled(Id, snapshot.Time));
        return Task.FromResult(snapshot);
    }

    /// <summary>Shutdown: interrupts an active run and rolls it back to its last snapshot, status paused, so that it
    /// can be checkpointed. Completes at once for an idle run.</summary>
    public Task<RunSnapshot> Interrupt()
    {
        lock (_gate)
        {
            if (!_status.IsActive())
            {
                return Task.FromResult(_snapshot);
            }
            _interrupted = true;
            _cancel.Cancel();
            return AddWaiter();
        }
    }

    public void Subscribe(Subscriber subscriber)
    {
        lock (_gate)
        {
            _subscribers.RemoveAll(s => s.Connection == subscriber.Connection);
            _subscribers.Add(subscriber);
        }
    }

    /// <summary>Removes the connection's subscription; returns it (null when there was none).</summary>
    public Subscriber? Unsubscribe(RpcConnection connection)
    {
        lock (_gate)
        {
            var subscriber = _subscribers.Find(s => s.Connection == connection);
            if (subscriber is not null)
            {
                _subscribers.Remove(subscriber);
            }
            return subscriber;
        }
    }

    /// <summary>Sends a notification to every subscriber (the shutdown notice).</summary>
    public void Notify(byte[] notification)
    {
        Subscriber[] subscribers;
        lock (_gate)
        {
            subscribers = [.. _subscribers];
        }
        Broadcast(subscribers, notification);
    }

    /// <summary>The run's memory in the server's budget, released with the run.</summary>
    public MemoryBudget.Reservation? Memory { get; set; }

    /// <summary>Whether <paramref name="connection"/> subscribes to this run while it can still change.</summary>
    public bool HasSubscriber(RpcConnection connection)
    {
        lock (_gate)
        {
            return _status is not (RunStatus.Finished or RunStatus.Failed or RunStatus.Cancelled)
                && _subscribers.Exists(s => s.Connection == connection);
        }
    }

    /// <summary>Frees the evaluator's native buffers; only once the run has ended (after <see cref="Cancel"/>), so no
    /// worker holds it and no call can queue it again.</summary>
    public void Dispose()
    {
        _outputs?.Close(Status.Wire(), Failure);
        _runner.Dispose();
        Memory?.Dispose();
    }

    private void RequireIdle(string call)
    {
        if (_status is not (RunStatus.Created or RunStatus.Paused))
        {
            throw RpcFault.InvalidState($"run {Id} is {_status.Wire()}; {call} needs a created or paused run");
        }
    }

    private Task<RunSnapshot> AddWaiter()
    {
        var waiter = new TaskCompletionSource<RunSnapshot>(TaskCreationOptions.RunContinuationsAsynchronously);
        _stopWaiters.Add(waiter);
        return waiter.Task;
    }

    private static void Broadcast(Subscriber[] subscribers, byte[] notification)
    {
        foreach (var subscriber in subscribers)
        {
            subscriber.Send(notification);
        }
    }
}
