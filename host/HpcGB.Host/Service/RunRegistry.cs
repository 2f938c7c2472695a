using System.Collections.Concurrent;
using HpcGB.Client.Wire;
using HpcGB.Engine.Spec;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HpcGB.Host.Service;

/// <summary>
/// Every live run of the server, by id. Runs outlive the connection that created them (a client may reconnect
/// and carry on); they end with <c>delete_run</c> or the server.
/// </summary>
internal sealed class RunRegistry(
    WorkerPool workers, CheckpointStore checkpoints, MemoryBudget budget, IOptions<ServiceOptions> options, ILogger<RunRegistry> logger)
{
    private readonly ConcurrentDictionary<long, RunJob> _runs = new();
    private readonly ServiceOptions _options = options.Value;
    private readonly List<string> _shutdownFailures = [];
    private long _lastId;
    private volatile bool _stopping;

    public IEnumerable<RunJob> Runs => _runs.Values.OrderBy(run => run.Id);

    /// <summary>A new run at t = 0; with <paramref name="outputs"/> (a directory name) it also writes trajectory.h5 and
    /// summary.json under <see cref="ServiceOptions.OutputDirectory"/>. Its memory and the work of one force
    /// evaluation are checked before anything is built.</summary>
    public RunJob Create(SimulationSpec spec, RpcConnection owner, object? outputs = null) =>
        Add(owner, spec, AdmissionCost.Particles(spec.Particles), id => new RunJob(id, spec, owner, outputs is null
            ? null
            : runner => RunOutputFiles.Create(_options.OutputDirectory, outputs, spec, runner)));

    /// <summary>A new run from a checkpoint, paused at the checkpoint's time.</summary>
    public RunJob Restore(string checkpointId, RpcConnection owner)
    {
        CheckpointData data;
        // The file, its decoded payload and the positions taken from it.
        using (budget.Reserve(4 * checkpoints.Size(checkpointId), $"reading checkpoint '{checkpointId}'"))
        {
            data = checkpoints.Load(checkpointId);
        }
        SimulationSpec spec;
        try
        {
            spec = SpecReader.Parse(data.SpecJson);
        }
        catch (SpecException ex)
        {
            throw new RpcFault(ErrorCodes.RunFailed, $"checkpoint '{checkpointId}': its spec no longer validates: {ex.Path}: {ex.Reason}");
        }
        try
        {
            CheckpointContent.Check(data, spec);
        }
        catch (FormatException ex)
        {
            throw new RpcFault(ErrorCodes.RunFailed, $"checkpoint '{checkpointId}' is unreadable: {ex.Message}");
        }
        return Add(owner, spec, data.Signs.Length, id =>
        {
            try
            {
                return new RunJob(id, spec, owner, data.Signs, data.Snapshot);
            }
            catch (ArgumentException ex)
            {
                throw new RpcFault(ErrorCodes.RunFailed, $"checkpoint '{checkpointId}': {ex.Message}");
            }
        });
    }

    public RunJob Get(long id) =>
        _runs.TryGetValue(id, out var run) ? run : throw new RpcFault(ErrorCodes.NotFound, $"params[0] (run_id): no run {id}");

    public void Start(RunJob run)
    {
        ThrowIfStopping();
        run.Start();
        workers.Enqueue(run);
    }

    public Task<RunSnapshot> Advance(RunJob run, double target)
    {
        ThrowIfStopping();
        var reached = run.Advance(target, out bool queue);
        if (queue)
        {
            workers.Enqueue(run);
        }
        return reached;
    }

    /// <summary>Writes the run's last snapshot; returns the checkpoint id.</summary>
    public string Checkpoint(RunJob run)
    {
        if (!run.IsResumable)
        {
            throw new RpcFault(ErrorCodes.NotResumable, $"run {run.Id}: integrator '{run.IntegratorName}' cannot be checkpointed");
        }
        try
        {
            return checkpoints.Save(new CheckpointData(SpecWriter.ToJson(run.Spec, indented: false), run.Signs, run.Snapshot));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new RpcFault(ErrorCodes.RunFailed, $"run {run.Id}: cannot write the checkpoint in {checkpoints.Directory}: {ex.Message}");
        }
    }

    public async Task Delete(RunJob run)
    {
        await run.Cancel().ConfigureAwait(false);
        if (_runs.TryRemove(run.Id, out _))
        {
            run.Owner.RemoveRun();
            run.Dispose();
        }
    }

    /// <summary>Whether <paramref name="connection"/> waits for notifications of a run that can still change.</summary>
    public bool HasSubscriber(RpcConnection connection) => _runs.Values.Any(run => run.HasSubscriber(connection));

    /// <summary>The connection went away: its subscriptions go with it (its runs stay).</summary>
    public void Forget(RpcConnection connection)
    {
        foreach (var run in _runs.Values)
        {
            run.Unsubscribe(connection);
        }
    }

    /// <summary>Why runs were lost at shutdown: one line per run that could not be checkpointed (empty when all were).</summary>
    public IReadOnlyList<string> ShutdownFailures => _shutdownFailures;

    /// <summary>
    /// Server shutdown: interrupt active runs (each rolls back to its last segment boundary), checkpoint every run
    /// that has not ended, and tell subscribers where their run was saved. A run that could not be saved (a failed
    /// write, or still running when <paramref name="cancellationToken"/> fires) is listed in <see cref="ShutdownFailures"/>.
    /// </summary>
    public async Task ShutdownAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        var runs = _runs.Values.OrderBy(run => run.Id).ToArray();
        try
        {
            await Task.WhenAll(runs.Select(run => run.Interrupt())).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The runs still active are reported below; the others are saved all the same.
        }
        foreach (var run in runs)
        {
            var status = run.Status;
            if (status.IsActive())
            {
                Lost(run, "it did not stop within Service:ShutdownTimeoutSeconds");
                continue;
            }
            if (status is not (RunStatus.Created or RunStatus.Paused))
            {
                continue;
            }
            string? id = null;
            string message;
            try
            {
                id = Checkpoint(run);
                message = $"server stopping; run checkpointed at t = {run.Snapshot.Time:R}";
                logger.LogInformation("run {RunId}: checkpoint {CheckpointId} at t = {Time}", run.Id, id, run.Snapshot.Time);
            }
            catch (RpcFault fault)
            {
                message = $"server stopping; run not checkpointed: {fault.Message}";
                Lost(run, fault.Message);
            }
            run.Notify(RunNotifications.Shutdown(run.Id, run.Snapshot.Time, id, message));
        }
    }

    private void Lost(RunJob run, string reason)
    {
        string line = $"run {run.Id} (t = {run.Snapshot.Time:R}) was not checkpointed at shutdown: {reason}";
        logger.LogError("{Line}", line);
        lock (_shutdownFailures)
        {
            _shutdownFailures.Add(line);
        }
    }

    private RunJob Add(RpcConnection owner, SimulationSpec spec, long particles, Func<long, RunJob> create)
    {
        ThrowIfStopping();
        if (particles > _options.MaxParticles)
        {
            throw new RpcFault(ErrorCodes.LimitExceeded, $"$.particles: {particles} particles; this server allows at most {_options.MaxParticles} (Service:MaxParticles)");
        }
        try
        {
            AdmissionCost.CheckWork(spec, particles, _options.MaxEvaluationWork, "this server's limit (Service:MaxEvaluationWork)");
        }
        catch (SpecException ex)
        {
            throw new RpcFault(ErrorCodes.LimitExceeded, $"{ex.Path}: {ex.Reason}");
        }
        if (_runs.Count >= _options.MaxRuns)
        {
            throw new RpcFault(ErrorCodes.LimitExceeded, $"the server holds {_runs.Count} runs, its limit (Service:MaxRuns); delete some");
        }
        if (!owner.TryAddRun(_options.MaxRunsPerConnection))
        {
            throw new RpcFault(ErrorCodes.LimitExceeded,
                $"this connection holds {owner.Runs} runs, the limit per connection (Service:MaxRunsPerConnection); delete some");
        }
        MemoryBudget.Reservation? memory = null;
        try
        {
            memory = budget.Reserve(AdmissionCost.Run(spec, particles), $"a run of {particles} particles");
            var run = create(Interlocked.Increment(ref _lastId));
            run.Memory = memory;
            _runs[run.Id] = run;
            return run;
        }
        catch
        {
            owner.RemoveRun();
            memory?.Dispose();
            throw;
        }
    }

    private void ThrowIfStopping()
    {
        if (_stopping)
        {
            throw new RpcFault(ErrorCodes.ShuttingDown, "the server is shutting down");
        }
    }
}
