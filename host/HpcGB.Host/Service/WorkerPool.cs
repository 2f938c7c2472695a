using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HpcGB.Host.Service;

/// <summary>
/// <see cref="ServiceOptions.Workers"/> dedicated threads that execute queued runs, so simulations never run on a
/// connection's thread or the thread pool. At most that many runs integrate at once; the rest wait in order.
/// </summary>
internal sealed class WorkerPool : IDisposable
{
    private readonly BlockingCollection<RunJob> _queue = new(new ConcurrentQueue<RunJob>());
    private readonly Thread[] _threads;
    private readonly ILogger<WorkerPool> _logger;

    public WorkerPool(IOptions<ServiceOptions> options, ILogger<WorkerPool> logger)
    {
        _logger = logger;
        _threads = new Thread[options.Value.Workers];
        for (int k = 0; k < _threads.Length; k++)
        {
            _threads[k] = new Thread(Work) { IsBackground = true, Name = $"hpcgb-worker-{k}" };
            _threads[k].Start();
        }
    }

    public int Workers => _threads.Length;

    public void Enqueue(RunJob job) => _queue.Add(job);

    public void Dispose()
    {
        _queue.CompleteAdding();
        foreach (var thread in _threads)
        {
            thread.Join();
        }
        _queue.Dispose();
    }

    private void Work()
    {
        foreach (var job in _queue.GetConsumingEnumerable())
        {
            _logger.LogDebug("run {RunId}: executing on {Thread}", job.Id, Thread.CurrentThread.Name);
            job.Execute();
            _logger.LogDebug("run {RunId}: {Status}", job.Id, job.Status.Wire());
        }
    }
}
