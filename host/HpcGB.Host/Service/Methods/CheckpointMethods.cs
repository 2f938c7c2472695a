namespace HpcGB.Host.Service.Methods;

/// <summary><c>checkpoint(run_id) → id</c> and <c>restore(id) → run_id</c>.</summary>
internal sealed class CheckpointMethods(RunRegistry runs) : IRpcMethodGroup
{
    public void Register(IDictionary<string, RpcMethod> methods)
    {
        methods["checkpoint"] = Checkpoint;
        methods["restore"] = Restore;
    }

    /// <summary>Saves the run's last segment boundary (a running run keeps running).</summary>
    private Task<object?> Checkpoint(RpcCall call)
    {
        call.Params.ExpectAtMost(1);
        var run = runs.Get(call.Params.RunId());
        return Task.FromResult<object?>(runs.Checkpoint(run));
    }

    /// <summary>A new paused run continuing the checkpointed one bit for bit.</summary>
    private Task<object?> Restore(RpcCall call)
    {
        call.Params.ExpectAtMost(1);
        string id = call.Params.Text(0, "checkpoint_id");
        return Task.FromResult<object?>(runs.Restore(id, call.Connection).Id);
    }
}
