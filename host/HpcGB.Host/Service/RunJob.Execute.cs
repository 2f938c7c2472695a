using HpcGB.Client.Wire;
using HpcGB.Engine.Forces;
using HpcGB.Engine.Simulation;

namespace HpcGB.Host.Service;

/// <summary>The worker side: integrate segment by segment, snapshot and notify at each boundary.</summary>
internal sealed partial class RunJob
{
    /// <summary>
    /// Called on a worker thread for a queued run. Segments end at output times and at the <c>advance</c> target,
    /// the same boundaries for every schedule of calls, so a run paused, checkpointed and restored at a boundary
    /// continues bit for bit like one that never stopped.
    /// </summary>
    public void Execute()
    {
        CancellationToken token;
        lock (_gate)
        {
            if (_status != RunStatus.Queued)
            {
                return;
            }
            _status = RunStatus.Running;
            token = _cancel.Token;
        }

        RunStatus end;
        string? failure = null;
        int failureCode = ErrorCodes.RunFailed;
        try
        {
            while (true)
            {
                token.ThrowIfCancellationRequested();
                double stopAt;
                lock (_gate)
                {
                    if (_runner.NextFrame > 0 && (_pauseRequested || _runner.Time >= _stopAt))
                    {
                        break;
                    }
                    stopAt = _stopAt;
                }
                Publish(_runner.Advance(stopAt, token));
            }
            end = _runner.Time >= Spec.Time.End ? RunStatus.Finished : RunStatus.Paused;
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            end = _interrupted ? RollBack() : RunStatus.Cancelled;
        }
        catch (Exception ex) when (ex is SimulationException or CollisionException)
        {
            (end, failure, failureCode) = (RunStatus.Failed, ex.Message, ErrorCodes.RunFailed);
        }
        catch (Exception ex)
        {
            // A bug, not a property of the run: report it rather than lose the worker thread.
            (end, failure, failureCode) = (RunStatus.Failed, $"unexpected {ex.GetType().Name}: {ex.Message}", ErrorCodes.Internal);
        }
        Stop(end, failure, failureCode);
    }

    /// <summary>Snapshots the runner at the segment boundary it reached and sends the frame, if any.</summary>
    private void Publish(Frame? reached)
    {
        Subscriber[] subscribers;
        RunSnapshot snapshot;
        lock (_gate)
        {
            snapshot = RunSnapshot.At(_runner.Capture(), reached?.Observables ?? _snapshot.Last);
            _snapshot = snapshot;
            subscribers = [.. _subscribers];
        }
        if (reached is not null)
        {
            _outputs?.Add(reached);
        }
        if (reached is null || subscribers.Length == 0)
        {
            return;
        }
        int frame = reached.Index;
        byte[]? state = null;
        foreach (var subscriber in subscribers)
        {
            subscriber.Send(RunNotifications.Progress(Id, frame, reached.Observables, subscriber.Dropped));
            if (frame % subscriber.Every == 0)
            {
                state ??= RunNotifications.State(Id, frame, snapshot, Signs);
                subscriber.Send(state);
            }
        }
    }

    /// <summary>After an interrupted segment: positions and integrator back to the last snapshot.</summary>
    private RunStatus RollBack()
    {
        var snapshot = Snapshot;
        if (snapshot.Integrator is null && snapshot.NextFrame > 0)
        {
            Failure = $"interrupted by shutdown; integrator '{IntegratorName}' cannot be checkpointed";
            return RunStatus.Failed;
        }
        _runner.Restore(snapshot.ToCheckpoint());
        return RunStatus.Paused;
    }

    private void Stop(RunStatus end, string? failure, int failureCode)
    {
        Subscriber[] subscribers;
        TaskCompletionSource<RunSnapshot>[] waiters;
        RunSnapshot snapshot;
        lock (_gate)
        {
            _status = end;
            _pauseRequested = false;
            Failure ??= failure;
            snapshot = _snapshot;
            subscribers = [.. _subscribers];
            waiters = [.. _stopWaiters];
            _stopWaiters.Clear();
        }
        if (end is RunStatus.Finished or RunStatus.Failed or RunStatus.Cancelled)
        {
            _outputs?.Close(end.Wire(), Failure);
        }
        foreach (var waiter in waiters)
        {
            waiter.TrySetResult(snapshot);
        }
        byte[]? notification = end switch
        {
            RunStatus.Finished => RunNotifications.Finished(Id, snapshot),
            RunStatus.Failed => RunNotifications.Failed(Id, snapshot.Time, failureCode, Failure ?? "failed"),
            RunStatus.Cancelled => RunNotifications.Cancelled(Id, snapshot.Time),
            _ => null,
        };
        if (notification is not null)
        {
            Broadcast(subscribers, notification);
        }
    }
}
