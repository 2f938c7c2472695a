using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace HpcGB.Engine.Forces.Ewald;

/// <summary>
/// Runs one evaluation's tasks on the calling thread plus at most <c>helpers</c> pool threads: queued tasks wait for
/// a free helper, and any thread that waits for a task not yet started runs it itself. So a caller that runs its
/// own task inline (<see cref="Task.RunSynchronously(TaskScheduler)"/>) works instead of spinning while the helpers
/// work, a parallel loop inside it (whose parts are scheduled on <see cref="TaskScheduler.Current"/>) never puts
/// more threads to work than the evaluation was given, and a helper that is slow to start costs nothing on a busy
/// machine: the caller runs what is still queued. A helper that ran out of tasks spins a little (<see cref="IdleSpin"/>)
/// before it gives its pool thread back, so that the next evaluation's mesh does not wait for a parked thread to wake.
/// Between evaluations the spinning helpers run the parts of the caller's serial passes (<see cref="Run"/>).
/// </summary>
internal sealed class HelperScheduler(int helpers) : TaskScheduler, IHelperThreads
{
    private readonly LinkedList<Task> _queue = new();
    private int _running;
    private IParts? _lent; // the caller's parts (guarded by _queue, as are the two below)
    private int _lentParts, _nextPart;
    private int _partsDone;
    private ExceptionDispatchInfo? _partFailure; // the first part that threw, rethrown on the caller

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

    /// <summary>
    /// The parts on the caller and the helpers spinning after an evaluation (a parked one only with
    /// <paramref name="wake"/>: at n = 4096 a woken helper seldom ran beside the caller on a loaded machine and only
    /// spun); the caller takes parts until none is left, then waits for those a helper took.
    /// </summary>
    public void Run(IParts work, int parts, bool wake)
    {
        if (Volatile.Read(ref _running) == 0 && !wake)
        {
            for (int part = 0; part < parts; part++)
            {
                work.Run(part);
            }
            return;
        }
        bool start = false;
        lock (_queue)
        {
            _lent = work;
            _lentParts = parts;
            _nextPart = 0;
            _partsDone = 0;
            if (wake && _running < helpers)
            {
                _running++;
                start = true;
            }
        }
        if (start)
        {
            ThreadPool.UnsafeQueueUserWorkItem(_ => Drain(), null);
        }
        while (TryTakePart(out var lent, out int part))
        {
            RunPart(lent, part);
        }
        lock (_queue)
        {
            _lent = null;
        }
        var spinner = new SpinWait();
        while (Volatile.Read(ref _partsDone) < parts)
        {
            spinner.SpinOnce(sleep1Threshold: -1);
        }
        Interlocked.Exchange(ref _partFailure, null)?.Throw();
    }

    private bool TryTakePart(out IParts work, out int part)
    {
        lock (_queue)
        {
            return TakePartLocked(out work, out part);
        }
    }

    private bool TakePartLocked(out IParts work, out int part)
    {
        work = _lent!;
        part = _nextPart;
        if (_lent is null || _nextPart >= _lentParts)
        {
            return false;
        }
        _nextPart++;
        return true;
    }

    /// <summary>One part; a failure is handed to the caller (a helper must not die of it).</summary>
    private void RunPart(IParts work, int part)
    {
        try
        {
            work.Run(part);
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref _partFailure, ExceptionDispatchInfo.Capture(e), null);
        }
        finally
        {
            Interlocked.Increment(ref _partsDone);
        }
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
    /// A helper: runs queued tasks and the caller's parts, and when none is left waits up to <see cref="IdleSpin"/>
    /// for the next before it gives its pool thread back.
    /// </summary>
    private void Drain()
    {
        var spinner = new SpinWait();
        long idleSince = 0;
        while (true)
        {
            Task? task = null;
            bool lent;
            IParts work;
            int part;
            lock (_queue)
            {
                lent = TakePartLocked(out work, out part);
                if (!lent && _queue.First is { } first)
                {
                    task = first.Value;
                    _queue.RemoveFirst();
                }
                else if (!lent && idleSince != 0 && Stopwatch.GetElapsedTime(idleSince) >= IdleSpin)
                {
                    _running--;
                    return;
                }
            }
            if (task is null && !lent)
            {
                idleSince = idleSince == 0 ? Stopwatch.GetTimestamp() : idleSince;
                // Yields to other threads after a few spins, never sleeps.
                spinner.SpinOnce(sleep1Threshold: -1);
                continue;
            }
            idleSince = 0;
            spinner.Reset();
            if (lent)
            {
                RunPart(work, part);
            }
            else
            {
                TryExecuteTask(task!);
            }
        }
    }
}
