namespace HpcGB.Engine.Forces.Ewald;

/// <summary>
/// Runs one evaluation's tasks on the calling thread plus at most <c>helpers</c> pool threads: queued tasks wait for
/// a free helper, and any thread that waits for a task not yet started runs it itself. So a caller that runs its
/// own task inline (<see cref="Task.RunSynchronously(TaskScheduler)"/>) works instead of spinning while the helpers
/// work, a parallel loop inside it (whose parts are scheduled on <see cref="TaskScheduler.Current"/>) never puts
/// more threads to work than the evaluation was given, and a helper that is slow to start costs nothing on a busy
/// machine: the caller runs what is still queued.
/// </summary>
internal sealed class HelperScheduler(int helpers) : TaskScheduler
{
    private readonly LinkedList<Task> _queue = new();
    private int _running;

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

    /// <summary>A helper: runs queued tasks until none is left.</summary>
    private void Drain()
    {
        while (true)
        {
            Task task;
            lock (_queue)
            {
                if (_queue.First is not { } first)
                {
                    _running--;
                    return;
                }
                task = first.Value;
                _queue.RemoveFirst();
            }
            TryExecuteTask(task);
        }
    }
}
