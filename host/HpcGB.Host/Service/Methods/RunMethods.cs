using HpcGB.Client.Wire;
using Microsoft.Extensions.Options;

namespace HpcGB.Host.Service.Methods;

/// <summary>The life of a run: create, start, advance, pause, cancel, inspect, list, delete.</summary>
internal sealed class RunMethods(RunRegistry runs, MemoryBudget budget, IOptions<ServiceOptions> options) : IRpcMethodGroup
{
    /// <summary>What <c>get_state</c> returns when no fields are asked for.</summary>
    private static readonly string[] DefaultFields = ["status", "t", "frame"];

    private static readonly string[] AllFields = ["status", "t", "frame", "n", "dimension", "positions", "signs", "observables", "failure"];

    private readonly int _maxParticles = options.Value.MaxParticles;

    public void Register(IDictionary<string, RpcMethod> methods)
    {
        methods["create_run"] = CreateRun;
        methods["start"] = Start;
        methods["advance"] = Advance;
        methods["pause"] = Pause;
        methods["get_state"] = GetState;
        methods["cancel"] = Cancel;
        methods["list_runs"] = ListRuns;
        methods["delete_run"] = DeleteRun;
    }

    private Task<object?> CreateRun(RpcCall call)
    {
        call.Params.ExpectAtMost(2);
        var spec = SpecInput.Read(call.Params.Raw(0, "spec"), _maxParticles, budget);
        object? outputs = null;
        if (call.Params.Optional(1) is { } options)
        {
            var map = options as IDictionary<object, object?>
                ?? throw call.Params.Wrong(1, "options", "a map such as {\"outputs\": \"NAME\"}");
            foreach (var key in map.Keys)
            {
                if (WireValues.TryString(key) != "outputs")
                {
                    throw RpcFault.InvalidParams($"params[1] (options): unknown key {WireValues.Describe(key)}; known: outputs");
                }
            }
            if (map.Count > 1)
            {
                throw RpcFault.InvalidParams("params[1] (options): outputs given twice (as str and as bin)");
            }
            outputs = map.Values.SingleOrDefault(); // an empty map: no options
        }
        return Task.FromResult<object?>(runs.Create(spec, call.Connection, outputs).Id);
    }

    private Task<object?> Start(RpcCall call)
    {
        call.Params.ExpectAtMost(1);
        var run = runs.Get(call.Params.RunId());
        runs.Start(run);
        return Task.FromResult<object?>(Summary(run, run.Snapshot));
    }

    /// <summary>Replies once the run has paused at t (or failed or was cancelled on the way).</summary>
    private async Task<object?> Advance(RpcCall call)
    {
        call.Params.ExpectAtMost(2);
        var run = runs.Get(call.Params.RunId());
        double target = call.Params.Number(1, "t");
        var snapshot = await runs.Advance(run, target).ConfigureAwait(false);
        return run.Status switch
        {
            RunStatus.Failed => throw new RpcFault(ErrorCodes.RunFailed, $"run {run.Id}: {run.Failure}"),
            RunStatus.Cancelled => throw RpcFault.InvalidState($"run {run.Id} was cancelled at t = {snapshot.Time:R}"),
            _ => Summary(run, snapshot),
        };
    }

    /// <summary>Replies once the run has stopped at its next segment boundary.</summary>
    private async Task<object?> Pause(RpcCall call)
    {
        call.Params.ExpectAtMost(1);
        var run = runs.Get(call.Params.RunId());
        return Summary(run, await run.Pause().ConfigureAwait(false));
    }

    private async Task<object?> Cancel(RpcCall call)
    {
        call.Params.ExpectAtMost(1);
        var run = runs.Get(call.Params.RunId());
        return Summary(run, await run.Cancel().ConfigureAwait(false));
    }

    private Task<object?> GetState(RpcCall call)
    {
        call.Params.ExpectAtMost(2);
        var run = runs.Get(call.Params.RunId());
        var fields = call.Params.Optional(1) switch
        {
            null => DefaultFields,
            object?[] names => names.Select((name, k) => WireValues.TryString(name)
                ?? throw RpcFault.InvalidParams($"params[1][{k}] (fields): expected a field name, got {WireValues.Describe(name)}")).ToArray(),
            _ => throw call.Params.Wrong(1, "fields", "an array of field names"),
        };
        var snapshot = run.Snapshot;
        // Positions are copied into the reply, which is encoded next: pay for both before building them.
        long arrays = fields.Count(field => field is "positions" or "signs");
        call.Keep(budget.Reserve(2 * arrays * AdmissionCost.State(run.Signs.Length, run.Spec.Dimension), $"get_state of run {run.Id}"));
        var state = new Dictionary<string, object?> { ["run_id"] = run.Id };
        foreach (string field in fields)
        {
            state[field] = field switch
            {
                "status" => run.Status.Wire(),
                "t" => snapshot.Time,
                "frame" => snapshot.NextFrame - 1,
                "n" => run.Signs.Length,
                "dimension" => run.Spec.Dimension,
                "positions" => RunNotifications.WrappedPositions(snapshot),
                "signs" => NdArray.FromSigns(run.Signs),
                "observables" => snapshot.Last is { } last ? Observables(last) : null,
                "failure" => run.Failure,
                _ => throw RpcFault.InvalidParams($"params[1] (fields): unknown field '{field}'; allowed: {string.Join(", ", AllFields)}"),
            };
        }
        return Task.FromResult<object?>(state);
    }

    private Task<object?> ListRuns(RpcCall call)
    {
        call.Params.ExpectAtMost(0);
        object?[] list = runs.Runs.Select(run => (object?)Summary(run, run.Snapshot)).ToArray();
        return Task.FromResult<object?>(list);
    }

    private async Task<object?> DeleteRun(RpcCall call)
    {
        call.Params.ExpectAtMost(1);
        await runs.Delete(runs.Get(call.Params.RunId())).ConfigureAwait(false);
        return true;
    }

    private static Dictionary<string, object?> Summary(RunJob run, RunSnapshot snapshot) => new()
    {
        ["run_id"] = run.Id,
        ["status"] = run.Status.Wire(),
        ["t"] = snapshot.Time,
        ["frame"] = snapshot.NextFrame - 1,
        ["n"] = run.Signs.Length,
        ["integrator"] = run.IntegratorName,
    };

    private static Dictionary<string, object?> Observables(Engine.Analysis.Observables o) => new()
    {
        ["t"] = o.Time,
        ["energy"] = o.Energy,
        ["max_speed"] = o.MaxSpeed,
        ["centroid"] = o.Centroid,
        ["bound_dipoles"] = o.BoundDipoles,
        ["accepted_steps"] = o.AcceptedSteps,
        ["rejected_steps"] = o.RejectedSteps,
        ["force_evaluations"] = o.ForceEvaluations,
    };
}
