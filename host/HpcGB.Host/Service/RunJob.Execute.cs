using HpcGB.Client.Wire;
using HpcGB.Engine.Analysis;
using HpcGB.Engine.Forces;
using HpcGB.Engine.Integrators;
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
        var snapshot = Snapshot;
        try
        {
            double t = snapshot.Time;
            int frame = snapshot.NextFrame;
            long frameEvaluations = snapshot.FrameEvaluations;
            token.ThrowIfCancellationRequested();
            if (frame == 0)
            {
                Publish(t, ++frame, Measure(t, ++frameEvaluations), frameEvaluations);
            }
            while (true)
            {
                token.ThrowIfCancellationRequested();
                double stopAt;
                lock (_gate)
                {
                    if (_pauseRequested || t >= _stopAt)
                    {
                        break;
                    }
                    stopAt = _stopAt;
                }
                double output = Spec.Time.OutputTime(frame);
                double next = Math.Min(output, stopAt);
                _integrator.Advance(_evaluator, _state, t, next, token);
                t = next;
                Observables? observables = null;
                if (next == output)
                {
                    observables = Measure(t, ++frameEvaluations);
                    frame++;
                }
                Publish(t, frame, observables, frameEvaluations);
            }
            end = t >= Spec.Time.End ? RunStatus.Finished : RunStatus.Paused;
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            end = _interrupted ? RollBack() : RunStatus.Cancelled;
        }
        catch (SimulationException ex)
        {
            (end, failure, failureCode) = (RunStatus.Failed, CollisionDiagnosis.Explain(ex, Spec.System, _state).Message, ErrorCodes.RunFailed);
        }
        catch (CollisionException ex)
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

    /// <summary>E_n and speeds at a frame, as <see cref="SimulationRunner"/> reports them.</summary>
    private Observables Measure(double t, long frameEvaluations)
    {
        double energy;
        try
        {
            energy = _evaluator.Evaluate(_state, _velocity, withEnergy: true);
        }
        catch (CollisionException collision)
        {
            throw SimulationException.Collision(collision, t);
        }
        _energyMonitor.Check(t, energy);
        return new Observables(
            t,
            energy,
            StateMeasures.MaxSpeed(_velocity),
            StateMeasures.PositionSum(_state),
            DipoleCounter.CountBound(_state, SimulationRunner.BoundDistanceInDeltas * Spec.System.Delta),
            _integrator.AcceptedSteps,
            _integrator.RejectedSteps,
            _integrator.ForceEvaluations + frameEvaluations);
    }

    private void Publish(double t, int nextFrame, Observables? observables, long frameEvaluations)
    {
        Subscriber[] subscribers;
        RunSnapshot snapshot;
        lock (_gate)
        {
            snapshot = new RunSnapshot(t, nextFrame, Copy(_state.Positions), Capture(), observables ?? _snapshot.Last, frameEvaluations);
            _snapshot = snapshot;
            subscribers = [.. _subscribers];
        }
        if (observables is null || subscribers.Length == 0)
        {
            return;
        }
        int frame = nextFrame - 1;
        byte[]? state = null;
        foreach (var subscriber in subscribers)
        {
            subscriber.Send(RunNotifications.Progress(Id, frame, observables, subscriber.Dropped));
            if (frame % subscriber.Every == 0)
            {
                state ??= RunNotifications.State(Id, frame, snapshot, _state.Signs);
                subscriber.Send(state);
            }
        }
    }

    /// <summary>After an interrupted segment: positions and integrator back to the last snapshot.</summary>
    private RunStatus RollBack()
    {
        var snapshot = Snapshot;
        if (snapshot.Integrator is not { } checkpoint)
        {
            Failure = $"interrupted by shutdown; integrator '{_integrator.Name}' cannot be checkpointed";
            return RunStatus.Failed;
        }
        for (int a = 0; a < _state.Dimension; a++)
        {
            Array.Copy(snapshot.Positions[a], _state.Positions[a], _state.Count);
        }
        ((IResumableIntegrator)_integrator).Restore(_state, checkpoint);
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
