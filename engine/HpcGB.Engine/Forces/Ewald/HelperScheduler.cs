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
/// Work from outside the evaluation (<see cref="Beside"/>) waits behind every task of the evaluation's own.
/// </summary>
internal sealed class HelperScheduler(int helpers) : TaskScheduler
{
    private readonly LinkedList<Task> _queue = new();
    private readonly LinkedList<Task> _beside = new(); // taken only when _queue is empty
    private int _running;

    /// <summary>A task of <paramref name="work"/> that this scheduler runs after all others queued (start it on one).</summary>
    public static Task Beside(Action work) => new(static w => ((BesideWork)w!).Work(), new BesideWork(work));

    private sealed record BesideWork(Action Work);

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
            (task.AsyncState is BesideWork ? _beside : _queue).AddLast(task);
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
            return _queue.Remove(task) || _beside.Remove(task);
        }
    }

    protected override IEnumerable<Task> GetScheduledTasks()
    {
        lock (_queue)
        {
            return [.. _queue, .. _beside];
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
                if ((_queue.First ?? _beside.First) is { } first)
                {
                    task = first.Value;
                    first.List!.RemoveFirst();
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
