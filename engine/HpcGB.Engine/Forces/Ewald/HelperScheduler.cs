using System.Diagnostics;

namespace HpcGB.Engine.Forces.Ewald;

/// <summary>
/// Runs one evaluation's tasks on the calling thread plus at most <c>helpers</c> pool threads: queued tasks wait for
/// a free helper, and any thread that waits for a task not yet started runs it itself. So a caller that runs its
/// own task inline (<see cref="Task.RunSynchronously(TaskScheduler)"/>) works instead of spinning while the helpers
/// work, a parallel loop inside it (whose parts are scheduled on <see cref="TaskScheduler.Current"/>) never puts
/// more threads to work than the evaluation was given, and a helper that is slow to start costs nothing on a busy
/// machine: the caller runs what is still queued. A helper that ran out of tasks spins a little (<see cref="IdleSpin"/>)
/// before it gives its pool thread back, so that the next evaluation's mesh does not wait for a parked thread to wake.
/// </summary>
internal sealed class HelperScheduler(int helpers) : TaskScheduler
{
    private readonly LinkedList<Task> _queue = new();
    private int _running;

    /// <summary>
    /// How long a helper that ran out of tasks spins for the next evaluation's (the implicit integrator's work between
    /// two evaluations at n = 4096 takes ~0.5–1 ms): a pool thread parked and woken again started the mesh 0.04–0.3 ms
    /// late, spinning 2–10 µs (docs/implicit.md, "The peer run's evaluations").
    /// </summary>
    internal static readonly TimeSpan IdleSpin = TimeSpan.FromMilliseconds(1);

    public override int MaximumConcurrencyLevel => helpers + 1;

    protected override void QueueTask(Task task)
    {
        lock (_queue)
        {
            _queue.AddLast(task);
            if (_running >= helpers)
            {
                return;
            }
            _running++;
        }
        ThreadPool.UnsafeQueueUserWorkItem(_ => Drain(), null);
    }

    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) =>
        (!taskWasPreviouslyQueued || TryDequeue(task)) && TryExecuteTask(task);

    protected override bool TryDequeue(Task task)
    {
        lock (_queue)
        {
            return _queue.Remove(task);
        }
    }

    protected override IEnumerable<Task> GetScheduledTasks()
    {
        lock (_queue)
        {
            return _queue.ToArray();
        }
    }

    /// <summary>
    /// A helper: runs queued tasks, and when none is left waits up to <see cref="IdleSpin"/> for the next before it
    /// gives its pool thread back.
    /// </summary>
    private void Drain()
    {
        var spinner = new SpinWait();
        long idleSince = 0;
        while (true)
        {
            Task? task = null;
            lock (_queue)
            {
                if (_queue.First is { } first)
                {
                    task = first.Value;
                    _queue.RemoveFirst();
                }
                else if (idleSince != 0 && Stopwatch.GetElapsedTime(idleSince) >= IdleSpin)
                {
                    _running--;
                    return;
                }
            }
            if (task is null)
            {
                idleSince = idleSince == 0 ? Stopwatch.GetTimestamp() : idleSince;
                // Yields to other threads after a few spins, never sleeps.
                spinner.SpinOnce(sleep1Threshold: -1);
                continue;
            }
            idleSince = 0;
            spinner.Reset();
            TryExecuteTask(task);
        }
    }
}
